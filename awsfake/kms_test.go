package awsfake_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func TestDescribeKey(t *testing.T) {
	f := awsfake.StartTest(t)
	k, err := f.AddKey(awsfake.Key{Description: "app", Aliases: []string{"alias/app"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.AddAlias("alias/app-2", k.KeyID); err != nil {
		t.Fatal(err)
	}
	_, kc := clients(t, f, 1)

	tests := []struct {
		keyID, wantID, wantManager string
	}{
		{k.KeyID, k.KeyID, "CUSTOMER"},
		{k.ARN, k.KeyID, "CUSTOMER"},
		{"alias/app", k.KeyID, "CUSTOMER"},
		{"alias/app-2", k.KeyID, "CUSTOMER"},
		{"arn:aws:kms:us-east-1:111122223333:alias/app", k.KeyID, "CUSTOMER"},
		{awsfake.AWSManagedSSMAlias, awsfake.AWSManagedSSMKeyID, "AWS"},
		{"arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", awsfake.AWSManagedSSMKeyID, "AWS"},
	}
	for _, tt := range tests {
		t.Run(tt.keyID, func(t *testing.T) {
			out, err := kc.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: &tt.keyID})
			if err != nil {
				t.Fatal(err)
			}
			md := out.KeyMetadata
			if aws.ToString(md.KeyId) != tt.wantID || string(md.KeyManager) != tt.wantManager || !strings.HasSuffix(aws.ToString(md.Arn), ":key/"+tt.wantID) {
				t.Fatalf("metadata id %s manager %s arn %s", aws.ToString(md.KeyId), md.KeyManager, aws.ToString(md.Arn))
			}
		})
	}
	for _, missing := range []string{"alias/nope", "no-such-key", "arn:aws:kms:eu-west-1:111122223333:alias/app", "arn:aws:kms:us-east-1:111122223333:key/nope"} {
		t.Run("missing "+missing, func(t *testing.T) {
			_, err := kc.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String(missing)})
			var nf *kmstypes.NotFoundException
			if !errors.As(err, &nf) {
				t.Fatalf("got %v, want NotFoundException", err)
			}
		})
	}
}

func TestSeedingErrors(t *testing.T) {
	f := awsfake.New()
	if _, err := f.AddParameter(awsfake.Parameter{Name: "/x"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
	}{
		{"no name", func() error { _, err := f.AddParameter(awsfake.Parameter{}); return err }()},
		{"duplicate", func() error { _, err := f.AddParameter(awsfake.Parameter{Name: "/x"}); return err }()},
		{"bad type", func() error { _, err := f.AddParameter(awsfake.Parameter{Name: "/y", Type: "Secret"}); return err }()},
		{"bad tier", func() error { _, err := f.AddParameter(awsfake.Parameter{Name: "/y", Tier: "Gold"}); return err }()},
		{"key on String", func() error { _, err := f.AddParameter(awsfake.Parameter{Name: "/y", KeyID: "alias/k"}); return err }()},
		{"bad manager", func() error { _, err := f.AddKey(awsfake.Key{Manager: "ME"}); return err }()},
		{"bad alias", func() error { _, err := f.AddKey(awsfake.Key{Aliases: []string{"k"}}); return err }()},
		{"duplicate alias", func() error {
			_, err := f.AddKey(awsfake.Key{Aliases: []string{awsfake.AWSManagedSSMAlias}})
			return err
		}()},
		{"alias to nothing", f.AddAlias("alias/k", "nope")},
		{"policy on nothing", func() error {
			_, err := f.AddPolicy("arn:aws:ssm:us-east-1:111122223333:parameter/nope", "{}")
			return err
		}()},
		{"write unknown policy", func() error { _, err := f.WritePolicy(f.OpsItemGroupARN(), "nope", "{}"); return err }()},
		{"remove unknown policy", f.RemovePolicy(f.OpsItemGroupARN(), "nope")},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
