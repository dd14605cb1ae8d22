package apply_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
)

var managedActions = []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"}

func promoteRunner(e *env) *apply.Runner {
	return &apply.Runner{Clients: e.c, FailOn: finding.SecurityWarning, Promote: true,
		PromoteTimeout: 2 * time.Second, PromotePoll: 10 * time.Millisecond, RetryCommand: "ssmpolicy apply --promote --yes ssmpolicy.yaml"}
}

// ramWrites counts the promotion calls the fake answered.
func ramWrites(f *awsfake.Server) int {
	return f.Count(awsfake.OpPromotePermissionCreatedFromPolicy) + f.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy)
}

func shareOf(t *testing.T, e *env, arn string) awsfake.Share {
	t.Helper()
	shares := e.fake.Home().SharesOf(arn)
	if len(shares) != 1 {
		t.Fatalf("%d shares hold %s, want 1", len(shares), arn)
	}
	return shares[0]
}

// TestPromoteTwoSteps: a policy whose actions are no AWS managed permission needs its permission
// promoted, then its share. The dry run shows both steps and calls only reads; the run makes
// them and waits for STANDARD; a second run makes no write.
func TestPromoteTwoSteps(t *testing.T) {
	e := setupWith(t, []awsfake.Option{awsfake.WithPromotionDelay(50 * time.Millisecond)})
	r := promoteRunner(e)
	r.DryRun = true
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	p := o.Plan.Changes[0].Promotion
	if p == nil || p.State != apply.ShareNotCreated || len(p.Steps) != 2 || !strings.Contains(p.Steps[0], "CREATED_FROM_POLICY permission") {
		t.Fatalf("dry-run promotion %+v", p)
	}
	if o.ExitCode() != apply.ExitOK || e.fake.Count(awsfake.OpPutResourcePolicy) != 0 || ramWrites(e.fake) != 0 {
		t.Fatalf("a dry run wrote, or failed: exit %d", o.ExitCode())
	}
	text := render(t, o.Plan, nil)
	if !strings.Contains(text, "           promote: share not created yet: RAM makes the share after the policy is written; apply waits up to 2s for it; then promote the CREATED_FROM_POLICY permission") ||
		!strings.Contains(text, "1 share to promote.") {
		t.Fatalf("plan text:\n%s", text)
	}

	r.DryRun = false
	o = run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	res := o.Results[0]
	if res.Action != apply.Create || res.Promotion == nil || res.Promotion.State != apply.Promoted || len(res.Promotion.Steps) != 2 || o.ExitCode() != apply.ExitOK {
		t.Fatalf("result %+v, promotion %+v, exit %d, notes %q", res, res.Promotion, o.ExitCode(), o.Notes)
	}
	if sh := shareOf(t, e, e.db.ARN); sh.FeatureSet != awsfake.FeatureSetStandard {
		t.Fatalf("share %+v, want STANDARD", sh)
	}
	if !strings.Contains(res.Promotion.Steps[0], "to the customer managed permission ssm-app-db-") {
		t.Fatalf("steps %q", res.Promotion.Steps)
	}
	if text := render(t, nil, o.Results); !strings.Contains(text, "Promoted 1 share, 0 already promoted.") {
		t.Fatalf("results text:\n%s", text)
	}

	// Again: unchanged and already promoted, with no write of either kind.
	puts, writes := e.fake.Count(awsfake.OpPutResourcePolicy), ramWrites(e.fake)
	o = run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	res = o.Results[0]
	if res.Action != apply.NoChange || res.Promotion.State != apply.AlreadyPromoted || o.ExitCode() != apply.ExitOK ||
		e.fake.Count(awsfake.OpPutResourcePolicy) != puts || ramWrites(e.fake) != writes {
		t.Fatalf("second run: %+v %+v, exit %d", res, res.Promotion, o.ExitCode())
	}
	if text := render(t, o.Plan, nil); !strings.Contains(text, "promote: already promoted (the share is STANDARD)") {
		t.Fatalf("plan text:\n%s", text)
	}
}

// TestPromoteOneStep: actions that are an AWS managed permission need the share's promotion only.
func TestPromoteOneStep(t *testing.T) {
	e := setup(t)
	o := run(t, promoteRunner(e), &finding.Report{}, targetsActions(t, managedActions, e.db.ARN))
	res := o.Results[0]
	if res.Promotion == nil || res.Promotion.State != apply.Promoted || len(res.Promotion.Steps) != 1 ||
		e.fake.Count(awsfake.OpPromotePermissionCreatedFromPolicy) != 0 || o.ExitCode() != apply.ExitOK {
		t.Fatalf("promotion %+v, exit %d", res.Promotion, o.ExitCode())
	}
}

