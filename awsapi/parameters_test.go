package awsapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func TestDescribeParametersPagination(t *testing.T) {
	e := setup(t)
	for i := range 118 {
		if _, err := e.fake.AddParameter(awsfake.Parameter{Name: fmt.Sprintf("/a/p%03d", i), Value: secretValue}); err != nil {
			t.Fatal(err)
		}
	}
	last, err := e.fake.AddParameter(awsfake.Parameter{Name: "/zz/last", Tier: awsfake.TierAdvanced, Type: awsfake.TypeStringList})
	if err != nil {
		t.Fatal(err)
	}
	facts, err := awsapi.LookupParameter(context.Background(), e.c.SSM, e.c.KMS, last.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if !facts.Exists || facts.Tier != "Advanced" || facts.Type != "StringList" || facts.KeyManager != "" {
		t.Fatalf("facts %+v", facts)
	}
	if n := e.fake.Count(awsfake.OpDescribeParameters); n != 3 {
		t.Fatalf("%d DescribeParameters calls, want 3 pages", n)
	}
	if n := e.fake.Count(awsfake.OpDescribeKey); n != 0 {
		t.Fatalf("DescribeKey called %d times for a StringList", n)
	}
}

func TestLookupParameter(t *testing.T) {
	e := setup(t)
	custom, err := e.fake.AddKey(awsfake.Key{})
	if err != nil {
		t.Fatal(err)
	}
	byARN, err := e.fake.AddParameter(awsfake.Parameter{Name: "/app/byarn", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: custom.ARN, Value: secretValue})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := e.fake.AddParameter(awsfake.Parameter{Name: "plain"})
	if err != nil {
		t.Fatal(err)
	}
	otherAccount := "arn:aws:ssm:us-east-1:999999999999:parameter/app/db"

	tests := []struct {
		name    string
		in      string
		want    awsapi.Facts
		wantErr string
	}{
		{"default key", e.db.ARN, awsapi.Facts{Name: "/app/db", ARN: e.db.ARN, Exists: true, Tier: "Advanced", Type: "SecureString",
			KeyID: "alias/aws/ssm", KeyARN: "arn:aws:kms:us-east-1:111122223333:key/" + awsfake.AWSManagedSSMKeyID, KeyManager: "AWS"}, ""},
		{"customer key by alias", e.web.ARN, awsapi.Facts{Name: "/app/web", ARN: e.web.ARN, Exists: true, Tier: "Advanced", Type: "SecureString",
			KeyID: "alias/app-secrets", KeyARN: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", KeyManager: "CUSTOMER"}, ""},
		{"customer key by ARN", byARN.ARN, awsapi.Facts{Name: "/app/byarn", ARN: byARN.ARN, Exists: true, Tier: "Advanced", Type: "SecureString",
			KeyID: custom.ARN, KeyARN: custom.ARN, KeyManager: "CUSTOMER"}, ""},
		{"by name", "/app/web", awsapi.Facts{Name: "/app/web", ARN: e.web.ARN, Exists: true, Tier: "Advanced", Type: "SecureString",
			KeyID: "alias/app-secrets", KeyARN: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", KeyManager: "CUSTOMER"}, ""},
		{"no slash", plain.ARN, awsapi.Facts{Name: "plain", ARN: plain.ARN, Exists: true, Tier: "Standard", Type: "String"}, ""},
		{"missing", "arn:aws:ssm:us-east-1:111122223333:parameter/app/none", awsapi.Facts{Name: "/app/none", ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app/none"}, ""},
		{"missing by name", "none", awsapi.Facts{Name: "none"}, ""},
		{"other account", otherAccount, awsapi.Facts{}, "the credentials see " + e.db.ARN},
		{"double slash", "arn:aws:ssm:us-east-1:111122223333:parameter//app/db", awsapi.Facts{}, "double slash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := awsapi.LookupParameter(context.Background(), e.c.SSM, e.c.KMS, tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				assertNoSecrets(t, err.Error())
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("facts\n got %+v\nwant %+v", got, tt.want)
			}
			b, _ := json.Marshal(got)
			assertNoSecrets(t, string(b))
		})
	}
}

func TestLookupKeyErrors(t *testing.T) {
	e := setup(t)
	if _, err := e.fake.AddParameter(awsfake.Parameter{Name: "/app/lost", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/deleted", Value: secretValue}); err != nil {
		t.Fatal(err)
	}
	facts, err := awsapi.LookupParameter(context.Background(), e.c.SSM, e.c.KMS, "/app/lost")
	if err == nil || !strings.Contains(err.Error(), "describe key alias/deleted of parameter /app/lost") || !strings.Contains(err.Error(), "NotFoundException") {
		t.Fatalf("error %v", err)
	}
	// The facts found before the KMS error still come back.
	if !facts.Exists || facts.Type != "SecureString" || facts.KeyManager != "" {
		t.Fatalf("facts %+v", facts)
	}
	assertNoSecrets(t, err.Error())
}
