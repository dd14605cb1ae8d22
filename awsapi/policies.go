package awsapi

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	out, err := client.PutResourcePolicy(ctx, in)
	if err != nil {
		return "", "", err
	}
	return aws.ToString(out.PolicyId), aws.ToString(out.PolicyHash), nil
}