// TestPromoteUnchangedPolicy: a policy already in place whose share is still CREATED_FROM_POLICY
// is promoted too, and the plan lists the steps with the share's and permission's ARNs.
func TestPromoteUnchangedPolicy(t *testing.T) {
	e := setup(t)
	if _, err := e.fake.AddPolicy(e.db.ARN, policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter")); err != nil {
		t.Fatal(err)
	}
	share := shareOf(t, e, e.db.ARN)
	r := promoteRunner(e)
	r.DryRun = true
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	c := o.Plan.Changes[0]
	if c.Action != apply.NoChange || c.Promotion.State != apply.PromotionPlanned || c.Promotion.Share != share.ARN || len(c.Promotion.Steps) != 2 ||
		!strings.HasPrefix(c.Promotion.Steps[0], "promote permission arn:aws:ram:") || c.Promotion.Steps[1] != "promote share "+share.ARN+" to STANDARD" {
		t.Fatalf("plan %+v / %+v", c, c.Promotion)
	}
	if ramWrites(e.fake) != 0 {
		t.Fatal("a dry run promoted")
	}
	asked := 0
	r.DryRun = false
	r.Confirm = func(_ context.Context, p *apply.Plan) (bool, error) { asked = p.Promotions(); return true, nil }
	o = run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	if asked != 1 || o.Results[0].Promotion.State != apply.Promoted || shareOf(t, e, e.db.ARN).FeatureSet != awsfake.FeatureSetStandard {
		t.Fatalf("asked about %d promotions; result %+v", asked, o.Results[0].Promotion)
	}
}

// TestPromoteLateShare: RAM makes the share some time after the write; apply waits for it.
func TestPromoteLateShare(t *testing.T) {
	e := setupWith(t, []awsfake.Option{awsfake.WithShareDelay(300 * time.Millisecond)})
	o := run(t, promoteRunner(e), &finding.Report{}, targets(t, e.db.ARN))
	if p := o.Results[0].Promotion; p.State != apply.Promoted || e.fake.Count(awsfake.OpListResources) < 2 {
		t.Fatalf("promotion %+v after %d ListResources", p, e.fake.Count(awsfake.OpListResources))
	}
}

// TestPromoteShareNeverAppears: past the bound, the policy is in place and the run says
// "applied, not promoted", exit 2, with the command that retries.
func TestPromoteShareNeverAppears(t *testing.T) {
	e := setupWith(t, []awsfake.Option{awsfake.WithShareDelay(time.Hour)})
	r := promoteRunner(e)
	r.PromoteTimeout = 200 * time.Millisecond
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	res := o.Results[0]
	if res.Action != apply.Create || res.Promotion.State != apply.PromotionFailed ||
		!strings.Contains(res.Promotion.Reason, "RAM made no share for the parameter within 200ms") {
		t.Fatalf("result %+v / %+v", res, res.Promotion)
	}
	assertNotPromoted(t, o)
}

func assertNotPromoted(t *testing.T, o *apply.Outcome) {
	t.Helper()
	if o.ExitCode() != apply.ExitError || o.Err() == nil || !strings.Contains(o.Err().Error(), "applied, not promoted: 1 share") ||
		!strings.Contains(strings.Join(o.Notes, "|"), "Applied, not promoted: 1 policy is in place, but its share was not promoted") ||
		!strings.Contains(strings.Join(o.Notes, "|"), "run `ssmpolicy apply --promote --yes ssmpolicy.yaml` again") {
		t.Fatalf("exit %d, %v, notes %q", o.ExitCode(), o.Err(), o.Notes)
	}
}

// TestPromoteErrors: each RAM error is reported with its code and what it means, after the
// policy was written.
func TestPromoteErrors(t *testing.T) {
	tests := []struct {
		name   string
		inject func(f *awsfake.Server)
		want   []string
	}{
		{"unmatched permission", func(f *awsfake.Server) {
			f.InjectError(awsfake.OpPromoteResourceShareCreatedFromPolicy, "UnmatchedPolicyPermissionException", 1)
		}, []string{"UnmatchedPolicyPermissionException: the share's permission matches no managed permission"}},
		{"invalid state", func(f *awsfake.Server) {
			f.InjectError(awsfake.OpPromoteResourceShareCreatedFromPolicy, "InvalidStateTransitionException", 1)
		}, []string{"InvalidStateTransitionException: the share is not in a state it can be promoted from", "run apply --promote again"}},
		{"not permitted", func(f *awsfake.Server) {
			f.InjectError(awsfake.OpPromotePermissionCreatedFromPolicy, "OperationNotPermittedException", 1)
		}, []string{"OperationNotPermittedException: RAM does not allow this operation"}},
		{"access denied", func(f *awsfake.Server) { f.DenyAccess(awsfake.OpPromotePermissionCreatedFromPolicy, 1) },
			[]string{"AccessDeniedException: the credentials are not allowed ram:PromotePermissionCreatedFromPolicy: add it to the IAM policy"}},
		{"access denied reading", func(f *awsfake.Server) { f.DenyAccess(awsfake.OpListResources, 1) },
			[]string{"read the share: AccessDeniedException: the credentials are not allowed ram:ListResources"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			tt.inject(e.fake)
			o := run(t, promoteRunner(e), &finding.Report{}, targets(t, e.db.ARN))
			res := o.Results[0]
			if res.Action != apply.Create || len(e.fake.Policies(e.db.ARN)) != 1 || res.Promotion.State != apply.PromotionFailed {
				t.Fatalf("result %+v / %+v", res, res.Promotion)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Promotion.Reason, w) {
					t.Errorf("reason %q lacks %q", res.Promotion.Reason, w)
				}
			}
			assertNotPromoted(t, o)
			if text := render(t, nil, o.Results); !strings.Contains(text, "promote: failed: ") {
				t.Fatalf("results text:\n%s", text)
			}
		})
	}
}

