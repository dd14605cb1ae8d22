package awsfake_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestRateLimitBucket: a token bucket per account and region, on a test
// clock.
func TestRateLimitBucket(t *testing.T) {
	clk := newClock()
	f := awsfake.StartTest(t, awsfake.WithClock(clk.Now), awsfake.WithRateLimit(2, 3))
	ctx := context.Background()
	call := func(account, region string) error {
		_, err := ssmAs(f, account, region, 1).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		return err
	}
	for i := range 3 {
		if err := call(awsfake.DefaultAccount, "us-east-1"); err != nil {
			t.Fatalf("call %d within the burst: %v", i+1, err)
		}
	}
	if code := errorCode(call(awsfake.DefaultAccount, "us-east-1")); code != "ThrottlingException" {
		t.Fatalf("past the burst: code %q, want ThrottlingException", code)
	}
	// Other accounts and regions have their own buckets.
	if err := call(consumer, "us-east-1"); err != nil {
		t.Fatalf("another account: %v", err)
	}
	if err := call(awsfake.DefaultAccount, "eu-west-1"); err != nil {
		t.Fatalf("another region: %v", err)
	}
	clk.Advance(500 * time.Millisecond) // one token at 2 per second
	if err := call(awsfake.DefaultAccount, "us-east-1"); err != nil {
		t.Fatalf("after a refill: %v", err)
	}
	if code := errorCode(call(awsfake.DefaultAccount, "us-east-1")); code != "ThrottlingException" {
		t.Fatalf("refill gave more than one token: %q", code)
	}
	f.SetRateLimit(0, 0)
	for range 10 {
		if err := call(awsfake.DefaultAccount, "us-east-1"); err != nil {
			t.Fatalf("limit off: %v", err)
		}
	}
}

// TestRateLimitRetriedBySDK: under a real clock, each protocol's throttling
// shape is recognised by the SDK's standard retryer, which backs off until
// the bucket refills.
func TestRateLimitRetriedBySDK(t *testing.T) {
	f := awsfake.StartTest(t, awsfake.WithRateLimit(40, 1))
	role := f.AddRole(awsfake.DefaultAccount, "audit")
	cfg := f.ConfigFor(awsfake.DefaultAccount, awsfake.DefaultRegion)
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 20
			o.MaxBackoff = 50 * time.Millisecond
		})
	}
	ctx := context.Background()
	sc, rc, stc := ssm.NewFromConfig(cfg), ram.NewFromConfig(cfg), sts.NewFromConfig(cfg)
	calls := []func() error{
		func() error { _, err := sc.DescribeParameters(ctx, &ssm.DescribeParametersInput{}); return err },
		func() error {
			_, err := rc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
			return err
		},
		func() error {
			_, err := stc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &role, RoleSessionName: aws.String("audit-session")})
			return err
		},
	}
	for i := range 12 {
		if err := calls[i%len(calls)](); err != nil {
			t.Fatalf("call %d failed despite retries: %v", i, err)
		}
	}
	throttled := map[string]int{}
	for _, c := range f.Calls() {
		if c.ErrorType != "" {
			throttled[c.Service+" "+c.ErrorType]++
		}
	}
	for _, want := range []string{"ssm ThrottlingException", "ram ThrottlingException", "sts Throttling"} {
		if throttled[want] == 0 {
			t.Errorf("no %s was sent (throttled: %v); the test proves nothing for it", want, throttled)
		}
	}
	if f.CountOK(awsfake.AnyOperation) != 12 {
		t.Errorf("%d calls succeeded, want 12", f.CountOK(awsfake.AnyOperation))
	}
}
