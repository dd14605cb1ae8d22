package apply

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// Target is one target the checks visited, with the number of its findings at or above the
// fail-on level: a target with any is not sent.
type Target struct {
	Input   *input.Target
	Failing int
}

// Collector gathers the targets the checks visit; its Visit method is the linter's Visit
// hook. It is safe for concurrent use.
type Collector struct {
	FailOn finding.Level

	mu      sync.Mutex
	targets []Target
}

// Visit records t with the findings the checks kept for it.
func (c *Collector) Visit(t *input.Target, kept []finding.Finding) {
	n := 0
	for _, f := range kept {
		if f.Level >= c.FailOn {
			n++
		}
	}
	c.mu.Lock()
	c.targets = append(c.targets, Target{Input: t, Failing: n})
	c.mu.Unlock()
}

// Targets returns the targets visited, ordered as their inputs declare them whatever order
// the workers finished in, so that plans and results read the same run to run.
func (c *Collector) Targets() []Target {
	c.mu.Lock()
	ts := slices.Clone(c.targets)
	c.mu.Unlock()
	slices.SortStableFunc(ts, func(x, y Target) int {
		return cmp.Or(cmp.Compare(fileOf(x.Input), fileOf(y.Input)), cmp.Compare(x.Input.Origin.Span.Start, y.Input.Origin.Span.Start),
			cmp.Compare(x.Input.ARN.Value, y.Input.ARN.Value))
	})
	return ts
}

func fileOf(t *input.Target) string {
	if t.Origin.File == nil {
		return ""
	}
	return t.Origin.File.Name
}

// Runner is one apply after the checks. Plan decides what to send and reads the current
// policies; Send confirms and writes. Between the two the caller shows the plan.
type Runner struct {
	Clients *awsapi.Clients
	// FailOn is the level at or above which a finding fails the checks.
	FailOn finding.Level
	// DryRun plans and sends nothing.
	DryRun bool
	// Atomic sends nothing unless every target can be sent.
	Atomic bool
	// Confirm asks whether to send the writes of the plan; nil sends them without asking. It
	// returns ctx's error when the run is interrupted before an answer.
	Confirm func(ctx context.Context, p *Plan) (bool, error)
}

// target is a Target with what the runner decided for it before planning.
type target struct {
	Target
	label string
	// refusal says why the target cannot be sent although it passed the checks.
	refusal string
	// item is the index of the target in the items given to MakePlan, or -1.
	item int
}

// Plan refuses, before any AWS call, the targets that failed the checks or cannot be sent,
// and plans the others with MakePlan. rep is the checks' report: when the checks did not
// complete, nothing is read, since the run cannot vouch for what it did not see.
func (r *Runner) Plan(ctx context.Context, rep *finding.Report, targets []Target) *Outcome {
	o := &Outcome{DryRun: r.DryRun, rep: rep, failOn: r.FailOn}
	for _, t := range targets {
		o.targets = append(o.targets, &target{Target: t, label: t.Input.Label(), item: -1})
	}
	r.decide(o.targets)
	items := items(o.targets)
	if len(rep.Failures) > 0 {
		o.made = &Plan{Changes: make([]Change, len(items))}
		for i, it := range items {
			o.made.Changes[i] = Change{Label: it.Label, ARN: it.ARN, Action: Skipped,
				Reason: "not planned: the checks did not complete (see the errors)"}
		}
	} else {
		var err error
		o.made, err = MakePlan(ctx, r.Clients.SSM, items)
		if err != nil {
			o.Interrupted = true
			o.Notes = append(o.Notes, "Interrupted while planning: nothing was sent.")
		}
	}
	o.Plan = o.fullPlan()
	return o
}

// decide refuses the targets that failed the checks or cannot be sent.
func (r *Runner) decide(targets []*target) {
	for _, x := range targets {
		t := x.Input
		switch {
		case x.Failing > 0:
			x.refusal = fmt.Sprintf("failed the checks: %d %s at or above %s", x.Failing, plural(x.Failing, "finding", "findings"), r.FailOn)
		case !t.ARN.Known:
			x.refusal = "no resource ARN: give it in a manifest or with --resource-arn"
		case strings.Contains(t.ARN.Value, input.Unknown):
			x.refusal = "the resource ARN has parts known only at deploy time"
		case managedElsewhere(t) != "":
			x.refusal = managedElsewhere(t)
		case t.Policy == nil:
			x.refusal = "the policy could not be read (it does not parse, or is known only at deploy time)"
		default:
			if err := r.Clients.CheckRegion(t.ARN.Value); err != nil {
				x.refusal = err.Error()
			}
		}
	}
}

// managedElsewhere says why a target declared in a CloudFormation template or a Terraform plan
// is not apply's to send: its tool creates the policy, and a second writer would make it drift
// or conflict. Checking those inputs is what ssmpolicy does for them.
func managedElsewhere(t *input.Target) string {
	switch t.DeclaredBy() {
	case "the template":
		return "declared in a CloudFormation template: CloudFormation applies it (deploy the stack); apply sends policy files and manifests"
	case "the plan":
		return "declared in a Terraform plan: Terraform applies it (terraform apply); apply sends policy files and manifests"
	}
	return ""
}

