package awsfake_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// findShare does what apply --promote does to find a parameter's share.
func findShare(t *testing.T, rc *ram.Client, paramARN string) (shareARN string) {
	t.Helper()
	out, err := rc.ListResources(context.Background(), &ram.ListResourcesInput{
		ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceArns: []string{paramARN},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Resources) != 1 {
		t.Fatalf("ListResources: %d resources, want 1", len(out.Resources))
	}
	r := out.Resources[0]
	if aws.ToString(r.Arn) != paramARN || aws.ToString(r.Type) != awsfake.ParameterResourceType ||
		r.Status != ramtypes.ResourceStatusAvailable || r.CreationTime == nil || r.ResourceRegionScope != ramtypes.ResourceRegionScopeRegional {
		t.Fatalf("resource %+v", r)
	}
	return aws.ToString(r.ResourceShareArn)
}

func shareOf(t *testing.T, rc *ram.Client, shareARN string) ramtypes.ResourceShare {
	t.Helper()
	out, err := rc.GetResourceShares(context.Background(), &ram.GetResourceSharesInput{
		ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceShareArns: []string{shareARN},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceShares) != 1 {
		t.Fatalf("GetResourceShares: %d shares, want 1", len(out.ResourceShares))
	}
	sh := out.ResourceShares[0]
	if sh.Status != ramtypes.ResourceShareStatusActive || aws.ToString(sh.OwningAccountId) != awsfake.DefaultAccount {
		t.Fatalf("share status %s owner %s", sh.Status, aws.ToString(sh.OwningAccountId))
	}
	return sh
}

func permissionOf(t *testing.T, rc *ram.Client, shareARN string) ramtypes.ResourceSharePermissionSummary {
	t.Helper()
	out, err := rc.ListResourceSharePermissions(context.Background(), &ram.ListResourceSharePermissionsInput{ResourceShareArn: &shareARN})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Permissions) != 1 {
		t.Fatalf("%d permissions, want 1", len(out.Permissions))
	}
	return out.Permissions[0]
}

// consumerSees reports whether the consumer's DescribeParameters with
// Shared lists arn.
func consumerSees(t *testing.T, f *awsfake.Server, account, arn string) bool {
	t.Helper()
	p := ssm.NewDescribeParametersPaginator(ssmAs(f, account, awsfake.DefaultRegion, 1), &ssm.DescribeParametersInput{Shared: aws.Bool(true)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(out.Parameters, func(md types.ParameterMetadata) bool { return aws.ToString(md.ARN) == arn }) {
			return true
		}
	}
	return false
}

// TestPromotionOneStep: a policy whose actions are an AWS managed
// permission's makes a share using it, and promoting the share is enough
// for the consumer to find the parameter.
func TestPromotionOneStep(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/db", readOnly()...)
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	ctx := context.Background()

	shareARN := findShare(t, rc, arn)
	if sh := shareOf(t, rc, shareARN); sh.FeatureSet != ramtypes.ResourceShareFeatureSetCreatedFromPolicy {
		t.Fatalf("new share is %s, want CREATED_FROM_POLICY", sh.FeatureSet)
	}
	perm := permissionOf(t, rc, shareARN)
	if aws.ToString(perm.Arn) != awsfake.PermissionReadOnly || perm.PermissionType != ramtypes.PermissionTypeAwsManaged {
		t.Fatalf("permission %s (%s), want the AWS managed read-only one", aws.ToString(perm.Arn), perm.PermissionType)
	}
	if consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer sees a CREATED_FROM_POLICY share")
	}

	out, err := rc.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: &shareARN})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(out.ReturnValue) {
		t.Fatal("returnValue false")
	}
	if sh := shareOf(t, rc, shareARN); sh.FeatureSet != ramtypes.ResourceShareFeatureSetStandard {
		t.Fatalf("promoted share is %s, want STANDARD", sh.FeatureSet)
	}
	if !consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer does not see the promoted share")
	}
	if consumerSees(t, f, outsider, arn) {
		t.Fatal("an account the policy does not name sees the parameter")
	}
	if consumerSees(t, f, awsfake.DefaultAccount, arn) {
		t.Fatal("the owner's Shared listing holds its own parameter")
	}
	_, err = rc.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: &shareARN})
	var ist *ramtypes.InvalidStateTransitionException
	if !errors.As(err, &ist) {
		t.Fatalf("second promotion: %v, want InvalidStateTransitionException", err)
	}
}

