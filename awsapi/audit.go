package awsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// The reads of an audit. Each follows every page, and none writes.

// ParameterInfo is what DescribeParameters says of one parameter: never its value.
type ParameterInfo struct {
	Name, ARN, Tier, Type string
	// KeyID is the key SSM recorded for a SecureString (alias, key id or ARN); "" otherwise.
	KeyID string
}

// AdvancedParameters lists the parameters of the Advanced tier, the only ones that can carry
// a resource policy (DescribeParameters with the filter Tier Equals Advanced, 50 a page,
// following NextToken through the empty pages a filtered listing may return). It calls fn for
// each parameter as its page arrives, so that a caller can work on one page while the next is
// read, and stops at fn's first error.
func AdvancedParameters(ctx context.Context, client SSM, fn func(ParameterInfo) error) error {
	in := &ssm.DescribeParametersInput{
		MaxResults: aws.Int32(50),
		ParameterFilters: []types.ParameterStringFilter{{
			Key: aws.String("Tier"), Option: aws.String("Equals"), Values: []string{string(types.ParameterTierAdvanced)},
		}},
	}
	for page := 0; ; page++ {
		if page == maxPages {
			return fmt.Errorf("describe parameters: more than %d pages", maxPages)
		}
		out, err := client.DescribeParameters(ctx, in)
		if err != nil {
			return fmt.Errorf("describe parameters: %w", err)
		}
		for _, md := range out.Parameters {
			p := ParameterInfo{Name: aws.ToString(md.Name), ARN: aws.ToString(md.ARN), Tier: string(md.Tier),
				Type: string(md.Type), KeyID: aws.ToString(md.KeyId)}
			if err := fn(p); err != nil {
				return err
			}
		}
		next := aws.ToString(out.NextToken)
		if next == "" {
			return nil
		}
		if next == aws.ToString(in.NextToken) {
			return errors.New("describe parameters: the service repeated a NextToken")
		}
		in.NextToken = out.NextToken
	}
}

// OwnShares returns the RAM shares of SSM parameters that the caller's account owns in the
// client's region, by the ARN of the parameter each holds: GetResourceShares (resourceOwner
// SELF, status ACTIVE, all pages) for each share's feature set, which RAM cannot filter on,
// and ListResources (resourceOwner SELF, resourceType ssm:Parameter, all pages) for the
// resources of each share. Shares of other resource types are left out.
func OwnShares(ctx context.Context, client RAM) (map[string][]Share, error) {
	featureSets := map[string]string{}
	gin := &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceShareStatus: ramtypes.ResourceShareStatusActive}
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("get resource shares: more than %d pages", maxPages)
		}
		out, err := client.GetResourceShares(ctx, gin)
		if err != nil {
			return nil, fmt.Errorf("get resource shares: %w", err)
		}
		for _, sh := range out.ResourceShares {
			featureSets[aws.ToString(sh.ResourceShareArn)] = string(sh.FeatureSet)
		}
		if gin.NextToken, err = nextToken(out.NextToken, gin.NextToken); err != nil {
			return nil, fmt.Errorf("get resource shares: %w", err)
		}
		if gin.NextToken == nil {
			break
		}
	}
	shares := map[string][]Share{}
	lin := &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceType: aws.String("ssm:Parameter")}
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("list resources: more than %d pages", maxPages)
		}
		out, err := client.ListResources(ctx, lin)
		if err != nil {
			return nil, fmt.Errorf("list resources: %w", err)
		}
		for _, r := range out.Resources {
			share := aws.ToString(r.ResourceShareArn)
			fs, ok := featureSets[share]
			if !ok {
				continue // a share that is not ACTIVE
			}
			arn := aws.ToString(r.Arn)
			shares[arn] = append(shares[arn], Share{ARN: share, FeatureSet: fs})
		}
		if lin.NextToken, err = nextToken(out.NextToken, lin.NextToken); err != nil {
			return nil, fmt.Errorf("list resources: %w", err)
		}
		if lin.NextToken == nil {
			return shares, nil
		}
	}
}

// KeyInfo is what KMS says of a key.
type KeyInfo struct {
	ARN     string
	Manager string // AWS | CUSTOMER; "" when KMS has no such key
}

// Keys answers DescribeKey once per key spelling for a run, however many parameters name the
// key and however many workers ask at once.
type Keys struct {
	client KMS
	cache  cache[KeyInfo]
}

// NewKeys returns an empty key cache over client.
func NewKeys(client KMS) *Keys { return &Keys{client: client} }

// Describe returns the ARN and manager of a key as written (key id, key ARN, alias name or
// alias ARN). A key KMS does not have is KeyInfo{} and no error.
func (k *Keys) Describe(ctx context.Context, key string) (KeyInfo, error) {
	return k.cache.get(key, func() (KeyInfo, error) {
		out, err := k.client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
		var nf *kmstypes.NotFoundException
		switch {
		case errors.As(err, &nf):
			return KeyInfo{}, nil
		case err != nil:
			return KeyInfo{}, fmt.Errorf("describe key %s: %w", key, err)
		case out.KeyMetadata == nil:
			return KeyInfo{}, nil
		}
		return KeyInfo{ARN: aws.ToString(out.KeyMetadata.Arn), Manager: string(out.KeyMetadata.KeyManager)}, nil
	})
}

// IsNotFound reports whether err says that the resource does not exist
// (ResourceNotFoundException), as GetResourcePolicies answers for a resource deleted while it
// was being read.
func IsNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}
