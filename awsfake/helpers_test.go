package awsfake_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
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
