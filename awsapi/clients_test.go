package awsapi_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

const (
	secretValue  = "s3cr3t-db-password-VALUE-71c4"
	secretValue2 = "another-secret-VALUE-api-key-0b9a"
)

// isolateEnv keeps the developer's AWS setup out of the tests.
func isolateEnv(t *testing.T) { awsfake.Isolate(t) }

func fakeCreds() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(awsfake.AccessKeyID, awsfake.SecretAccessKey, "")
}

// env is one test's fake and clients, built by awsapi.NewClients the way the
// CLI builds them, with short limits.
type env struct {
	fake *awsfake.Server
	c    *awsapi.Clients
	db   awsfake.Parameter // Advanced SecureString under the AWS managed key
	web  awsfake.Parameter // Advanced SecureString under a customer key
}

func options(f *awsfake.Server) awsapi.Options {
	return awsapi.Options{
		Region: "us-east-1", EndpointURL: f.URL(), Credentials: fakeCreds(),
		Timeout: 3 * time.Second, MaxAttempts: 3, MaxBackoff: 2 * time.Millisecond,
	}
}

func setup(t *testing.T, mutate ...func(*awsapi.Options)) *env {
	t.Helper()
	isolateEnv(t)
	f := awsfake.StartTest(t)
	o := options(f)
	for _, m := range mutate {
		m(&o)
	}
	c, err := awsapi.NewClients(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{fake: f, c: c}
	if _, err := f.AddKey(awsfake.Key{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab", Aliases: []string{"alias/app-secrets"}}); err != nil {
		t.Fatal(err)
	}
	if e.db, err = f.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, Value: secretValue}); err != nil {
		t.Fatal(err)
	}
	if e.web, err = f.AddParameter(awsfake.Parameter{Name: "/app/web", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretValue2}); err != nil {
		t.Fatal(err)
	}
	return e
}

func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretValue, secretValue2, awsfake.SecretAccessKey} {
		if strings.Contains(s, secret) {
			t.Fatalf("output contains a secret (%.6s...):\n%s", secret, s)
		}
	}
}

// TestDescribeParametersPagination: the fake returns filtered pages that may
// be empty; the parameter sorts last among 120, so it is on page 3.
// ping makes a lookup through c and fails unless it reached f.
func ping(t *testing.T, c *awsapi.Clients, f *awsfake.Server) {
	t.Helper()
	before := f.Count(awsfake.AnyOperation)
	if _, err := awsapi.LookupParameter(context.Background(), c.SSM, c.KMS, "/app/db"); err != nil {
		t.Fatal(err)
	}
	if f.Count(awsfake.AnyOperation) <= before {
		t.Fatal("the call did not reach the fake")
	}
}

// TestNewClientsRefuses: configurations that cannot work are errors before any call.
func TestNewClientsRefuses(t *testing.T) {
	ctx := context.Background()
	t.Run("no region", func(t *testing.T) {
		isolateEnv(t)
		_, err := awsapi.NewClients(ctx, awsapi.Options{Credentials: fakeCreds()})
		if err == nil || !strings.Contains(err.Error(), "no AWS region") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("bad endpoint", func(t *testing.T) {
		isolateEnv(t)
		for _, u := range []string{"localhost:4566", "ftp://x", "http://", "::"} {
			if _, err := awsapi.NewClients(ctx, awsapi.Options{Region: "us-east-1", EndpointURL: u}); err == nil || !strings.Contains(err.Error(), "endpoint URL") {
				t.Errorf("%q: error %v", u, err)
			}
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		isolateEnv(t)
		_, err := awsapi.NewClients(ctx, awsapi.Options{Profile: "nope", Region: "us-east-1"})
		if err == nil || !strings.Contains(err.Error(), "load AWS configuration") {
			t.Fatalf("error %v", err)
		}
	})
}

// TestNewClientsChain: the standard chain gives profile, region, credentials and endpoints,
// and the flags beat the environment.
func TestNewClientsChain(t *testing.T) {
	ctx := context.Background()
	t.Run("profile from shared config", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		if _, err := f.AddParameter(awsfake.Parameter{Name: "/app/db", Value: secretValue}); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		cfgFile := filepath.Join(dir, "config")
		credFile := filepath.Join(dir, "credentials")
		if err := os.WriteFile(cfgFile, []byte("[profile fake]\nregion = eu-west-1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(credFile, []byte("[fake]\naws_access_key_id = "+awsfake.AccessKeyID+"\naws_secret_access_key = "+awsfake.SecretAccessKey+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("AWS_CONFIG_FILE", cfgFile)
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credFile)
		c, err := awsapi.NewClients(ctx, awsapi.Options{Profile: "fake", EndpointURL: f.URL(), MaxBackoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if c.Region != "eu-west-1" {
			t.Fatalf("region %q, want the profile's", c.Region)
		}
		ping(t, c, f)
	})
	t.Run("credentials from environment", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		t.Setenv("AWS_ACCESS_KEY_ID", awsfake.AccessKeyID)
		t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.SecretAccessKey)
		t.Setenv("AWS_REGION", "us-west-2")
		c, err := awsapi.NewClients(ctx, awsapi.Options{EndpointURL: f.URL()})
		if err != nil {
			t.Fatal(err)
		}
		if c.Region != "us-west-2" {
			t.Fatalf("region %q", c.Region)
		}
		ping(t, c, f)
	})
	t.Run("service endpoint variables", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		if _, err := f.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Value: secretValue}); err != nil {
			t.Fatal(err)
		}
		t.Setenv("AWS_ENDPOINT_URL_SSM", f.URL())
		t.Setenv("AWS_ENDPOINT_URL_KMS", f.URL())
		c, err := awsapi.NewClients(ctx, awsapi.Options{Region: "us-east-1", Credentials: fakeCreds()})
		if err != nil {
			t.Fatal(err)
		}
		ping(t, c, f)
		if f.Count(awsfake.OpDescribeKey) != 1 {
			t.Fatal("KMS did not use AWS_ENDPOINT_URL_KMS")
		}
	})
	t.Run("flag beats service endpoint variables", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		if _, err := f.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Value: secretValue}); err != nil {
			t.Fatal(err)
		}
		// Port 1 on loopback: nothing listens there, so using it would fail.
		t.Setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:1")
		t.Setenv("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:1")
		c, err := awsapi.NewClients(ctx, awsapi.Options{Region: "us-east-1", EndpointURL: f.URL(), Credentials: fakeCreds(), MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		ping(t, c, f)
		if f.Count(awsfake.OpDescribeKey) != 1 {
			t.Fatal("KMS did not use the endpoint flag")
		}
	})
}

