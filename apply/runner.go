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
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// RuleActionNotPromotable is the rule whose findings of level warning or above say that a
// parameter's share cannot be promoted: they block the promotion step of apply --promote (not
// the policy write, unless the level is at or above --fail-on).
const RuleActionNotPromotable = "action-not-promotable"

// Target is one target the checks visited, with the number of its findings at or above the
// fail-on level: a target with any is not sent.
type Target struct {
	Input   *input.Target
	Failing int
	// NotPromotable is the message of an action-not-promotable finding of level warning or
	// above kept for the target, "" when there is none.
	NotPromotable string
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
	x := Target{Input: t}
	for _, f := range kept {
		if f.Level >= c.FailOn {
			x.Failing++
		}
		if f.Rule == RuleActionNotPromotable && f.Level >= finding.Warning && x.NotPromotable == "" {
			x.NotPromotable = f.Message
		}
	}
	c.mu.Lock()
	c.targets = append(c.targets, x)
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
	// Clients gives the client set of each target's region.
	Clients awsapi.Source
	// FailOn is the level at or above which a finding fails the checks.
	FailOn finding.Level
	// DryRun plans and sends nothing.
	DryRun bool
	// Atomic sends nothing unless every target can be sent.
	Atomic bool
	// Confirm asks whether to send the writes of the plan; nil sends them without asking. It
	// returns ctx's error when the run is interrupted before an answer.
	Confirm func(ctx context.Context, p *Plan) (bool, error)

	// Promote promotes the RAM share of each parameter whose policy is in place (apply
	// --promote). PromoteTimeout bounds each wait for RAM (DefaultPromoteTimeout when zero);
	// PromotePoll is the first wait between reads (DefaultPromotePoll when zero).
	Promote        bool
	PromoteTimeout time.Duration
	PromotePoll    time.Duration
	// RetryCommand is the command line that retries the promotion, for the note after a
	// promotion failed ("ssmpolicy apply --promote" when empty).
	RetryCommand string
	// Backoff is the first wait before a write SSM refused as malformed is sent again
	// (DefaultBackoff when zero).
	Backoff time.Duration

	// OnResult is called with each target's result as soon as it is known, so that a run
	// that is killed leaves a record of what it did.
	OnResult func(Result)
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
		o.made, err = MakePlan(ctx, r.Clients, items)
		switch {
		case err != nil:
			o.Interrupted = true
			o.Notes = append(o.Notes, "Interrupted while planning: nothing was sent.")
		case o.made.credentials != nil:
			o.Notes = append(o.Notes, "The AWS credentials did not work: "+awsapi.Explain(o.made.credentials)+". Nothing was read after that, and nothing was sent.")
		case r.Promote:
			r.planPromotions(ctx, o)
		}
	}
	o.Plan = o.fullPlan()
	return o
}

// planPromotions adds to each planned change what promoting its share takes, from reads.
func (r *Runner) planPromotions(ctx context.Context, o *Outcome) {
	p := r.promoter()
	for _, x := range o.targets {
		if x.item < 0 {
			continue
		}
		ch := &o.made.Changes[x.item]
		if !isParameter(ch.ARN) || x.NotPromotable != "" || ch.Action == Create {
			ch.Promotion = p.plan(ctx, nil, ch, blockedBy(x.NotPromotable))
			continue
		}
		c, err := r.Clients.For(ch.ARN)
		if err != nil {
			continue // refused by MakePlan already
		}
		ch.Promotion = p.plan(ctx, c, ch, "")
	}
}

func blockedBy(message string) string {
	if message == "" {
		return ""
	}
	return RuleActionNotPromotable + " says the share cannot be promoted: " + message +
		" (the policy is still written; with --fail-on warning the write is held too)"
}

func (r *Runner) promoter() promoter {
	return promoter{timeout: r.PromoteTimeout, interval: r.PromotePoll}
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
			if _, err := r.Clients.For(t.ARN.Value); err != nil {
				x.refusal = err.Error()
			}
		}
	}
}

// managedElsewhere says why a target declared in a CloudFormation template or a Terraform plan
// is not apply's to send: its tool creates the policy, and a second writer would make it drift
// or conflict. Checking those inputs is what ssmpolicy does for them.
func managedElsewhere(t *input.Target) string {
	switch t.Kind {
	case input.CloudFormation:
		return "declared in a CloudFormation template: CloudFormation applies it (deploy the stack); apply sends policy files and manifests"
	case input.Terraform:
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
		arn := ""
		if x.Input.ARN.Known {
			arn = shownARN(x.Input.ARN.Value)
		}
		full.Changes = append(full.Changes, Change{Label: x.label, ARN: arn, Action: Refused, Reason: x.refusal})
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
	if n := o.Races(); n > 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("Another writer created the same policy at the same time as this run on %d %s; the duplicates were deleted so that one policy is left (see the results). Make sure two applies do not run at once (in CI, a concurrency group).",
			n, plural(n, "resource", "resources")))
	}
	if n := o.NotPromoted(); n > 0 && o.Executed {
		cmd := r.RetryCommand
		if cmd == "" {
			cmd = "ssmpolicy apply --promote"
		}
		o.Notes = append(o.Notes, fmt.Sprintf("Applied, not promoted: %d %s in place, but %s not promoted (see the results), so consumers do not see %s with DescribeParameters --shared. Once the cause is fixed, run `%s` again: the policies show as unchanged and only the promotion is done.",
			n, plural(n, "policy is", "policies are"), plural(n, "its share was", "their shares were"), plural(n, "the parameter", "the parameters"), cmd))
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
	if r.Confirm == nil || (o.Plan.Writes() == 0 && o.Plan.Promotions() == 0) {
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
	x := executor{src: r.Clients, w: writer{backoff: r.Backoff}, onResult: r.OnResult}
	if r.Promote {
		p := r.promoter()
		x.promote = &p
	}
	results, err := x.run(ctx, o.Plan)
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
		out[i] = notSentResult(c, reason)
	}
	return out
}

// shownARN is an ARN as plans and results show it: parts known only at deploy time read
// <unknown>, as in findings, and control characters are quoted.
func shownARN(arn string) string {
	return input.Shown(strings.ReplaceAll(arn, input.Unknown, "<unknown>"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
