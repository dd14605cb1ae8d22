package awsfake_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

const (
	secretValue = "s3cr3t-db-password-VALUE-9d2e"
	policyDoc   = `{"Version":"2012-10-17","Statement":[{"Sid":"Share","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ssm:GetParameter","Resource":"*"}]}`
)

// clients builds the real SDK clients against the fake: BaseEndpoint, static
// credentials, a region, and a standard retryer with tiny backoff.
func clients(t *testing.T, f *awsfake.Server, maxAttempts int) (*ssm.Client, *kms.Client) {
	t.Helper()
	creds := credentials.NewStaticCredentialsProvider(awsfake.AccessKeyID, awsfake.SecretAccessKey, "")
	retryer := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = 2 * time.Millisecond
	})
	sc := ssm.New(ssm.Options{
		Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(f.URL()), Retryer: retryer,
	})
	kc := kms.New(kms.Options{
		Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(f.URL()), Retryer: retryer,
	})
	return sc, kc
}

// seeded starts a fake with one Advanced SecureString parameter holding a
// secret value and returns it with the parameter's ARN.
func seeded(t *testing.T) (*awsfake.Server, string) {
	t.Helper()
	f := awsfake.StartTest(t)
	p, err := f.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, Value: secretValue})
	if err != nil {
		t.Fatal(err)
	}
	return f, p.ARN
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestListensOnLoopbackOnly(t *testing.T) {
	f := awsfake.StartTest(t)
	u, err := url.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" {
		t.Fatalf("URL %s: want http://127.0.0.1:<port>", f.URL())
	}
	if err := f.Listen(0); err == nil {
		t.Fatal("second Listen succeeded; want an error")
	}
}