// TestPromotionTwoSteps walks the promotion of a policy that matches no AWS
// managed permission, with a promotion delay on a test clock.
func TestPromotionTwoSteps(t *testing.T) {
	clk := newClock()
	f := awsfake.StartTest(t, awsfake.WithClock(clk.Now), awsfake.WithPromotionDelay(30*time.Second))
	arn := sharedParameter(t, f, "/app/api", "ssm:GetParameter")
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	ctx := context.Background()
	shareARN := findShare(t, rc, arn)
	cfp := permissionOf(t, rc, shareARN)
	if cfp.FeatureSet != ramtypes.PermissionFeatureSetCreatedFromPolicy || cfp.PermissionType != ramtypes.PermissionTypeCustomerManaged {
		t.Fatalf("permission %+v, want a CREATED_FROM_POLICY one", cfp)
	}

	promoteShare := func() error {
		_, err := rc.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: &shareARN})
		return err
	}
	var unmatched *ramtypes.UnmatchedPolicyPermissionException
	if err := promoteShare(); !errors.As(err, &unmatched) {
		t.Fatalf("promotion before the permission: %v, want UnmatchedPolicyPermissionException", err)
	}

	promotePerm := func(name, token string) (*ram.PromotePermissionCreatedFromPolicyOutput, error) {
		return rc.PromotePermissionCreatedFromPolicy(ctx, &ram.PromotePermissionCreatedFromPolicyInput{
			PermissionArn: cfp.Arn, Name: aws.String(name), ClientToken: aws.String(token),
		})
	}
	made, err := promotePerm("ssmpolicy-app-api", "tok-1")
	if err != nil {
		t.Fatal(err)
	}
	cm := made.Permission
	if cm.PermissionType != ramtypes.PermissionTypeCustomerManaged || cm.FeatureSet != ramtypes.PermissionFeatureSetStandard ||
		aws.ToString(made.ClientToken) != "tok-1" || aws.ToString(cm.Name) != "ssmpolicy-app-api" {
		t.Fatalf("promoted permission %+v token %s", cm, aws.ToString(made.ClientToken))
	}
	again, err := promotePerm("ssmpolicy-app-api", "tok-1")
	if err != nil || aws.ToString(again.Permission.Arn) != aws.ToString(cm.Arn) {
		t.Fatalf("retry with the same token: %v, %v; want the same permission", err, again)
	}
	var mismatch *ramtypes.IdempotentParameterMismatchException
	if _, err := promotePerm("other-name", "tok-1"); !errors.As(err, &mismatch) {
		t.Fatalf("same token, other name: %v, want IdempotentParameterMismatchException", err)
	}
	if n := len(f.Home().Permissions()); n != 2 {
		t.Fatalf("%d permissions in the store, want the CREATED_FROM_POLICY one and one customer managed", n)
	}

	if err := promoteShare(); err != nil {
		t.Fatal(err)
	}
	if sh := shareOf(t, rc, shareARN); sh.FeatureSet != ramtypes.ResourceShareFeatureSetPromotingToStandard {
		t.Fatalf("share is %s during the promotion delay", sh.FeatureSet)
	}
	if consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer sees a share that is still being promoted")
	}
	var ist *ramtypes.InvalidStateTransitionException
	if err := promoteShare(); !errors.As(err, &ist) {
		t.Fatalf("promoting a promoting share: %v, want InvalidStateTransitionException", err)
	}
	clk.Advance(30 * time.Second)
	if sh := shareOf(t, rc, shareARN); sh.FeatureSet != ramtypes.ResourceShareFeatureSetStandard {
		t.Fatalf("share is %s after the delay", sh.FeatureSet)
	}
	if p := permissionOf(t, rc, shareARN); aws.ToString(p.Arn) != aws.ToString(cm.Arn) {
		t.Fatalf("promoted share uses %s, want the customer managed %s", aws.ToString(p.Arn), aws.ToString(cm.Arn))
	}
	// RAM deletes the CREATED_FROM_POLICY permission no share uses any more.
	var unknown *ramtypes.UnknownResourceException
	if _, err := rc.GetPermission(ctx, &ram.GetPermissionInput{PermissionArn: cfp.Arn}); !errors.As(err, &unknown) {
		t.Fatalf("GetPermission of the old permission: %v, want UnknownResourceException", err)
	}
	if !consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer does not see the promoted share")
	}
}

