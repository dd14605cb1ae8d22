package awsapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// RAM feature sets of shares and permissions.
const (
	FeatureSetCreatedFromPolicy = string(ramtypes.ResourceShareFeatureSetCreatedFromPolicy)
	FeatureSetPromoting         = string(ramtypes.ResourceShareFeatureSetPromotingToStandard)
	FeatureSetStandard          = string(ramtypes.ResourceShareFeatureSetStandard)
)

// Share is a RAM resource share the caller owns.
type Share struct {
	ARN        string
	Name       string
	FeatureSet string // CREATED_FROM_POLICY, PROMOTING_TO_STANDARD or STANDARD
	Status     string // ACTIVE, ...
}

// SharePermission is a managed permission a share uses.
type SharePermission struct {
	ARN        string
	Name       string
	FeatureSet string // CREATED_FROM_POLICY or STANDARD
	Type       string // AWS_MANAGED or CUSTOMER_MANAGED
}

// SharesOf returns the shares the caller owns that hold the resource (ListResources with
// resourceOwner SELF and the resource's ARN, then GetResourceShares for their feature sets), in
// the order RAM lists them. None is no error: RAM makes the share of a PutResourcePolicy some
// time after the write.
func SharesOf(ctx context.Context, client RAM, resourceARN string) ([]Share, error) {
	in := &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceArns: []string{resourceARN}}
	var arns []string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("more than %d pages of shared resources", maxPages)
		}
		out, err := client.ListResources(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, r := range out.Resources {
			if a := aws.ToString(r.ResourceShareArn); a != "" && aws.ToString(r.Arn) == resourceARN && !slices.Contains(arns, a) {
				arns = append(arns, a)
			}
		}
		if in.NextToken, err = nextToken(out.NextToken, in.NextToken); err != nil || in.NextToken == nil {
			if err != nil {
				return nil, err
			}
			break
		}
	}
	if len(arns) == 0 {
		return nil, nil
	}
	shares, err := getShares(ctx, client, arns)
	if err != nil {
		return nil, err
	}
	// In ListResources' order; a share listed there and gone by the second call is left out.
	var out []Share
	for _, a := range arns {
		if i := slices.IndexFunc(shares, func(s Share) bool { return s.ARN == a }); i >= 0 {
			out = append(out, shares[i])
		}
	}
	return out, nil
}

// GetShare reads one share the caller owns; ok is false when RAM no longer lists it.
func GetShare(ctx context.Context, client RAM, shareARN string) (s Share, ok bool, err error) {
	shares, err := getShares(ctx, client, []string{shareARN})
	if err != nil || len(shares) == 0 {
		return Share{}, false, err
	}
	return shares[0], true, nil
}

func getShares(ctx context.Context, client RAM, arns []string) ([]Share, error) {
	in := &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceShareArns: arns}
	var out []Share
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("more than %d pages of resource shares", maxPages)
		}
		resp, err := client.GetResourceShares(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, s := range resp.ResourceShares {
			out = append(out, Share{ARN: aws.ToString(s.ResourceShareArn), Name: aws.ToString(s.Name),
				FeatureSet: string(s.FeatureSet), Status: string(s.Status)})
		}
		if in.NextToken, err = nextToken(resp.NextToken, in.NextToken); err != nil || in.NextToken == nil {
			return out, err
		}
	}
}

// SharePermissions lists the managed permissions a share uses (ListResourceSharePermissions).
func SharePermissions(ctx context.Context, client RAM, shareARN string) ([]SharePermission, error) {
	in := &ram.ListResourceSharePermissionsInput{ResourceShareArn: aws.String(shareARN)}
	var out []SharePermission
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("more than %d pages of share permissions", maxPages)
		}
		resp, err := client.ListResourceSharePermissions(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, p := range resp.Permissions {
			out = append(out, SharePermission{ARN: aws.ToString(p.Arn), Name: aws.ToString(p.Name),
				FeatureSet: string(p.FeatureSet), Type: string(p.PermissionType)})
		}
		if in.NextToken, err = nextToken(resp.NextToken, in.NextToken); err != nil || in.NextToken == nil {
			return out, err
		}
	}
}

// PromotePermission makes a customer managed permission named name from a CREATED_FROM_POLICY
// permission (PromotePermissionCreatedFromPolicy). token makes the call idempotent: a retry
// with the same token returns the permission the first call made. The SDK retries it only when
// throttled; the caller decides about the rest.
func PromotePermission(ctx context.Context, client RAM, permissionARN, name, token string) (SharePermission, error) {
	out, err := client.PromotePermissionCreatedFromPolicy(ctx, &ram.PromotePermissionCreatedFromPolicyInput{
		PermissionArn: aws.String(permissionARN), Name: aws.String(name), ClientToken: aws.String(token),
	}, func(o *ram.Options) { o.Retryer = throttlesOnly{o.Retryer} })
	if err != nil {
		return SharePermission{}, err
	}
	if out.Permission == nil {
		return SharePermission{Name: name}, nil
	}
	p := out.Permission
	return SharePermission{ARN: aws.ToString(p.Arn), Name: aws.ToString(p.Name), FeatureSet: string(p.FeatureSet), Type: string(p.PermissionType)}, nil
}

// PromoteShare starts the promotion of a CREATED_FROM_POLICY share to STANDARD
// (PromoteResourceShareCreatedFromPolicy); RAM finishes it asynchronously. Not retried by the
// SDK but when throttled: a second call after a first that worked fails with
// InvalidStateTransitionException, so the caller re-reads the share instead.
func PromoteShare(ctx context.Context, client RAM, shareARN string) error {
	_, err := client.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{
		ResourceShareArn: aws.String(shareARN),
	}, func(o *ram.Options) { o.Retryer = throttlesOnly{o.Retryer} })
	return err
}

// nextToken is the token of the next page, nil when there is none; a token the service
// repeats is an error rather than a loop.
func nextToken(next, prev *string) (*string, error) {
	switch aws.ToString(next) {
	case "":
		return nil, nil
	case aws.ToString(prev):
		return nil, fmt.Errorf("the service repeated a NextToken")
	}
	return next, nil
}