// TestNewClientsCalls: the retry settings and the credentials as the calls see them.
func TestNewClientsCalls(t *testing.T) {
	ctx := context.Background()
	t.Run("AWS_MAX_ATTEMPTS beats MaxAttempts", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		t.Setenv("AWS_MAX_ATTEMPTS", "2")
		c, err := awsapi.NewClients(ctx, awsapi.Options{Region: "us-east-1", EndpointURL: f.URL(), Credentials: fakeCreds(), MaxAttempts: 5, MaxBackoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		f.FailInternal(awsfake.OpDescribeParameters, 5)
		if _, err := awsapi.LookupParameter(ctx, c.SSM, c.KMS, "/app/db"); err == nil {
			t.Fatal("the lookup succeeded through 5 injected errors")
		}
		if n := f.Count(awsfake.OpDescribeParameters); n != 2 {
			t.Fatalf("%d attempts, want AWS_MAX_ATTEMPTS=2", n)
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		isolateEnv(t)
		f := awsfake.StartTest(t)
		c, err := awsapi.NewClients(ctx, awsapi.Options{Region: "us-east-1", EndpointURL: f.URL(), Timeout: 5 * time.Second, MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = awsapi.LookupParameter(ctx, c.SSM, c.KMS, "/app/db")
		if err == nil {
			t.Fatal("a call without credentials succeeded")
		}
		if f.Count(awsfake.AnyOperation) != 0 {
			t.Fatal("an unsigned request was sent")
		}
	})
}

// TestProfileClients: one loaded profile makes the client set of any region, each with the
// limit and trace of the profile; with no region anywhere, asking for the default one fails.
func TestProfileClients(t *testing.T) {
	isolateEnv(t)
	ctx := context.Background()
	f := awsfake.StartTest(t)
	var trace syncBuffer
	o := options(f)
	o.Region, o.Trace = "", &trace
	p, err := awsapi.LoadProfile(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Region() != "" {
		t.Fatalf("region %q with none set", p.Region())
	}
	if _, err := p.Clients(""); err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Fatalf("default clients with no region: %v", err)
	}
	eu, err := p.Clients("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	us, err := p.Clients("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if eu.Region != "eu-west-1" || us.Region != "us-east-1" {
		t.Fatalf("regions %q and %q", eu.Region, us.Region)
	}
	for _, c := range []*awsapi.Clients{eu, us} {
		if _, err := awsapi.ResourcePolicies(ctx, c.SSM, "arn:aws:ssm:"+c.Region+":111122223333:opsitemgroup/default"); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(trace.String(), "aws: SSM GetResourcePolicies ok"); n != 2 {
		t.Fatalf("%d traced calls, want one per region's clients:\n%s", n, trace.String())
	}

	t.Setenv("AWS_REGION", "ap-south-1")
	p, err = awsapi.LoadProfile(ctx, options(f))
	if err != nil || p.Region() != "us-east-1" {
		t.Fatalf("--region beats AWS_REGION: %q, %v", p.Region(), err)
	}
}

func TestCheckRegion(t *testing.T) {
	c := &awsapi.Clients{Region: "us-east-1"}
	for arn, want := range map[string]string{
		"arn:aws:ssm:us-east-1:111122223333:parameter/a": "",
		"arn:aws:ssm:eu-west-1:111122223333:parameter/a": "the ARN is in region eu-west-1 but the AWS clients use us-east-1",
		"arn:aws:iam::111122223333:role/x":               "",
		"not an ARN":                                     "",
	} {
		err := c.CheckRegion(arn)
		if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Errorf("CheckRegion(%s) = %v, want %q", arn, err, want)
		}
	}
}

// TestRAMClient: the client set includes RAM, limited and traced like SSM and KMS, and reached
// through the same endpoint.
func TestRAMClient(t *testing.T) {
	isolateEnv(t)
	ctx := context.Background()
	f := awsfake.StartTest(t)
	var trace syncBuffer
	o := options(f)
	o.Trace = &trace
	c, err := awsapi.NewClients(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.RAM.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceShares) != 0 {
		t.Fatalf("a new account has %d shares", len(out.ResourceShares))
	}
	if !strings.Contains(trace.String(), "aws: RAM GetResourceShares ok") {
		t.Fatalf("RAM call not traced:\n%s", trace.String())
	}
}