func TestParameterARN(t *testing.T) {
	tests := []struct{ name, want string }{
		{"/app/db", "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"},
		{"x", "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	}
	for _, tt := range tests {
		if got := awsfake.ParameterARN("aws", "us-east-1", "111122223333", tt.name); got != tt.want {
			t.Errorf("ParameterARN(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestPolicyLifecycle walks create -> read -> update -> stale update ->
// delete through the SDK, checking ids, fresh hashes and typed errors.
func TestPolicyLifecycle(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	ctx := context.Background()

	created, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if aws.ToString(created.PolicyId) == "" || aws.ToString(created.PolicyHash) == "" {
		t.Fatalf("create returned id %q hash %q", aws.ToString(created.PolicyId), aws.ToString(created.PolicyHash))
	}

	got, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if len(got.Policies) != 1 || aws.ToString(got.Policies[0].Policy) != policyDoc ||
		aws.ToString(got.Policies[0].PolicyHash) != aws.ToString(created.PolicyHash) {
		t.Fatalf("get returned %+v", got.Policies)
	}

	// Writing the same document again still gives a new hash.
	updated, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: created.PolicyId, PolicyHash: created.PolicyHash,
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if aws.ToString(updated.PolicyId) != aws.ToString(created.PolicyId) {
		t.Errorf("update changed the id: %s -> %s", aws.ToString(created.PolicyId), aws.ToString(updated.PolicyId))
	}
	if aws.ToString(updated.PolicyHash) == aws.ToString(created.PolicyHash) {
		t.Error("update kept the hash; want a new hash on every write")
	}

	// The old hash is stale now.
	_, err = sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: created.PolicyId, PolicyHash: created.PolicyHash,
	})
	var conflict *types.ResourcePolicyConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("stale update: got %v, want ResourcePolicyConflictException", err)
	}

	tests := []struct {
		name     string
		id, hash string
		wantCode string
	}{
		{"wrong id", "no-such-id", aws.ToString(updated.PolicyHash), "ResourcePolicyNotFoundException"},
		{"wrong hash", aws.ToString(updated.PolicyId), "stale", "ResourcePolicyConflictException"},
	}
	for _, tt := range tests {
		t.Run("delete "+tt.name, func(t *testing.T) {
			_, err := sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: &tt.id, PolicyHash: &tt.hash})
			if errorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	var nf *types.ResourcePolicyNotFoundException
	_, err = sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: aws.String("nope"), PolicyHash: updated.PolicyHash})
	if !errors.As(err, &nf) {
		t.Errorf("delete unknown id: got %v, want typed ResourcePolicyNotFoundException", err)
	}

	if _, err := sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: updated.PolicyId, PolicyHash: updated.PolicyHash}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if n := len(f.Policies(arn)); n != 0 {
		t.Fatalf("%d policies left after delete", n)
	}
}

func TestPutResourcePolicyErrors(t *testing.T) {
	f, arn := seeded(t)
	group := f.OpsItemGroupARN()
	if _, err := f.AddPolicy(group, policyDoc); err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 1)

	big := `{"Statement":[{"Sid":"` + strings.Repeat("A", awsfake.MaxPolicyBytes) + `"}]}`
	tests := []struct {
		name     string
		in       ssm.PutResourcePolicyInput
		wantCode string
		check    func(t *testing.T, err error)
	}{
		{
			name: "over 1024 bytes", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: &big},
			wantCode: "ResourcePolicyLimitExceededException",
			check: func(t *testing.T, err error) {
				var le *types.ResourcePolicyLimitExceededException
				if !errors.As(err, &le) {
					t.Fatalf("not typed: %T", err)
				}
				if le.Limit != awsfake.MaxPolicyBytes || aws.ToString(le.LimitType) == "" || le.ErrorMessage() == "" {
					t.Errorf("limit %d type %q message %q", le.Limit, aws.ToString(le.LimitType), le.ErrorMessage())
				}
			},
		},
		{name: "multi-line", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("{\n\"Statement\":[]}")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "carriage return", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("{\"Statement\":[]}\r")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "blank", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("  \t ")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "empty", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "not JSON", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("Statement")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "unknown resource", in: ssm.PutResourcePolicyInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:111122223333:parameter/nope"), Policy: aws.String(policyDoc)}, wantCode: "ResourceNotFoundException"},
		{name: "other account's group", in: ssm.PutResourcePolicyInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:999999999999:opsitemgroup/default"), Policy: aws.String(policyDoc)}, wantCode: "ResourceNotFoundException"},
		{
			name: "second policy on opsitemgroup", in: ssm.PutResourcePolicyInput{ResourceArn: &group, Policy: aws.String(policyDoc)},
			wantCode: "ResourcePolicyLimitExceededException",
			check: func(t *testing.T, err error) {
				var le *types.ResourcePolicyLimitExceededException
				if !errors.As(err, &le) || le.Limit != 1 {
					t.Errorf("got %v, want limit 1", err)
				}
			},
		},
		{
			name: "id without hash", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: aws.String("x")},
			wantCode: "ResourcePolicyInvalidParameterException",
			check: func(t *testing.T, err error) {
				var ip *types.ResourcePolicyInvalidParameterException
				if !errors.As(err, &ip) || len(ip.ParameterNames) == 0 {
					t.Errorf("got %v, want ParameterNames", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.PutResourcePolicy(context.Background(), &tt.in)
			if code := errorCode(err); code != tt.wantCode {
				t.Fatalf("got %v (code %q), want %s", err, code, tt.wantCode)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
	if n := len(f.Policies(arn)); n != 0 {
		t.Errorf("rejected puts stored %d policies", n)
	}
	if n := len(f.Policies(group)); n != 1 {
		t.Errorf("opsitemgroup has %d policies, want 1", n)
	}
}

func TestGetResourcePoliciesPagination(t *testing.T) {
	f, arn := seeded(t)
	const total = 23
	want := map[string]bool{}
	for i := range total {
		p, err := f.AddPolicy(arn, fmt.Sprintf(`{"Statement":[{"Sid":"S%d"}]}`, i))
		if err != nil {
			t.Fatal(err)
		}
		want[p.ID] = true
	}
	sc, _ := clients(t, f, 1)

	got := map[string]bool{}
	pages := 0
	p := ssm.NewGetResourcePoliciesPaginator(sc, &ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Policies) > 10 {
			t.Errorf("page of %d > MaxResults", len(out.Policies))
		}
		for _, e := range out.Policies {
			got[aws.ToString(e.PolicyId)] = true
		}
	}
	if pages != 3 || len(got) != total {
		t.Fatalf("%d pages, %d distinct policies; want 3 pages, %d policies", pages, len(got), total)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("policy %s missing from the pages", id)
		}
	}

	bad := []struct {
		name string
		in   ssm.GetResourcePoliciesInput
		code string
	}{
		{"max 0", ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(0)}, "ValidationException"},
		{"max 51", ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(51)}, "ValidationException"},
		{"bad token", ssm.GetResourcePoliciesInput{ResourceArn: &arn, NextToken: aws.String("garbage")}, "ResourcePolicyInvalidParameterException"},
		{"unknown resource", ssm.GetResourcePoliciesInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:111122223333:parameter/nope")}, "ResourceNotFoundException"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.GetResourcePolicies(context.Background(), &tt.in)
			if code := errorCode(err); code != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestDescribeParameters(t *testing.T) {
	f := awsfake.StartTest(t)
	if _, err := f.AddKey(awsfake.Key{Aliases: []string{"alias/app"}}); err != nil {
		t.Fatal(err)
	}
	// 25 parameters: with a page size of 10 the target sits on page 3, and
	// pages 1 and 2 of a filtered call come back empty but with a NextToken.
	for i := range 24 {
		if _, err := f.AddParameter(awsfake.Parameter{Name: fmt.Sprintf("/a/p%02d", i), Value: secretValue}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.AddParameter(awsfake.Parameter{Name: "/z/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app", Value: secretValue}); err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 1)

	var found []types.ParameterMetadata
	pages := 0
	p := ssm.NewDescribeParametersPaginator(sc, &ssm.DescribeParametersInput{
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{"/z/db"}}},
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		found = append(found, out.Parameters...)
	}
	if pages != 3 || len(found) != 1 {
		t.Fatalf("%d pages, %d matches; want 3 pages, 1 match", pages, len(found))
	}
	md := found[0]
	if aws.ToString(md.Name) != "/z/db" || md.Type != types.ParameterTypeSecureString || md.Tier != types.ParameterTierAdvanced ||
		aws.ToString(md.KeyId) != "alias/app" || aws.ToString(md.ARN) != "arn:aws:ssm:us-east-1:111122223333:parameter/z/db" {
		t.Fatalf("metadata %+v", md)
	}

	out, err := sc.DescribeParameters(context.Background(), &ssm.DescribeParametersInput{
		MaxResults:       aws.Int32(50),
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("BeginsWith"), Values: []string{"/a/"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 24 || out.NextToken != nil {
		t.Fatalf("BeginsWith /a/: %d parameters, token %v; want 24, none", len(out.Parameters), out.NextToken)
	}
	if out.Parameters[0].KeyId != nil {
		t.Errorf("a String parameter has KeyId %q", aws.ToString(out.Parameters[0].KeyId))
	}

	bad := []struct {
		name string
		in   ssm.DescribeParametersInput
		want error
	}{
		{"unknown key", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Colour"), Values: []string{"x"}}}}, &types.InvalidFilterKey{}},
		{"bad option", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Option: aws.String("BeginsWith"), Values: []string{"x"}}}}, &types.InvalidFilterOption{}},
		{"no values", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name")}}}, &types.InvalidFilterValue{}},
		{"bad token", ssm.DescribeParametersInput{NextToken: aws.String("Z3JwOjE")}, &types.InvalidNextToken{}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.DescribeParameters(context.Background(), &tt.in)
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.want.(smithy.APIError).ErrorCode() {
				t.Fatalf("got %v, want %s", err, tt.want.(smithy.APIError).ErrorCode())
			}
		})
	}
}

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

// TestFaults checks that injected throttling and 500s are retried by the
// SDK's standard retryer and surface once attempts run out.
func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		inject    func(f *awsfake.Server)
		wantErr   string // error code; "" for success
		wantCalls int
	}{
		{"throttled twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 2) }, "", 3},
		{"throttled beyond attempts", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 5) }, "ThrottlingException", 3},
		{"500 twice", func(f *awsfake.Server) { f.FailInternal(awsfake.OpGetResourcePolicies, 2) }, "", 3},
		{"500 beyond attempts", func(f *awsfake.Server) { f.FailInternal(awsfake.AnyOperation, 9) }, "InternalServerError", 3},
		{"other operation", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 5) }, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, arn := seeded(t)
			sc, _ := clients(t, f, 3)
			tt.inject(f)
			_, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
			if code := errorCode(err); code != tt.wantErr {
				t.Fatalf("got %v, want code %q", err, tt.wantErr)
			}
			if n := f.Count(awsfake.OpGetResourcePolicies); n != tt.wantCalls {
				t.Fatalf("%d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr == "InternalServerError" {
				var ise *types.InternalServerError
				if !errors.As(err, &ise) {
					t.Errorf("500 not typed: %T", err)
				}
			}
		})
	}
}

func TestDelay(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	f.Delay(awsfake.OpGetResourcePolicies, 2*time.Second, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("call took %s despite the 100ms deadline", d)
	}
	// The delay applied to one call only.
	if _, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn}); err != nil {
		t.Fatal(err)
	}

	f.Delay(awsfake.AnyOperation, 150*time.Millisecond, 1)
	start = time.Now()
	if _, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("delayed call answered after %s, want >= 150ms", d)
	}
}