// items builds MakePlan's input from the targets not refused yet.
func items(targets []*target) []Item {
	var items []Item
	for _, x := range targets {
		if x.refusal != "" {
			continue
		}
		policy, err := x.Input.CompactPolicy()
		switch {
		case err != nil:
			x.refusal = "the policy cannot be written as JSON: " + err.Error()
			continue
		case policy == nil:
			x.refusal = "the policy could not be read"
			continue
		case bytes.Contains(policy, []byte(input.Unknown)):
			x.refusal = "the policy has parts known only at deploy time"
			continue
		}
		x.item = len(items)
		items = append(items, Item{Label: x.label, ARN: x.Input.ARN.Value, Policy: policy, PolicyID: x.Input.PolicyID})
	}
	return items
}

// fullPlan is MakePlan's plan with the targets refused before it, in the targets' order.
func (o *Outcome) fullPlan() *Plan {
	full := &Plan{Changes: make([]Change, 0, len(o.targets))}
	for _, x := range o.targets {
		if x.item >= 0 {
			full.Changes = append(full.Changes, o.made.Changes[x.item])
			continue
		}
		full.Changes = append(full.Changes, Change{Label: x.label, ARN: input.Shown(x.Input.ARN.Value), Action: Refused, Reason: x.refusal})
	}
	return full
}

// Send does what the plan says unless the run is a dry run, did not complete, is --atomic with
// a target that cannot be sent, or is not confirmed, and records the results and notes in o.
// It returns an error only when the confirmation itself failed.
func (r *Runner) Send(ctx context.Context, o *Outcome) error {
	full := o.Plan
	blocked := o.blocked()
	switch {
	case r.DryRun:
		o.Notes = append(o.Notes, "Dry run: nothing was sent.")
	case o.Interrupted || len(o.rep.Failures) > 0:
		o.Results = notSent(full, "not sent: the run did not complete")
	case r.Atomic && blocked != "" && full.Writes() > 0:
		o.Results = notSent(full, "not sent: --atomic, and "+blocked)
		o.Notes = append(o.Notes, fmt.Sprintf("--atomic: nothing was sent, because %s.", blocked))
	default:
		ok, err := r.confirm(ctx, o)
		if err != nil {
			return err
		}
		if !ok {
			o.Results = notSent(full, "not sent: not confirmed")
			break
		}
		r.execute(ctx, o)
	}
	if n := o.Conflicts(); n > 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("Another writer changed %d %s after ssmpolicy read %s; nothing of theirs was overwritten. Run `ssmpolicy apply --dry-run` to see what they changed (it shows what applying would revoke), bring your files up to date or agree on who owns the policy, then apply again.",
			n, plural(n, "policy", "policies"), plural(n, "it", "them")))
	}
	return nil
}

// confirm asks, when there is something to write and a Confirm to ask with. An interrupt
// before the answer is a no, and says so.
func (r *Runner) confirm(ctx context.Context, o *Outcome) (bool, error) {
	if r.Confirm == nil || o.Plan.Writes() == 0 {
		return true, nil
	}
	ok, err := r.Confirm(ctx, o.Plan)
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		o.Interrupted = true
		o.Notes = append(o.Notes, "Interrupted: nothing was sent.")
		return false, nil
	case err != nil:
		return false, err
	case !ok:
		o.Declined = true
		o.Notes = append(o.Notes, "Not confirmed: nothing was sent.")
	}
	return ok, nil
}

// execute sends the plan's writes; with no write in the plan it makes no call, and still
// reports every target's current PolicyId and PolicyHash.
func (r *Runner) execute(ctx context.Context, o *Outcome) {
	results, err := Execute(ctx, r.Clients.SSM, o.Plan)
	o.Results, o.Executed = results, true
	if err != nil {
		o.Interrupted = true
		n := 0
		for _, res := range results {
			if res.Applied() {
				n++
			}
		}
		o.Notes = append(o.Notes, fmt.Sprintf("Interrupted: %d %s applied before the interrupt (listed above); those marked skipped were not sent.",
			n, plural(n, "change was", "changes were")))
	}
}

// notSent turns a plan that is not executed into results: no change stays no change, refusals
// keep their reason, writes are skipped with reason.
func notSent(p *Plan, reason string) []Result {
	out := make([]Result, len(p.Changes))
	for i, c := range p.Changes {
		r := Result{Label: c.Label, ARN: c.ARN, Action: c.Action, Error: c.Reason}
		switch c.Action {
		case NoChange:
			r.PolicyID, r.PolicyHash, r.Error = c.PolicyID, c.PolicyHash, ""
		case Create, Update:
			r.Action, r.Error = Skipped, reason
		}
		out[i] = r
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