// TestShareDelay: RAM makes the share asynchronously.
func TestShareDelay(t *testing.T) {
	clk := newClock()
	f := awsfake.StartTest(t, awsfake.WithClock(clk.Now), awsfake.WithShareDelay(5*time.Second))
	arn := sharedParameter(t, f, "/app/late", readOnly()...)
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	out, err := rc.ListResources(context.Background(), &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceArns: []string{arn}})
	if err != nil || len(out.Resources) != 0 {
		t.Fatalf("before the delay: %v, %d resources; want none", err, len(out.Resources))
	}
	if sh := f.Home().SharesOf(arn); len(sh) != 1 || sh[0].Visible {
		t.Fatalf("store holds %+v, want one hidden share", sh)
	}
	clk.Advance(5 * time.Second)
	findShare(t, rc, arn)
}

// TestDeletePolicyUnshares: deleting the policy takes the parameter out of
// its share, and the consumer loses it.
func TestDeletePolicyUnshares(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/gone", readOnly()...)
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	shareARN := findShare(t, rc, arn)
	if err := f.Home().PromoteShare(shareARN); err != nil {
		t.Fatal(err)
	}
	if !consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer does not see the seeded STANDARD share")
	}
	p := f.Policies(arn)[0]
	sc, _ := clients(t, f, 1)
	if _, err := sc.DeleteResourcePolicy(context.Background(), &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: &p.ID, PolicyHash: &p.Hash}); err != nil {
		t.Fatal(err)
	}
	out, err := rc.ListResources(context.Background(), &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceArns: []string{arn}})
	if err != nil || len(out.Resources) != 0 {
		t.Fatalf("after delete: %v, %d resources; want none", err, len(out.Resources))
	}
	if consumerSees(t, f, consumer, arn) {
		t.Fatal("the consumer still sees an unshared parameter")
	}
	if sh := f.Home().Shares(); len(sh) != 1 || sh[0].ResourceARN != "" || sh[0].Status != "ACTIVE" {
		t.Fatalf("shares %+v, want one empty share left", sh)
	}
}

// TestPolicyUpdateFollowsShare: an update of a CREATED_FROM_POLICY share's
// policy changes its permission and principals.
func TestPolicyUpdateFollowsShare(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/upd", "ssm:GetParameter")
	p := f.Policies(arn)[0]
	sc, _ := clients(t, f, 1)
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(grantDoc(outsider, arn, readOnly()...)), PolicyId: &p.ID, PolicyHash: &p.Hash,
	}); err != nil {
		t.Fatal(err)
	}
	sh := f.Home().SharesOf(arn)
	if len(sh) != 1 || sh[0].PermissionARN != awsfake.PermissionReadOnly || !slices.Equal(sh[0].Principals, []string{outsider}) {
		t.Fatalf("share after update: %+v", sh)
	}
	if n := len(f.Home().Permissions()); n != 0 {
		t.Fatalf("%d permissions left; the replaced CREATED_FROM_POLICY one should be gone", n)
	}
}

// TestRAMEndpointVariable: the SDK's shared configuration reaches the fake
// through AWS_ENDPOINT_URL_RAM, as the apply step's clients will.
func TestRAMEndpointVariable(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/env", readOnly()...)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_RAM": f.URL(), "AWS_REGION": awsfake.DefaultRegion,
		"AWS_ACCESS_KEY_ID": awsfake.AccessKeyID, "AWS_SECRET_ACCESS_KEY": awsfake.SecretAccessKey, "AWS_SESSION_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	findShare(t, ram.NewFromConfig(cfg), arn)
	if f.Count(awsfake.OpListResources) != 1 {
		t.Fatal("ListResources did not reach the fake")
	}
}