// TestBeforeWrite injects another writer between a client's read and its
// write: the write must conflict and the other writer's document must stay.
func TestBeforeWrite(t *testing.T) {
	f, arn := seeded(t)
	seed, err := f.AddPolicy(arn, policyDoc)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 3)
	ctx := context.Background()

	read, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	const theirs = `{"Statement":[{"Sid":"Theirs"}]}`
	ran := 0
	f.BeforeWrite(1, func() {
		ran++
		if _, err := f.WritePolicy(arn, seed.ID, theirs); err != nil {
			t.Error(err)
		}
	})
	_, err = sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(`{"Statement":[{"Sid":"Mine"}]}`),
		PolicyId: read.Policies[0].PolicyId, PolicyHash: read.Policies[0].PolicyHash,
	})
	var conflict *types.ResourcePolicyConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("got %v, want ResourcePolicyConflictException", err)
	}
	if ran != 1 || f.Count(awsfake.OpPutResourcePolicy) != 1 {
		t.Errorf("hook ran %d times, %d puts; want 1 and 1 (a conflict is not retried)", ran, f.Count(awsfake.OpPutResourcePolicy))
	}
	if got := f.Policies(arn); len(got) != 1 || got[0].Document != theirs {
		t.Errorf("stored %+v, want the other writer's document", got)
	}
}

