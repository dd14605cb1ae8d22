package awsfake_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestFaults checks that injected throttling and 500s are retried by the
// SDK's standard retryer and surface once attempts run out.
func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		inject    func(f *awsfake.Server)
		wantErr   string // error code; "" for success
		wantCalls int
	}{
		{"throttled twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 2) }, "", 3},
		{"throttled beyond attempts", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 5) }, "ThrottlingException", 3},
		{"500 twice", func(f *awsfake.Server) { f.FailInternal(awsfake.OpGetResourcePolicies, 2) }, "", 3},
		{"500 beyond attempts", func(f *awsfake.Server) { f.FailInternal(awsfake.AnyOperation, 9) }, "InternalServerError", 3},
		{"other operation", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 5) }, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, arn := seeded(t)
			sc, _ := clients(t, f, 3)
			tt.inject(f)
			_, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
			if code := errorCode(err); code != tt.wantErr {
				t.Fatalf("got %v, want code %q", err, tt.wantErr)
			}
			if n := f.Count(awsfake.OpGetResourcePolicies); n != tt.wantCalls {
				t.Fatalf("%d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr == "InternalServerError" {
				var ise *types.InternalServerError
				if !errors.As(err, &ise) {
					t.Errorf("500 not typed: %T", err)
				}
			}
		})
	}
}

func TestDelay(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	f.Delay(awsfake.OpGetResourcePolicies, 2*time.Second, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("call took %s despite the 100ms deadline", d)
	}
	// The delay applied to one call only.
	if _, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn}); err != nil {
		t.Fatal(err)
	}

	f.Delay(awsfake.AnyOperation, 150*time.Millisecond, 1)
	start = time.Now()
	if _, err := sc.GetResourcePolicies(context.Background(), &ssm.GetResourcePoliciesInput{ResourceArn: &arn}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("delayed call answered after %s, want >= 150ms", d)
	}
}

// TestBeforeWrite injects another writer between a client's read and its
// write: the write must conflict and the other writer's document must stay.
func TestBeforeWrite(t *testing.T) {
	f, arn := seeded(t)
	seed, err := f.AddPolicy(arn, policyDoc)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 3)
	ctx := context.Background()

	read, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	const theirs = `{"Statement":[{"Sid":"Theirs"}]}`
	ran := 0
	f.BeforeWrite(1, func() {
		ran++
		if _, err := f.WritePolicy(arn, seed.ID, theirs); err != nil {
			t.Error(err)
		}
	})
	_, err = sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(`{"Statement":[{"Sid":"Mine"}]}`),
		PolicyId: read.Policies[0].PolicyId, PolicyHash: read.Policies[0].PolicyHash,
	})
	var conflict *types.ResourcePolicyConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("got %v, want ResourcePolicyConflictException", err)
	}
	if ran != 1 || f.Count(awsfake.OpPutResourcePolicy) != 1 {
		t.Errorf("hook ran %d times, %d puts; want 1 and 1 (a conflict is not retried)", ran, f.Count(awsfake.OpPutResourcePolicy))
	}
	if got := f.Policies(arn); len(got) != 1 || got[0].Document != theirs {
		t.Errorf("stored %+v, want the other writer's document", got)
	}
}

func TestClearFaults(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	f.Throttle(awsfake.AnyOperation, 3)
	f.BeforeWrite(1, func() { t.Error("cleared hook ran") })
	f.ClearFaults()
	if _, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)}); err != nil {
		t.Fatal(err)
	}
}
