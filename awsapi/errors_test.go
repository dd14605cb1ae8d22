package awsapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestErrorText: the errors of real calls, as Explain (policy reads and writes), Describe
// (lookups), IsConflict and IsTimeout see them.
func TestErrorText(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 150 * time.Millisecond; o.MaxAttempts = 1 })
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"ssm:GetParameter","Resource":"*"}]}`
	seed, err := e.fake.AddPolicy(e.db.ARN, doc)
	if err != nil {
		t.Fatal(err)
	}

	_, _, stale := awsapi.PutResourcePolicy(ctx, e.c.SSM, e.db.ARN, doc, seed.ID, "not-the-hash")
	_, _, gone := awsapi.PutResourcePolicy(ctx, e.c.SSM, e.db.ARN, doc, "no-such-policy", seed.Hash)
	_, noResource := awsapi.ResourcePolicies(ctx, e.c.SSM, "arn:aws:ssm:us-east-1:111122223333:parameter/none")
	e.fake.FailInternal(awsfake.OpDescribeParameters, 1)
	_, internal := awsapi.LookupParameter(ctx, e.c.SSM, e.c.KMS, "/app/db")
	e.fake.Delay(awsfake.OpGetResourcePolicies, 3*time.Second, 1)
	_, timeout := awsapi.ResourcePolicies(ctx, e.c.SSM, e.db.ARN)

	tests := []struct {
		name              string
		err               error
		explain, describe string
		conflict, timeout bool
	}{
		{"stale hash", stale, "ResourcePolicyConflictException: changed by another writer since it was read; re-run to see the new plan",
			"SSM PutResourcePolicy: ResourcePolicyConflictException: ", true, false},
		{"policy gone", gone, "ResourcePolicyNotFoundException: the policy it replaces was deleted by another writer since it was read",
			"SSM PutResourcePolicy: ResourcePolicyNotFoundException: ", true, false},
		{"no resource", noResource, "ResourceNotFoundException: no such resource in this account and region: ", "SSM GetResourcePolicies: ResourceNotFoundException: ", false, false},
		{"internal", internal, "InternalServerError: SSM had an internal error: ", "describe parameter /app/db: InternalServerError: ", false, false},
		{"timeout", timeout, "SSM GetResourcePolicies: no answer within 150ms", "SSM GetResourcePolicies: no answer within 150ms", false, true},
		{"interrupted", fmt.Errorf("x: %w", context.Canceled), "interrupted", "x: context canceled", false, false},
		{"plain", errors.New("something else"), "something else", "something else", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the call did not fail")
			}
			if got := awsapi.Explain(tt.err); !strings.HasPrefix(got, tt.explain) {
				t.Errorf("Explain = %q, want it to start with %q", got, tt.explain)
			}
			if got := awsapi.Describe(tt.err); !strings.HasPrefix(got, tt.describe) || strings.Contains(got, "RequestID") {
				t.Errorf("Describe = %q, want it to start with %q and hold no request id", got, tt.describe)
			}
			if got := awsapi.IsConflict(tt.err); got != tt.conflict {
				t.Errorf("IsConflict = %v", got)
			}
			if got := awsapi.IsTimeout(tt.err); got != tt.timeout {
				t.Errorf("IsTimeout = %v", got)
			}
		})
	}
	if got := e.fake.Policies(e.db.ARN); len(got) != 1 || got[0].Hash != seed.Hash {
		t.Fatalf("a refused write changed the policy: %+v", got)
	}
}