// TestConcurrency hammers one policy from many goroutines: every create
// succeeds with a distinct id, and of many updates with the same hash
// exactly one wins.
func TestConcurrency(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	ctx := context.Background()
	const n = 16

	var wg sync.WaitGroup
	ids := make(chan string, n)
	for range n {
		wg.Go(func() {
			out, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
			if err != nil {
				t.Error(err)
				return
			}
			ids <- aws.ToString(out.PolicyId)
		})
	}
	wg.Wait()
	close(ids)
	distinct := map[string]bool{}
	for id := range ids {
		distinct[id] = true
	}
	if len(distinct) != n || len(f.Policies(arn)) != n {
		t.Fatalf("%d distinct ids, %d stored; want %d", len(distinct), len(f.Policies(arn)), n)
	}

	target := f.Policies(arn)[0]
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
				ResourceArn: &arn, Policy: aws.String(fmt.Sprintf(`{"Statement":[{"Sid":"W%d"}]}`, i)),
				PolicyId: &target.ID, PolicyHash: &target.Hash,
			})
			mu.Lock()
			defer mu.Unlock()
			var conflict *types.ResourcePolicyConflictException
			switch {
			case err == nil:
				wins++
			case errors.As(err, &conflict):
				conflicts++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Fatalf("%d wins, %d conflicts; want 1 and %d", wins, conflicts, n-1)
	}
}

