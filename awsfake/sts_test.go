package awsfake_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// assumed returns a configuration whose credentials come from the SDK's
// stscreds provider assuming roleARN through the fake.
func assumed(f *awsfake.Server, roleARN string, maxAttempts int, opts ...func(*stscreds.AssumeRoleOptions)) aws.Config {
	base := as(f, awsfake.DefaultAccount, awsfake.DefaultRegion, maxAttempts)
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), roleARN, opts...))
	return cfg
}

// TestAssumeRole: the stscreds provider assumes a role of another account
// and its credentials act as that account.
func TestAssumeRole(t *testing.T) {
	f := awsfake.StartTest(t)
	const member = "222233334444"
	role := f.AddRole(member, "ssmpolicy-audit")
	p, err := f.At(member, awsfake.DefaultRegion).AddParameter(awsfake.Parameter{Name: "/member/db", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	cfg := assumed(f, role, 1)
	ctx := context.Background()

	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != member || !strings.HasPrefix(aws.ToString(id.Arn), "arn:aws:sts::"+member+":assumed-role/ssmpolicy-audit/") {
		t.Fatalf("caller identity %s %s", aws.ToString(id.Account), aws.ToString(id.Arn))
	}
	out, err := ssm.NewFromConfig(cfg).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 1 || aws.ToString(out.Parameters[0].ARN) != p.ARN {
		t.Fatalf("the assumed role sees %+v, want the member's parameter", out.Parameters)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || !strings.HasPrefix(creds.SecretAccessKey, awsfake.TemporarySecretPrefix) ||
		!strings.HasPrefix(creds.SessionToken, awsfake.SessionTokenPrefix) || !creds.CanExpire {
		t.Fatalf("credentials %s / token %t / expiring %t", creds.AccessKeyID, creds.SessionToken != "", creds.CanExpire)
	}

	calls := f.Calls()
	if calls[0].Operation != awsfake.OpAssumeRole || calls[0].Service != "sts" || calls[0].Account != awsfake.DefaultAccount {
		t.Errorf("first call %+v, want AssumeRole by the home account", calls[0])
	}
	last := calls[len(calls)-1]
	if last.Operation != awsfake.OpDescribeParameters || last.Account != member {
		t.Errorf("last call %+v, want DescribeParameters as %s", last, member)
	}
	for _, c := range calls {
		if strings.Contains(c.Body, creds.SecretAccessKey) || strings.Contains(c.Body, creds.SessionToken) {
			t.Fatalf("call log holds an issued secret: %+v", c)
		}
	}
	if !strings.Contains(calls[0].Body, "RoleArn=") {
		t.Fatalf("AssumeRole body not logged: %q", calls[0].Body)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	f := awsfake.StartTest(t)
	role := f.AddRole("222233334444", "audit")
	ctx := context.Background()
	tests := []struct {
		name   string
		role   string
		opts   func(*stscreds.AssumeRoleOptions)
		inject func()
		code   string
		status int
	}{
		{"unknown role", awsfake.RoleARN("222233334444", "other"), nil, nil, "AccessDenied", 403},
		{"not a role ARN", "arn:aws:iam::222233334444:user/bob", nil, nil, "ValidationError", 400},
		{"too long a session", role, func(o *stscreds.AssumeRoleOptions) { o.Duration = 2 * time.Hour }, nil, "ValidationError", 400},
		{"bad session name", role, func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "has space" }, nil, "ValidationError", 400},
		{"denied", role, nil, func() { f.DenyAccess(awsfake.OpAssumeRole, 1) }, "AccessDenied", 403},
		{"throttled", role, nil, func() { f.Throttle(awsfake.OpAssumeRole, 5) }, "Throttling", 400},
		{"internal", role, nil, func() { f.FailInternal(awsfake.OpAssumeRole, 5) }, "InternalFailure", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.ClearFaults()
			if tt.inject != nil {
				tt.inject()
			}
			var opts []func(*stscreds.AssumeRoleOptions)
			if tt.opts != nil {
				opts = append(opts, tt.opts)
			}
			_, err := assumed(f, tt.role, 1, opts...).Credentials.Retrieve(ctx)
			if code := errorCode(err); code != tt.code {
				t.Fatalf("got %v (code %q), want %s", err, code, tt.code)
			}
			if s := httpStatus(err); s != tt.status {
				t.Errorf("status %d, want %d", s, tt.status)
			}
		})
	}
	f.ClearFaults()

	// The SDK retries a throttled AssumeRole.
	f.Throttle(awsfake.OpAssumeRole, 2)
	if _, err := assumed(f, role, 3).Credentials.Retrieve(ctx); err != nil {
		t.Fatalf("after two throttles: %v", err)
	}
	if n := f.Count(awsfake.OpAssumeRole); n < 3 {
		t.Fatalf("%d AssumeRole calls", n)
	}
}

// TestTemporaryCredentials: issued keys need their session token and stop
// working when they expire.
func TestTemporaryCredentials(t *testing.T) {
	clk := newClock()
	f := awsfake.StartTest(t, awsfake.WithClock(clk.Now))
	role := f.AddRole("222233334444", "audit")
	ctx := context.Background()
	creds, err := assumed(f, role, 1).Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call := func(token string) error {
		cfg := as(f, awsfake.DefaultAccount, awsfake.DefaultRegion, 1)
		cfg.Credentials = credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, token)
		_, err := ssm.NewFromConfig(cfg).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		return err
	}
	if err := call(creds.SessionToken); err != nil {
		t.Fatal(err)
	}
	if code := errorCode(call("forged")); code != "UnrecognizedClientException" {
		t.Fatalf("forged token: code %q", code)
	}
	clk.Advance(time.Hour)
	if code := errorCode(call(creds.SessionToken)); code != "ExpiredTokenException" {
		t.Fatalf("expired: code %q", code)
	}
}

// TestSTSWire checks the awsQuery envelope below the SDK.
func TestSTSWire(t *testing.T) {
	f := awsfake.StartTest(t)
	role := f.AddRole("222233334444", "audit")
	post := func(form string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, f.URL(), strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+awsfake.AccessKeyID+"/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
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
	status, body := post(fmt.Sprintf("Action=AssumeRole&Version=2011-06-15&RoleArn=%s&RoleSessionName=s1", role))
	for _, want := range []string{`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`, "<AssumeRoleResult>",
		"<AccessKeyId>ASIA", "<SessionToken>", "<Arn>arn:aws:sts::222233334444:assumed-role/audit/s1</Arn>", "<RequestId>"} {
		if status != 200 || !strings.Contains(body, want) {
			t.Fatalf("status %d body %s lacks %s", status, body, want)
		}
	}
	status, body = post("Action=GetFederationToken&Version=2011-06-15")
	if status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") || !strings.Contains(body, "<ErrorResponse") {
		t.Fatalf("unknown action: %d %s", status, body)
	}
}

// TestStrictAccessKeys: unknown keys are the home account unless the fake
// is strict.
func TestStrictAccessKeys(t *testing.T) {
	ctx := context.Background()
	lenient := awsfake.StartTest(t)
	strict := awsfake.StartTest(t, awsfake.WithStrictAccessKeys())
	for _, f := range []*awsfake.Server{lenient, strict} {
		if _, err := f.AddParameter(awsfake.Parameter{Name: "/x"}); err != nil {
			t.Fatal(err)
		}
	}
	client := func(f *awsfake.Server, key string) *ssm.Client {
		cfg := as(f, awsfake.DefaultAccount, awsfake.DefaultRegion, 1)
		cfg.Credentials = credentials.NewStaticCredentialsProvider(key, "whatever", "")
		return ssm.NewFromConfig(cfg)
	}
	out, err := client(lenient, "AKIAUNKNOWN000000000").DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if err != nil || len(out.Parameters) != 1 {
		t.Fatalf("lenient: %v, %+v", err, out)
	}
	_, err = client(strict, "AKIAUNKNOWN000000000").DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if code := errorCode(err); code != "UnrecognizedClientException" {
		t.Fatalf("strict, unknown key: %v", err)
	}
	for _, key := range []string{awsfake.AccessKeyID, awsfake.AccessKeyFor(awsfake.DefaultAccount)} {
		out, err := client(strict, key).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		if err != nil || len(out.Parameters) != 1 {
			t.Fatalf("strict, key %s: %v %+v", key, err, out)
		}
	}
	_, err = client(strict, awsfake.AccessKeyFor("12345")).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if errorCode(err) != "UnrecognizedClientException" {
		t.Fatalf("strict, malformed fake key: %v", err)
	}
}
