package awsapi

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// SharedParameters lists, for a consumer account, the parameters other accounts share with it
// in the client's region (DescribeParameters with the Shared option, every page), by the name
// SSM gives them there: their full ARN. Only parameters whose RAM share is STANDARD are listed.
func SharedParameters(ctx context.Context, client SSM) ([]string, error) {
	in := &ssm.DescribeParametersInput{Shared: aws.Bool(true), MaxResults: aws.Int32(50)}
	var out []string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("more than %d pages of shared parameters", maxPages)
		}
		resp, err := client.DescribeParameters(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, p := range resp.Parameters {
			out = append(out, aws.ToString(p.Name))
		}
		var terr error
		if in.NextToken, terr = nextToken(resp.NextToken, in.NextToken); terr != nil || in.NextToken == nil {
			return out, terr
		}
	}
}