// rawCall posts to the fake without the SDK, to reach the checks a real
// client never trips.
func rawCall(t *testing.T, f *awsfake.Server, method, target, contentType string, signed bool, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Content-Type", contentType)
	if signed {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+awsfake.AccessKeyID+"/20260101/us-east-1/ssm/aws4_request")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestWireProtocol(t *testing.T) {
	f, arn := seeded(t)
	const ct = "application/x-amz-json-1.1"
	tests := []struct {
		name        string
		method      string
		target, ct  string
		signed      bool
		body        string
		wantStatus  int
		wantType    string
		wantContain string
	}{
		{"ok", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, true, `{"ResourceArn":"` + arn + `"}`, 200, "", `"Policies":[]`},
		{"GET", http.MethodGet, "AmazonSSM.GetResourcePolicies", ct, true, ``, 405, "UnknownOperationException", ""},
		{"unsigned", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, false, `{}`, 400, "MissingAuthenticationTokenException", ""},
		{"wrong content type", http.MethodPost, "AmazonSSM.GetResourcePolicies", "application/json", true, `{}`, 400, "SerializationException", ""},
		{"unknown operation", http.MethodPost, "AmazonSSM.PutParameter", ct, true, `{"Name":"/app/db","Value":"` + secretValue + `"}`, 400, "UnknownOperationException", ""},
		{"not JSON", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, true, `{`, 400, "SerializationException", ""},
		{"delete missing members", http.MethodPost, "AmazonSSM.DeleteResourcePolicy", ct, true, `{"ResourceArn":"` + arn + `"}`, 400, "ResourcePolicyInvalidParameterException", `"ParameterNames":["PolicyHash","PolicyId"]`},
		{"put missing policy", http.MethodPost, "AmazonSSM.PutResourcePolicy", ct, true, `{"ResourceArn":"` + arn + `"}`, 400, "ResourcePolicyInvalidParameterException", `"Policy"`},
		{"describe key without id", http.MethodPost, "TrentService.DescribeKey", ct, true, `{}`, 400, "ValidationException", ""},
		{"old-style filters", http.MethodPost, "AmazonSSM.DescribeParameters", ct, true, `{"Filters":[{"Key":"Name","Values":["x"]}]}`, 400, "InvalidFilter", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawCall(t, f, tt.method, tt.target, tt.ct, tt.signed, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", status, tt.wantStatus, body)
			}
			if tt.wantType != "" && !strings.Contains(body, `"__type":"`+tt.wantType+`"`) {
				t.Errorf("body %s lacks __type %s", body, tt.wantType)
			}
			if !strings.Contains(body, tt.wantContain) {
				t.Errorf("body %s lacks %s", body, tt.wantContain)
			}
			if strings.Contains(body, secretValue) {
				t.Errorf("response leaks the secret value: %s", body)
			}
		})
	}
}

