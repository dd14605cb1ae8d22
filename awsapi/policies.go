package awsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// maxPages bounds pagination so that a misbehaving endpoint that keeps returning a NextToken
// cannot loop forever.
const maxPages = 10000

// Policy is one resource policy as SSM holds it.
type Policy struct {
	ID       string
	Hash     string
	Document string
}

// ResourcePolicies returns every policy on the resource (GetResourcePolicies, following
// NextToken).
func ResourcePolicies(ctx context.Context, client SSM, arn string) ([]Policy, error) {
	in := &ssm.GetResourcePoliciesInput{ResourceArn: aws.String(arn), MaxResults: aws.Int32(50)}
	var out []Policy
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("more than %d pages of policies", maxPages)
		}
		resp, err := client.GetResourcePolicies(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, p := range resp.Policies {
			out = append(out, Policy{ID: aws.ToString(p.PolicyId), Hash: aws.ToString(p.PolicyHash), Document: aws.ToString(p.Policy)})
		}
		next := aws.ToString(resp.NextToken)
		if next == "" {
			return out, nil
		}
		if next == aws.ToString(in.NextToken) {
			return nil, fmt.Errorf("the service repeated a NextToken")
		}
		in.NextToken = resp.NextToken
	}
}

// PutResourcePolicy sends one policy (PutResourcePolicy): a new one when id is "", else the
// replacement of policy id, which AWS accepts only while hash is still its hash. It returns the
// PolicyId and PolicyHash AWS answers with.
func PutResourcePolicy(ctx context.Context, client SSM, arn, document, id, hash string) (newID, newHash string, err error) {
	in := &ssm.PutResourcePolicyInput{ResourceArn: aws.String(arn), Policy: aws.String(document)}
	if id != "" {
		in.PolicyId, in.PolicyHash = aws.String(id), aws.String(hash)
	}
	out, err := client.PutResourcePolicy(ctx, in, func(o *ssm.Options) { o.Retryer = throttlesOnly{o.Retryer} })
	if err != nil {
		return "", "", err
	}
	return aws.ToString(out.PolicyId), aws.ToString(out.PolicyHash), nil
}

// DeleteResourcePolicy deletes policy id of the resource, which AWS does only while hash is
// still its hash.
func DeleteResourcePolicy(ctx context.Context, client SSM, arn, id, hash string) error {
	_, err := client.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{
		ResourceArn: aws.String(arn), PolicyId: aws.String(id), PolicyHash: aws.String(hash),
	}, func(o *ssm.Options) { o.Retryer = throttlesOnly{o.Retryer} })
	return err
}

// throttlesOnly is the retryer of writes. The SDK's standard retryer also retries 5xx answers
// and lost connections, after which a write may or may not have been applied: a retried
// create then makes a second policy, and a retried update fails as if another writer had
// acted. A write is retried by the SDK only when AWS throttled it, which means AWS did not
// process it; the caller re-reads after any other failure and decides (see package apply).
type throttlesOnly struct{ aws.Retryer }

func (r throttlesOnly) IsErrorRetryable(err error) bool {
	return retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary && r.Retryer.IsErrorRetryable(err)
}

// GetAttemptToken keeps the retry quota of the retryer it wraps (aws.RetryerV2).
func (r throttlesOnly) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.Retryer.GetInitialToken(), nil
}

// IsUnprocessed reports whether a failed write certainly was not applied: AWS refused it
// with an error of its own (a 4xx answer). Otherwise (5xx, no answer, a lost connection) it
// may have been.
func IsUnprocessed(err error) bool {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() >= 400 && re.HTTPStatusCode() < 500 {
		return true
	}
	return IsCredentials(err)
}
