package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func seededFake(t *testing.T, n int) (*awsfake.Server, awsfake.SeedReport) {
	t.Helper()
	isolate(t)
	f := awsfake.StartTest(t)
	rep, err := f.Seed(awsfake.DefaultSeedSpec(n))
	if err != nil {
		t.Fatal(err)
	}
	return f, rep
}

// TestAuditReadFailure: a policy read that fails is a failure naming the resource; the rest
// of the scope is read, and the scope is not complete.
func TestAuditReadFailure(t *testing.T) {
	f, seed := seededFake(t, 80)
	f.DenyAccess(awsfake.OpGetResourcePolicies, 1)
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t)})
	fails := res.Report.Failures
	if len(fails) != 1 || !strings.HasPrefix(fails[0].File, "arn:aws:ssm:") || !strings.Contains(fails[0].Message, "AccessDenied") {
		t.Fatalf("failures %+v", fails)
	}
	if res.Scopes[0].Complete {
		t.Error("scope complete despite a failed read")
	}
	if got := len(res.Inventory); got < seed.Policies-1 {
		t.Errorf("%d rows, want at least %d", got, seed.Policies-1)
	}
}

// TestAuditRAMFailure: without RAM, the policies are still checked; share states are
// unknown and the failure says so.
func TestAuditRAMFailure(t *testing.T) {
	f, seed := seededFake(t, 40)
	f.DenyAccess(awsfake.OpGetResourceShares, 1)
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t)})
	if len(res.Report.Failures) != 1 || !strings.Contains(res.Report.Failures[0].Message, "share states are unknown") {
		t.Fatalf("failures %+v", res.Report.Failures)
	}
	if len(res.Inventory) != seed.Policies {
		t.Fatalf("%d rows, want %d", len(res.Inventory), seed.Policies)
	}
	for _, r := range res.Inventory {
		if r.Share != audit.ShareUnknown && r.Kind == "parameter" {
			t.Errorf("%s: share %s, want unknown", r.Resource, r.Share)
		}
	}
}

// TestAuditStopsAfterTooManyFailures: a scope whose every read fails stops at MaxFailures,
// with one failure saying so, rather than reporting thousands.
func TestAuditStopsAfterTooManyFailures(t *testing.T) {
	f, _ := seededFake(t, 200)
	f.DenyAccess(awsfake.OpGetResourcePolicies, 1000)
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t), MaxFailures: 5})
	fails := res.Report.Failures
	if len(fails) != 6 || !strings.Contains(fails[len(fails)-1].Message, "stopped after") {
		t.Fatalf("%d failures: %+v", len(fails), fails)
	}
	if n := f.Count(awsfake.OpGetResourcePolicies); n > 5+2*audit.DefaultConcurrency {
		t.Errorf("%d policy reads after the scope should have stopped", n)
	}
}

// TestAuditWrongAccount: an --accounts entry whose credentials are for another account is a
// failure, and nothing of that account is read.
func TestAuditWrongAccount(t *testing.T) {
	f, _ := seededFake(t, 10)
	sc := scope(t, f, owner, "us-east-1")
	sc.Account = "222233334444"
	res := audit.Run(context.Background(), []audit.Scope{sc}, audit.Options{Engine: engine(t)})
	if len(res.Report.Failures) != 1 || !strings.Contains(res.Report.Failures[0].Message, "not 222233334444") || len(res.Inventory) != 0 {
		t.Fatalf("failures %+v, %d rows", res.Report.Failures, len(res.Inventory))
	}
	if n := f.Count(awsfake.OpDescribeParameters); n != 0 {
		t.Errorf("%d DescribeParameters calls for the wrong account", n)
	}
}

// TestAuditInterrupted: cancelled mid-way (Ctrl-C), the audit returns what it read, marked
// interrupted, with one failure and no failure per call cut short.
func TestAuditInterrupted(t *testing.T) {
	f, seed := seededFake(t, 400)
	f.Delay(awsfake.OpGetResourcePolicies, 20*time.Millisecond, 0) // 200 reads: a second at least
	opts, sc := audit.Options{Engine: engine(t)}, scope(t, f, owner, "us-east-1")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	res := audit.Run(ctx, []audit.Scope{sc}, opts)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %s to stop", elapsed)
	}
	if !res.Interrupted || len(res.Report.Failures) != 1 || !strings.HasPrefix(res.Report.Failures[0].Message, "interrupted") {
		t.Fatalf("interrupted %v, failures %+v", res.Interrupted, res.Report.Failures)
	}
	if n := len(res.Inventory); n == 0 || n >= seed.Policies {
		t.Errorf("%d rows of %d: want some, not all", n, seed.Policies)
	}
	if res.Scopes[0].Complete {
		t.Error("an interrupted scope is complete")
	}
}
