package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// targets reads a manifest with one entry per ARN, each with the policy that shares the
// resource with account 444455556666, and returns its targets as the checks would pass
// them on: none failing.
func targets(t *testing.T, arns ...string) []apply.Target {
	t.Helper()
	return targetsActions(t, []string{"ssm:GetParameter"}, arns...)
}

// targetsActions is targets with policies that allow actions.
func targetsActions(t *testing.T, actions []string, arns ...string) []apply.Target {
	t.Helper()
	var b strings.Builder
	b.WriteString("resources:\n")
	for _, arn := range arns {
		doc, err := json.Marshal(policy(arn, []string{"444455556666"}, actions...))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  - arn: %s\n    policy: %s\n", arn, doc)
	}
	r, err := input.NewReader(input.Context{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Read(jsonpos.NewFile("ssmpolicy.yaml", []byte(b.String())))
	if err != nil || len(res.Targets) != len(arns) {
		t.Fatalf("manifest %s: %d targets, %v", b.String(), len(res.Targets), err)
	}
	out := make([]apply.Target, len(res.Targets))
	for i, target := range res.Targets {
		out[i] = apply.Target{Input: target}
	}
	return out
}

func runner(e *env) *apply.Runner {
	return &apply.Runner{Clients: e.c, FailOn: finding.SecurityWarning}
}

// run plans and sends, as the command line does.
func run(t *testing.T, r *apply.Runner, rep *finding.Report, ts []apply.Target) *apply.Outcome {
	t.Helper()
	o := r.Plan(context.Background(), rep, ts)
	if err := r.Send(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return o
}

func actions(o *apply.Outcome) string {
	var plan, results []string
	for _, c := range o.Plan.Changes {
		plan = append(plan, string(c.Action))
	}
	for _, r := range o.Results {
		results = append(results, string(r.Action))
	}
	return strings.Join(plan, ",") + " -> " + strings.Join(results, ",")
}

func TestRunnerApplies(t *testing.T) {
	e := setup(t)
	o := run(t, runner(e), &finding.Report{}, targets(t, e.db.ARN, e.web.ARN))
	if got := actions(o); got != "create,create -> create,create" || !o.Executed || len(o.Notes) != 0 {
		t.Fatalf("outcome %s, notes %q", got, o.Notes)
	}
	if o.ExitCode() != apply.ExitOK || o.Err() != nil || o.Plan.Changes[0].Label != "ssmpolicy.yaml:2" {
		t.Fatalf("exit %d, %v, plan %+v", o.ExitCode(), o.Err(), o.Plan.Changes[0])
	}
	if n := len(e.fake.Policies(e.db.ARN)) + len(e.fake.Policies(e.web.ARN)); n != 2 {
		t.Fatalf("%d policies stored, want 2", n)
	}
	// Again: nothing to write, no question asked, and every target's current ids reported.
	asked := false
	r := runner(e)
	r.Confirm = func(context.Context, *apply.Plan) (bool, error) { asked = true; return false, nil }
	o = run(t, r, &finding.Report{}, targets(t, e.db.ARN, e.web.ARN))
	if got := actions(o); got != "no-change,no-change -> no-change,no-change" || asked || o.Results[0].PolicyID == "" || o.ExitCode() != apply.ExitOK {
		t.Fatalf("second run %s, asked %v: %+v", got, asked, o.Results)
	}
}

// TestRunnerRefuses: targets that cannot be sent are refused with the reason before any call.
func TestRunnerRefuses(t *testing.T) {
	e := setup(t)
	ts := targets(t, e.db.ARN, e.web.ARN, e.web.ARN, e.web.ARN, e.web.ARN, e.web.ARN,
		"arn:aws:ssm:eu-west-1:111122223333:parameter/app/eu")
	ts[0].Failing = 2
	ts[1].Input.ARN = input.Fact{}
	ts[2].Input.ARN.Value = strings.Replace(ts[2].Input.ARN.Value, "111122223333", input.Unknown, 1)
	ts[3].Input.Kind = input.CloudFormation
	ts[4].Input.Kind = input.Terraform
	ts[5].Input.Policy = nil
	want := []string{
		"failed the checks: 2 findings at or above security-warning",
		"no resource ARN: give it in a manifest or with --resource-arn",
		"the resource ARN has parts known only at deploy time",
		"declared in a CloudFormation template: CloudFormation applies it (deploy the stack)",
		"declared in a Terraform plan: Terraform applies it (terraform apply)",
		"the policy could not be read",
		"the ARN is in region eu-west-1 but the AWS clients use us-east-1",
	}
	o := run(t, runner(e), &finding.Report{}, ts)
	for i, c := range o.Plan.Changes {
		if c.Action != apply.Refused || !strings.HasPrefix(c.Reason, want[i]) || o.Results[i].Action != apply.Refused {
			t.Errorf("target %d: %+v, want refused: %s", i, c, want[i])
		}
	}
	if n := e.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d AWS calls for refused targets", n)
	}
	if got := o.Plan.Changes[2].ARN; !strings.Contains(got, "<unknown>") {
		t.Errorf("a deploy-time ARN is shown as %q", got)
	}
	if o.ExitCode() != apply.ExitError || o.Err().Error() != "6 targets were refused (see the plan and the results)" {
		t.Fatalf("exit %d, %v", o.ExitCode(), o.Err())
	}

	// Failing the checks alone is exit 1, and the others are still sent.
	ts = targets(t, e.db.ARN, e.web.ARN)
	ts[1].Failing = 1
	o = run(t, runner(e), &finding.Report{}, ts)
	if got := actions(o); got != "create,refused -> create,refused" || o.ExitCode() != apply.ExitFindings ||
		o.Err().Error() != "1 target failed the checks: nothing was sent for it" {
		t.Fatalf("outcome %s, exit %d, %v", got, o.ExitCode(), o.Err())
	}
}

func TestRunnerDryRun(t *testing.T) {
	e := setup(t)
	r := runner(e)
	r.DryRun = true
	r.Confirm = func(context.Context, *apply.Plan) (bool, error) { t.Fatal("a dry run asked"); return false, nil }
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	if got := actions(o); got != "create -> " || o.Executed || strings.Join(o.Notes, "|") != "Dry run: nothing was sent." || o.ExitCode() != apply.ExitOK {
		t.Fatalf("dry run %s, notes %q, exit %d", got, o.Notes, o.ExitCode())
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("a dry run wrote %d times", n)
	}
	if rep := o.Report(); !rep.DryRun || rep.Results == nil || len(rep.Results) != 0 || rep.Summary.Plan.Create != 1 {
		t.Fatalf("report %+v", rep)
	}
}

// TestRunnerAtomic: --atomic sends nothing when a target cannot be sent, and says why.
func TestRunnerAtomic(t *testing.T) {
	e := setup(t)
	r := runner(e)
	r.Atomic = true
	ts := targets(t, e.db.ARN, e.web.ARN)
	ts[1].Failing = 1
	o := run(t, r, &finding.Report{}, ts)
	if got := actions(o); got != "create,refused -> skipped,refused" || o.Results[0].Error != "not sent: --atomic, and 1 target failed the checks" ||
		strings.Join(o.Notes, "|") != "--atomic: nothing was sent, because 1 target failed the checks." || o.ExitCode() != apply.ExitFindings {
		t.Fatalf("outcome %s, results %+v, notes %q, exit %d", got, o.Results, o.Notes, o.ExitCode())
	}
	// Findings outside any target block it too.
	rep := &finding.Report{Findings: []finding.Finding{{Rule: "x", Level: finding.Error}}}
	o = run(t, r, rep, targets(t, e.db.ARN))
	if !strings.Contains(strings.Join(o.Notes, "|"), "because the inputs have findings at or above security-warning") ||
		o.ExitCode() != apply.ExitFindings || o.Err().Error() != "the inputs have findings at or above security-warning" {
		t.Fatalf("notes %q, exit %d, %v", o.Notes, o.ExitCode(), o.Err())
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("--atomic wrote %d times", n)
	}
}

// TestRunnerChecksIncomplete: when the checks did not complete, nothing is read or sent.
func TestRunnerChecksIncomplete(t *testing.T) {
	e := setup(t)
	rep := &finding.Report{Failures: []finding.Failure{{File: "x.json", Message: "boom"}}}
	o := run(t, runner(e), rep, targets(t, e.db.ARN))
	if got := actions(o); got != "skipped -> skipped" || o.Plan.Changes[0].Reason != "not planned: the checks did not complete (see the errors)" ||
		o.Results[0].Error != "not planned: the checks did not complete (see the errors)" {
		t.Fatalf("outcome %s: %+v %+v", got, o.Plan.Changes, o.Results)
	}
	if o.ExitCode() != apply.ExitError || o.Err().Error() != "the checks did not complete: nothing was sent" {
		t.Fatalf("exit %d, %v", o.ExitCode(), o.Err())
	}
	if n := e.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d AWS calls after incomplete checks", n)
	}
}

func TestRunnerConfirm(t *testing.T) {
	e := setup(t)
	answer := func(ok bool, err error) *apply.Runner {
		r := runner(e)
		r.Confirm = func(_ context.Context, p *apply.Plan) (bool, error) {
			if p.Writes() != 1 {
				t.Errorf("asked about %d writes, want 1", p.Writes())
			}
			return ok, err
		}
		return r
	}
	o := run(t, answer(false, nil), &finding.Report{}, targets(t, e.db.ARN))
	if got := actions(o); got != "create -> skipped" || !o.Declined || o.Interrupted || o.Results[0].Error != "not sent: not confirmed" ||
		strings.Join(o.Notes, "|") != "Not confirmed: nothing was sent." || o.ExitCode() != apply.ExitError || o.Err() != nil {
		t.Fatalf("declined: %s, %+v, notes %q, exit %d, %v", got, o.Results, o.Notes, o.ExitCode(), o.Err())
	}

	// An interrupt while asking: the run says so once, and is not a refusal.
	ctx, cancel := context.WithCancel(context.Background())
	r := runner(e)
	r.Confirm = func(ctx context.Context, _ *apply.Plan) (bool, error) {
		cancel()
		<-ctx.Done()
		return false, ctx.Err()
	}
	o = r.Plan(ctx, &finding.Report{}, targets(t, e.db.ARN))
	if err := r.Send(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !o.Interrupted || o.Declined || strings.Join(o.Notes, "|") != "Interrupted: nothing was sent." || o.ExitCode() != apply.ExitError || o.Err() != nil {
		t.Fatalf("interrupted: %+v, notes %q, exit %d", o, o.Notes, o.ExitCode())
	}

	// A confirmation that fails is the run's error.
	boom := errors.New("write plan: boom")
	r = answer(false, boom)
	o = r.Plan(context.Background(), &finding.Report{}, targets(t, e.db.ARN))
	if err := r.Send(context.Background(), o); !errors.Is(err, boom) {
		t.Fatalf("Send: %v, want the confirmation's error", err)
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("%d writes without a yes", n)
	}

	o = run(t, answer(true, nil), &finding.Report{}, targets(t, e.db.ARN))
	if got := actions(o); got != "create -> create" || o.ExitCode() != apply.ExitOK {
		t.Fatalf("confirmed: %s, exit %d", got, o.ExitCode())
	}
}

// TestRunnerConflicts: the conflicts are counted from the results' failure kind, and the note
// says what to do.
func TestRunnerConflicts(t *testing.T) {
	e := setup(t)
	for _, arn := range []string{e.db.ARN, e.web.ARN} {
		if _, err := e.fake.AddPolicy(arn, policy(arn, []string{"999988887777"}, "ssm:GetParameter")); err != nil {
			t.Fatal(err)
		}
	}
	// Another writer replaces the first policy, and deletes the second, after the reads.
	e.fake.BeforeWrite(1, func() {
		_, _ = e.fake.WritePolicy(e.db.ARN, e.fake.Policies(e.db.ARN)[0].ID, policy(e.db.ARN, []string{"777766665555"}, "ssm:GetParameter"))
		_ = e.fake.RemovePolicy(e.web.ARN, e.fake.Policies(e.web.ARN)[0].ID)
	})
	o := run(t, runner(e), &finding.Report{}, targets(t, e.db.ARN, e.web.ARN))
	if got := actions(o); got != "update,update -> failed,failed" || o.Conflicts() != 2 {
		t.Fatalf("outcome %s, %d conflicts: %+v", got, o.Conflicts(), o.Results)
	}
	if len(o.Notes) != 1 || !strings.HasPrefix(o.Notes[0], "Another writer changed 2 policies after ssmpolicy read them; nothing of theirs was overwritten.") {
		t.Fatalf("notes %q", o.Notes)
	}
	if o.ExitCode() != apply.ExitError || o.Err().Error() != "2 changes failed (see the plan and the results)" {
		t.Fatalf("exit %d, %v", o.ExitCode(), o.Err())
	}

	// A failure of another kind, whatever its words, is no conflict.
	e.fake.FailInternal(awsfake.OpPutResourcePolicy, 10)
	o = run(t, runner(e), &finding.Report{}, targets(t, e.db.ARN))
	if o.Results[0].Action != apply.Failed || o.Results[0].Failure != apply.FailedOther || o.Conflicts() != 0 || len(o.Notes) != 0 {
		t.Fatalf("results %+v, %d conflicts, notes %q", o.Results, o.Conflicts(), o.Notes)
	}
}

// TestRunnerInterruptedWhileSending: the write in flight finishes, the rest are skipped, and
// the note counts what was applied.
func TestRunnerInterruptedWhileSending(t *testing.T) {
	e := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.fake.BeforeWrite(1, cancel)
	r := runner(e)
	o := r.Plan(ctx, &finding.Report{}, targets(t, e.db.ARN, e.web.ARN))
	if err := r.Send(ctx, o); err != nil {
		t.Fatal(err)
	}
	if got := actions(o); got != "create,create -> create,skipped" || !o.Interrupted || o.ExitCode() != apply.ExitError || o.Err() != nil ||
		strings.Join(o.Notes, "|") != "Interrupted: 1 change was applied before the interrupt (listed above); those marked skipped were not sent." {
		t.Fatalf("outcome %s, notes %q, exit %d, %v", got, o.Notes, o.ExitCode(), o.Err())
	}
	// Planning stops too.
	o = r.Plan(ctx, &finding.Report{}, targets(t, e.db.ARN))
	if !o.Interrupted || o.Plan.Changes[0].Action != apply.Skipped || strings.Join(o.Notes, "|") != "Interrupted while planning: nothing was sent." {
		t.Fatalf("plan after the interrupt: %+v, notes %q", o.Plan.Changes, o.Notes)
	}
}

func TestRunnerReport(t *testing.T) {
	e := setup(t)
	rep := &finding.Report{Findings: []finding.Finding{{Rule: "x", Level: finding.Warning}}}
	rep.Finish()
	ts := targets(t, e.db.ARN, e.web.ARN)
	ts[1].Failing = 1
	o := run(t, runner(e), rep, ts)
	var buf bytes.Buffer
	if err := apply.WriteReport(&buf, o.Report()); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	s := got["summary"].(map[string]any)
	if got["version"] != 1.0 || got["dryRun"] != false || len(got["findings"].([]any)) != 1 || len(got["plan"].([]any)) != 2 ||
		s["applied"] != 1.0 || s["exitCode"] != 1.0 || s["interrupted"] != false || s["warning"] != 1.0 ||
		fmt.Sprint(s["plan"]) != "map[create:1 failed:0 no-change:0 refused:1 skipped:0 update:0]" ||
		fmt.Sprint(s["results"]) != "map[create:1 failed:0 no-change:0 refused:1 skipped:0 update:0]" {
		t.Fatalf("report:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), `\u0026`) || strings.Contains(buf.String(), "Statement") {
		t.Fatalf("the report is HTML-escaped or holds the policy text:\n%s", buf.String())
	}
}

func TestCollector(t *testing.T) {
	c := &apply.Collector{FailOn: finding.SecurityWarning}
	a := jsonpos.NewFile("a.yaml", nil)
	b := jsonpos.NewFile("b.yaml", nil)
	at := func(f *jsonpos.File, start int, arn string) *input.Target {
		return &input.Target{Origin: input.Location{File: f, Span: jsonpos.Span{Start: start}}, ARN: input.Fact{Value: arn, Known: true}}
	}
	levels := func(ls ...finding.Level) []finding.Finding {
		var out []finding.Finding
		for _, l := range ls {
			out = append(out, finding.Finding{Level: l})
		}
		return out
	}
	// Visited in the order workers finish.
	c.Visit(at(b, 0, "arn:4"), nil)
	c.Visit(at(a, 40, "arn:3"), levels(finding.Error, finding.SecurityWarning, finding.Warning))
	c.Visit(at(a, 10, "arn:2"), levels(finding.Warning, finding.Suggestion))
	c.Visit(at(a, 10, "arn:1"), nil)
	var got []string
	for _, x := range c.Targets() {
		got = append(got, fmt.Sprintf("%s=%d", x.Input.ARN.Value, x.Failing))
	}
	if strings.Join(got, " ") != "arn:1=0 arn:2=0 arn:3=2 arn:4=0" {
		t.Fatalf("targets %v, want declaration order and failing counts", got)
	}
}