// TestPromoteLostAnswers: both promotions' answers are lost; the permission is sent again with
// the same client token (one permission made) and the share is read again (promoted once).
func TestPromoteLostAnswers(t *testing.T) {
	e := setup(t)
	e.fake.DropAfterWrite(awsfake.OpPromotePermissionCreatedFromPolicy, 1)
	e.fake.DropAfterWrite(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1)
	o := run(t, promoteRunner(e), &finding.Report{}, targets(t, e.db.ARN))
	if p := o.Results[0].Promotion; p.State != apply.Promoted || o.ExitCode() != apply.ExitOK {
		t.Fatalf("promotion %+v, exit %d, notes %q", p, o.ExitCode(), o.Notes)
	}
	customer := 0
	for _, p := range e.fake.Home().Permissions() {
		if p.Type == awsfake.PermissionTypeCustomerManaged {
			customer++
		}
	}
	if customer != 1 || e.fake.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy) != 1 {
		t.Fatalf("%d customer managed permissions, %d share promotions; want 1 and 1", customer, e.fake.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy))
	}
}

// TestPromoteBlocked: a target the rule says cannot be promoted is written, not promoted.
func TestPromoteBlocked(t *testing.T) {
	e := setup(t)
	ts := targets(t, e.db.ARN)
	ts[0].NotPromotable = "the policy has two statements, which a customer managed permission cannot carry"
	o := run(t, promoteRunner(e), &finding.Report{}, ts)
	res := o.Results[0]
	if res.Action != apply.Create || res.Promotion.State != apply.PromotionBlocked || !strings.Contains(res.Promotion.Reason, "action-not-promotable says the share cannot be promoted: the policy has two statements") ||
		ramWrites(e.fake) != 0 || e.fake.Count(awsfake.OpListResources) != 0 {
		t.Fatalf("result %+v / %+v", res, res.Promotion)
	}
	if o.ExitCode() != apply.ExitError {
		t.Fatalf("exit %d", o.ExitCode())
	}
}

// TestCollectorNotPromotable: the finding that blocks promotion is action-not-promotable at
// warning or above; its suggestion (two steps) does not block.
func TestCollectorNotPromotable(t *testing.T) {
	c := &apply.Collector{FailOn: finding.SecurityWarning}
	ts := targets(t, "arn:aws:ssm:us-east-1:111122223333:parameter/a", "arn:aws:ssm:us-east-1:111122223333:parameter/b")
	c.Visit(ts[0].Input, []finding.Finding{{Rule: apply.RuleActionNotPromotable, Level: finding.Suggestion, Message: "two steps"}})
	c.Visit(ts[1].Input, []finding.Finding{{Rule: apply.RuleActionNotPromotable, Level: finding.Warning, Message: "cannot"}})
	got := c.Targets()
	if got[0].NotPromotable != "" || got[1].NotPromotable != "cannot" || got[1].Failing != 0 {
		t.Fatalf("targets %+v", got)
	}
}

// TestPromoteOpsItemGroup: an OpsItemGroup has no share; the plan says so and nothing is read.
func TestPromoteOpsItemGroup(t *testing.T) {
	e := setup(t)
	r := promoteRunner(e)
	r.DryRun = true
	o := run(t, r, &finding.Report{}, targetsActions(t, []string{"ssm:GetOpsItem"}, e.fake.OpsItemGroupARN()))
	if pr := o.Plan.Changes[0].Promotion; o.Plan.Changes[0].Action != apply.Create || pr == nil || pr.State != apply.NotApplicable ||
		e.fake.Count(awsfake.OpListResources) != 0 {
		t.Fatalf("change %+v, promotion %+v", o.Plan.Changes[0], pr)
	}
	if text := render(t, o.Plan, nil); !strings.Contains(text, "promote: nothing to promote: an OpsItemGroup has no RAM share") {
		t.Fatalf("plan text:\n%s", text)
	}
}