// TestCallLogAndSecrets checks that the call log records operations and
// bodies, and that no response or log entry ever holds a secret value.
func TestCallLogAndSecrets(t *testing.T) {
	f, arn := seeded(t)
	sc, kc := clients(t, f, 1)
	ctx := context.Background()

	var captured bytes.Buffer
	if _, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)}); err != nil {
		t.Fatal(err)
	}
	dp, err := sc.DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&captured, "%+v\n", dp.Parameters)
	for _, md := range dp.Parameters {
		fmt.Fprintf(&captured, "%s %s %s %s %s\n", aws.ToString(md.Name), aws.ToString(md.ARN), md.Type, md.Tier, aws.ToString(md.KeyId))
	}
	if _, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(awsfake.AWSManagedSSMAlias)}); err != nil {
		t.Fatal(err)
	}
	// A client that sends a value to an operation the fake does not know.
	_, body := rawCall(t, f, http.MethodPost, "AmazonSSM.PutParameter", "application/x-amz-json-1.1", true, `{"Name":"/app/db","Value":"`+secretValue+`"}`)
	captured.WriteString(body)

	calls := f.Calls()
	wantOps := []string{awsfake.OpPutResourcePolicy, awsfake.OpDescribeParameters, awsfake.OpDescribeKey, "AmazonSSM.PutParameter"}
	if len(calls) != len(wantOps) {
		t.Fatalf("%d calls logged, want %d: %+v", len(calls), len(wantOps), calls)
	}
	for i, c := range calls {
		if c.Operation != wantOps[i] || c.Seq != i+1 {
			t.Errorf("call %d: %+v, want operation %s", i, c, wantOps[i])
		}
		fmt.Fprintf(&captured, "%+v\n", c)
	}
	if !strings.Contains(calls[0].Body, `"ResourceArn":"`+arn+`"`) || calls[0].Status != 200 {
		t.Errorf("put body not logged: %+v", calls[0])
	}
	if calls[3].ErrorType != "UnknownOperationException" {
		t.Errorf("unknown operation logged as %+v", calls[3])
	}
	if f.Count(awsfake.OpPutResourcePolicy) != 1 || f.CountOK(awsfake.AnyOperation) != 3 {
		t.Errorf("Count(Put)=%d CountOK(any)=%d, want 1 and 3", f.Count(awsfake.OpPutResourcePolicy), f.CountOK(awsfake.AnyOperation))
	}
	if s := captured.String(); strings.Contains(s, secretValue) || strings.Contains(s, awsfake.SecretAccessKey) {
		t.Fatalf("secret found in captured output:\n%s", s)
	}
	if !strings.Contains(captured.String(), "/app/db") {
		t.Fatal("captured output is missing the parameter: the grep above proves nothing")
	}
	f.ResetCalls()
	if len(f.Calls()) != 0 {
		t.Error("ResetCalls left entries")
	}
}

func TestAWSConfigAndOptions(t *testing.T) {
	f := awsfake.StartTest(t, awsfake.WithRegion("eu-west-1"), awsfake.WithAccount("444455556666"))
	if f.Region() != "eu-west-1" || f.Account() != "444455556666" {
		t.Fatalf("region %s account %s", f.Region(), f.Account())
	}
	p, err := f.AddParameter(awsfake.Parameter{Name: "x", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if p.ARN != "arn:aws:ssm:eu-west-1:444455556666:parameter/x" {
		t.Fatalf("ARN %s", p.ARN)
	}
	sc := ssm.NewFromConfig(f.AWSConfig())
	f.Throttle(awsfake.OpPutResourcePolicy, 1)
	out, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &p.ARN, Policy: aws.String(policyDoc)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.PolicyId) == "" || f.Count(awsfake.OpPutResourcePolicy) != 2 {
		t.Fatalf("id %q after %d calls; want an id after 2", aws.ToString(out.PolicyId), f.Count(awsfake.OpPutResourcePolicy))
	}
	// The default group of the configured account accepts a policy.
	if _, err := f.AddPolicy("arn:aws:ssm:eu-west-1:444455556666:opsitemgroup/default", policyDoc); err != nil {
		t.Fatal(err)
	}
	other := "arn:aws:ssm:us-west-2:444455556666:opsitemgroup/default"
	if _, err := f.AddPolicy(other, policyDoc); err == nil {
		t.Fatal("policy on an unseeded resource accepted")
	}
	f.AddResource(other)
	if _, err := f.AddPolicy(other, policyDoc); err != nil {
		t.Fatalf("after AddResource: %v", err)
	}
}

func TestClearFaults(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	f.Throttle(awsfake.AnyOperation, 3)
	f.BeforeWrite(1, func() { t.Error("cleared hook ran") })
	f.ClearFaults()
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)}); err != nil {
		t.Fatal(err)
	}
}

func TestRemovePolicy(t *testing.T) {
	f, arn := seeded(t)
	keep, err := f.AddPolicy(arn, `{"Statement":[{"Sid":"Keep"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	drop, err := f.AddPolicy(arn, `{"Statement":[{"Sid":"Drop"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.RemovePolicy(arn, drop.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.Policies(arn); len(got) != 1 || got[0].ID != keep.ID {
		t.Fatalf("after RemovePolicy: %+v, want only %s", got, keep.ID)
	}
}
