package awsfake_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestDropAfterWrite: the write is applied and its answer lost. Without
// retries the client sees an error although the policy exists; with the
// SDK's retries a create runs twice: the hazard apply must handle.
func TestDropAfterWrite(t *testing.T) {
	for _, tt := range []struct {
		name         string
		inject       func(f *awsfake.Server)
		attempts     int
		wantErr      bool
		wantPolicies int
		wantStatus   int
	}{
		{"dropped, no retry", func(f *awsfake.Server) { f.DropAfterWrite(awsfake.OpPutResourcePolicy, 1) }, 1, true, 1, 0},
		{"dropped, retried", func(f *awsfake.Server) { f.DropAfterWrite(awsfake.OpPutResourcePolicy, 1) }, 3, false, 2, 0},
		{"500 after the write, no retry", func(f *awsfake.Server) { f.FailAfterWrite(awsfake.OpPutResourcePolicy, 1) }, 1, true, 1, 500},
		{"500 after the write, retried", func(f *awsfake.Server) { f.FailAfterWrite(awsfake.AnyOperation, 1) }, 3, false, 2, 500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, arn := seeded(t)
			sc, _ := clients(t, f, tt.attempts)
			tt.inject(f)
			_, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error: %t", err, tt.wantErr)
			}
			if n := len(f.Policies(arn)); n != tt.wantPolicies {
				t.Fatalf("%d policies stored, want %d", n, tt.wantPolicies)
			}
			first := f.Calls()[0]
			if first.Status != tt.wantStatus || first.Dropped != (tt.wantStatus == 0) {
				t.Fatalf("first call logged %+v", first)
			}
			if tt.wantErr && tt.wantStatus == 500 {
				var ise *types.InternalServerError
				if !errors.As(err, &ise) {
					t.Errorf("500 after the write not typed: %T", err)
				}
			}
		})
	}
}

// TestDropAfterWriteFailedCall: a call that fails does not use the fault.
func TestDropAfterWriteFailedCall(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	f.DropAfterWrite(awsfake.OpPutResourcePolicy, 1)
	bad := "arn:aws:ssm:us-east-1:111122223333:parameter/nope"
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &bad, Policy: aws.String(policyDoc)}); errorCode(err) != "ResourceNotFoundException" {
		t.Fatalf("failing call: %v", err)
	}
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)}); err == nil {
		t.Fatal("the fault was used up by a failed call")
	}
}

// TestDropAfterPromotion: the RAM promotions applied, their answers lost.
// A retried share promotion then meets the state the first one made; a
// retried permission promotion with its client token gets the same
// permission back.
func TestDropAfterPromotion(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/api", "ssm:GetParameter")
	rc := ramClient(f, awsfake.DefaultAccount, 3)
	ctx := context.Background()
	shareARN := findShare(t, rc, arn)
	cfp := permissionOf(t, rc, shareARN).Arn

	f.DropAfterWrite(awsfake.OpPromotePermissionCreatedFromPolicy, 1)
	out, err := rc.PromotePermissionCreatedFromPolicy(ctx, &ram.PromotePermissionCreatedFromPolicyInput{
		PermissionArn: cfp, Name: aws.String("app-api"), ClientToken: aws.String("token-1"),
	})
	if err != nil {
		t.Fatalf("retried promotion with a client token: %v", err)
	}
	if n := f.Count(awsfake.OpPromotePermissionCreatedFromPolicy); n != 2 || len(f.Home().Permissions()) != 2 {
		t.Fatalf("%d calls, permissions %+v; want 2 calls and one new permission", n, f.Home().Permissions())
	}
	if aws.ToString(out.Permission.Name) != "app-api" {
		t.Fatalf("permission %+v", out.Permission)
	}

	f.DropAfterWrite(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1)
	_, err = rc.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: &shareARN})
	var ist *ramtypes.InvalidStateTransitionException
	if !errors.As(err, &ist) {
		t.Fatalf("retried share promotion: %v, want InvalidStateTransitionException from the retry", err)
	}
	if sh := f.Home().SharesOf(arn); sh[0].FeatureSet != awsfake.FeatureSetStandard {
		t.Fatalf("share is %s; the dropped promotion should have applied", sh[0].FeatureSet)
	}
}

// TestFaultShapesPerProtocol: the same injected faults reach each SDK
// client in its protocol's shape, and the retryer retries throttling.
func TestFaultShapesPerProtocol(t *testing.T) {
	f, arn := seeded(t)
	ctx := context.Background()
	sc, _ := clients(t, f, 1)
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	listRAM := func() error {
		_, err := rc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
		return err
	}
	putSSM := func() error {
		_, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
		return err
	}
	for _, tt := range []struct {
		name   string
		inject func()
		call   func() error
		code   string
		status int
	}{
		{"SSM throttled", func() { f.Throttle(awsfake.OpPutResourcePolicy, 1) }, putSSM, "ThrottlingException", 400},
		{"RAM throttled", func() { f.Throttle(awsfake.OpListResources, 1) }, listRAM, "ThrottlingException", 429},
		{"RAM 500", func() { f.FailInternal(awsfake.OpListResources, 1) }, listRAM, "ServerInternalException", 500},
		{"SSM denied", func() { f.DenyAccess(awsfake.OpPutResourcePolicy, 1) }, putSSM, "AccessDeniedException", 400},
	} {
		tt.inject()
		err := tt.call()
		if errorCode(err) != tt.code || httpStatus(err) != tt.status {
			t.Errorf("%s: %v (status %d), want %s %d", tt.name, err, httpStatus(err), tt.code, tt.status)
		}
	}
	var ae smithy.APIError
	f.DenyAccess(awsfake.OpPutResourcePolicy, 1)
	if err := putSSM(); !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), "ssm:PutResourcePolicy") {
		t.Errorf("SSM access denied message: %v", err)
	}
	if n := len(f.Policies(arn)); n != 0 {
		t.Fatalf("rejected writes stored %d policies", n)
	}

	// Throttled RAM calls are retried by the SDK's standard retryer.
	f.Throttle(awsfake.OpListResources, 2)
	before := f.Count(awsfake.OpListResources)
	if _, err := ramClient(f, awsfake.DefaultAccount, 3).ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf}); err != nil {
		t.Fatalf("RAM after two throttles: %v", err)
	}
	if n := f.Count(awsfake.OpListResources) - before; n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}
