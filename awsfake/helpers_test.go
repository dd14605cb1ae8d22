package awsfake_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
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

// Accounts the multi-account tests use besides the home one.
const (
	consumer = "444455556666"
	outsider = "999999999999"
)

// retryer is a standard retryer with tiny backoff.
func retryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = 2 * time.Millisecond
	})
}

// as returns an SDK configuration acting as account in region.
func as(f *awsfake.Server, account, region string, maxAttempts int) aws.Config {
	cfg := f.ConfigFor(account, region)
	cfg.Retryer = func() aws.Retryer { return retryer(maxAttempts) }
	return cfg
}

// ramClient is the real RAM client, acting as account in the home region.
func ramClient(f *awsfake.Server, account string, maxAttempts int) *ram.Client {
	return ram.NewFromConfig(as(f, account, awsfake.DefaultRegion, maxAttempts))
}

// ssmAs is the real SSM client, acting as account in region.
func ssmAs(f *awsfake.Server, account, region string, maxAttempts int) *ssm.Client {
	return ssm.NewFromConfig(as(f, account, region, maxAttempts))
}

// clock is a test clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sharedParameter seeds an Advanced parameter in the home store and puts a
// policy on it through the SDK granting the consumer the actions given.
func sharedParameter(t *testing.T, f *awsfake.Server, name string, actions ...string) string {
	t.Helper()
	p, err := f.AddParameter(awsfake.Parameter{Name: name, Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 1)
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{
		ResourceArn: &p.ARN, Policy: aws.String(grantDoc(consumer, p.ARN, actions...)),
	}); err != nil {
		t.Fatal(err)
	}
	return p.ARN
}

// grantDoc is a one-statement policy granting account the actions on arn.
func grantDoc(account, arn string, actions ...string) string {
	quoted := make([]string, len(actions))
	for i, a := range actions {
		quoted[i] = `"` + a + `"`
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account +
		`:root"},"Action":[` + strings.Join(quoted, ",") + `],"Resource":"` + arn + `"}]}`
}

// readOnly is the action set of AWSRAMDefaultPermissionSSMParameterReadOnly,
// in another order and case than RAM lists it.
func readOnly() []string {
	return []string{"ssm:GetParameters", "SSM:GetParameter", "ssm:DescribeParameters"}
}
