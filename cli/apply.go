package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/linter"
)

// applyFlags are the flags of apply beyond those it shares with check.
type applyFlags struct {
	dryRun bool
	yes    bool
	atomic bool
}

func newApply(env *Env) *cobra.Command {
	var (
		f    checkFlags
		live liveFlags
		af   applyFlags
	)
	cmd := &cobra.Command{
		Use:   "apply [flags] [PATH ...]",
		Short: "Check, then send the policies that pass to AWS with SSM PutResourcePolicy",
		Long: `apply runs the same checks as check, then, for every target without a finding at or above
--fail-on, reads the resource's current policies and creates, updates or leaves alone its
policy. It prints the plan (what each change grants and revokes), asks for confirmation on a
terminal, and prints what was done with the new PolicyId and PolicyHash.

Exit codes: 0 everything applied or already up to date; 1 a target failed the checks (nothing
was sent for it); 2 an AWS call failed, another writer changed a policy first, a target was
refused, the run was interrupted or not confirmed, or the flags are wrong.`,
		Example: `  ssmpolicy apply --dry-run ssmpolicy.yaml
  ssmpolicy apply --live --yes --atomic ssmpolicy.yaml
  ssmpolicy apply --profile prod --region eu-west-1 -o json --yes manifests/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runApply(cmd, env, args, &f, &live, af)
		},
	}
	f.register(cmd.Flags())
	live.register(cmd.Flags())
	fs := cmd.Flags()
	fs.BoolVar(&af.dryRun, "dry-run", false, "print the plan and send nothing (reads the current policies only)")
	fs.BoolVar(&af.yes, "yes", false, "apply without asking (required when standard input is not a terminal)")
	fs.BoolVar(&af.atomic, "atomic", false, "send nothing unless every target passes the checks and can be planned")
	return cmd
}

// applied is one target the checks visited, with what apply decided for it before planning.
type applied struct {
	t     *input.Target
	label string
	// failing counts the target's findings at or above --fail-on: it is not sent.
	failing int
	// refusal says why the target cannot be sent although it passed the checks.
	refusal string
	// item is the index of the target in the items given to MakePlan, or -1.
	item int
}

func runApply(cmd *cobra.Command, env *Env, args []string, f *checkFlags, live *liveFlags, af applyFlags) error {
	ctx := cmd.Context()
	s, err := f.build(cmd, env)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	// Decide about confirmation before any work, so that a pipeline missing --yes fails the
	// same way whether or not there happens to be something to change.
	if !af.dryRun && !af.yes {
		if slices.Contains(args, "-") {
			return usageError("the policy is read from standard input, which leaves nothing to answer the confirmation with: pass --yes (or --dry-run)")
		}
		if !env.StdinIsTerminal() {
			return usageError("standard input is not a terminal, so apply cannot ask for confirmation: pass --yes to apply without asking (or --dry-run to see the plan)")
		}
	}
	clients, err := live.clients(ctx, env)
	if err != nil {
		return err
	}

	var (
		mu      sync.Mutex
		visited []*applied
	)
	more := linter.RunOptions{
		Visit: func(t *input.Target, kept []finding.Finding) {
			n := 0
			for _, fd := range kept {
				if fd.Level >= s.failOn {
					n++
				}
			}
			mu.Lock()
			visited = append(visited, &applied{t: t, label: t.Label(), failing: n, item: -1})
			mu.Unlock()
		},
	}
	more.Enrich = live.stages(clients)
	rep := s.run(cmd, env, args, f.workers, more)
	sortTargets(visited)

	a := &applyRun{env: env, s: s, f: f, af: af, rep: rep, targets: visited, clients: clients}
	return a.run(ctx)
}

// applyRun is one apply after the checks: it plans, confirms, executes and reports.
type applyRun struct {
	env     *Env
	s       *setup
	f       *checkFlags
	af      applyFlags
	rep     *finding.Report
	targets []*applied
	clients *awsapi.Clients

	plan        *apply.Plan
	results     []apply.Result
	executed    bool
	interrupted bool
	declined    bool
	notes       []string // said on the human stream after the results
}

func (a *applyRun) run(ctx context.Context) error {
	a.decide()
	items := a.items()

	// Read nothing from AWS when the checks did not complete: the run cannot vouch for what
	// it did not see, so it sends nothing at all.
	var planErr error
	if len(a.rep.Failures) > 0 {
		a.plan = &apply.Plan{Changes: make([]apply.Change, len(items))}
		for i, it := range items {
			a.plan.Changes[i] = apply.Change{Label: it.Label, ARN: it.ARN, Action: apply.Skipped,
				Reason: "not planned: the checks did not complete (see the errors)"}
		}
	} else {
		a.plan, planErr = apply.MakePlan(ctx, a.clients.SSM, items)
		if planErr != nil {
			a.interrupted = true
			a.notes = append(a.notes, "Interrupted while planning: nothing was sent.")
		}
	}
	full := a.fullPlan()

	human := a.humanStream()
	if a.f.output != "json" {
		// Findings first, in the format asked for; on text, plan and results follow them.
		if err := a.s.reporter.Publish(a.env.Stdout, a.rep); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
		fmt.Fprintln(human)
		if err := apply.WritePlan(human, full); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write plan: %w", err)}
		}
	}

	blocked := a.blocked(full)
	switch {
	case a.af.dryRun:
		a.notes = append(a.notes, "Dry run: nothing was sent.")
	case a.interrupted || len(a.rep.Failures) > 0:
		a.results = notSent(full, "not sent: the run did not complete")
	case a.af.atomic && blocked != "" && full.Writes() > 0:
		a.results = notSent(full, "not sent: --atomic, and "+blocked)
		a.notes = append(a.notes, fmt.Sprintf("--atomic: nothing was sent, because %s.", blocked))
	default:
		if full.Writes() > 0 {
			ok, err := a.confirm(ctx, full)
			if err != nil {
				return err
			}
			if !ok {
				a.results = notSent(full, "not sent: not confirmed")
				if !a.interrupted {
					a.declined = true
					a.notes = append(a.notes, "Not confirmed: nothing was sent.")
				}
				break
			}
		}
		// With no write in the plan this makes no call; it still reports every target's
		// current PolicyId and PolicyHash.
		results, err := apply.Execute(ctx, a.clients.SSM, full)
		a.results, a.executed = results, true
		if err != nil {
			a.interrupted = true
			n := 0
			for _, r := range results {
				if r.Applied() {
					n++
				}
			}
			a.notes = append(a.notes, fmt.Sprintf("Interrupted: %d %s applied before the interrupt (listed above); those marked skipped were not sent.",
				n, plural(n, "change was", "changes were")))
		}
	}
	if n := conflicts(a.results); n > 0 {
		a.notes = append(a.notes, fmt.Sprintf("Another writer changed %d %s after ssmpolicy read %s; nothing of theirs was overwritten. Run `ssmpolicy apply --dry-run` to see what they changed (it shows what applying would revoke), bring your files up to date or agree on who owns the policy, then apply again.",
			n, plural(n, "policy", "policies"), plural(n, "it", "them")))
	}
	code := a.exitCode()

	if a.f.output == "json" {
		if err := a.writeJSON(full, code); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
	} else if a.executed {
		fmt.Fprintln(human)
		if err := apply.WriteResults(human, a.results); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write results: %w", err)}
		}
	}
	for _, n := range a.notes {
		fmt.Fprintln(human, n)
	}
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code, err: a.exitMessage(code)}
}

// humanStream is where plan, prompt and results go as text: standard output for -o text,
// standard error for the other formats, whose standard output is the machine-readable report.
func (a *applyRun) humanStream() io.Writer {
	if a.f.output == "text" {
		return a.env.Stdout
	}
	return a.env.Stderr
}

// decide refuses, before any AWS call, the targets that failed the checks or cannot be sent.
func (a *applyRun) decide() {
	for _, x := range a.targets {
		t := x.t
		switch {
		case x.failing > 0:
			x.refusal = fmt.Sprintf("failed the checks: %d %s at or above %s", x.failing, plural(x.failing, "finding", "findings"), a.s.failOn)
		case !t.ARN.Known:
			x.refusal = "no resource ARN: give it in a manifest or with --resource-arn"
		case strings.Contains(t.ARN.Value, input.Unknown):
			x.refusal = "the resource ARN has parts known only at deploy time"
		case managedElsewhere(t) != "":
			x.refusal = managedElsewhere(t)
		case t.Policy == nil:
			x.refusal = "the policy could not be read (it does not parse, or is known only at deploy time)"
		default:
			if err := a.clients.CheckRegion(t.ARN.Value); err != nil {
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
func (a *applyRun) items() []apply.Item {
	var items []apply.Item
	for _, x := range a.targets {
		if x.refusal != "" {
			continue
		}
		policy, err := x.t.CompactPolicy()
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
		items = append(items, apply.Item{Label: x.label, ARN: x.t.ARN.Value, Policy: policy, PolicyID: x.t.PolicyID})
	}
	return items
}

// fullPlan is MakePlan's plan with the targets refused before it, in the targets' order.
func (a *applyRun) fullPlan() *apply.Plan {
	full := &apply.Plan{Changes: make([]apply.Change, 0, len(a.targets))}
	for _, x := range a.targets {
		if x.item >= 0 {
			full.Changes = append(full.Changes, a.plan.Changes[x.item])
			continue
		}
		full.Changes = append(full.Changes, apply.Change{Label: x.label, ARN: input.Shown(x.t.ARN.Value), Action: apply.Refused, Reason: x.refusal})
	}
	return full
}

// blocked says why not every target can be sent, or "" when all can.
func (a *applyRun) blocked(full *apply.Plan) string {
	var failing, other int
	for _, x := range a.targets {
		if x.failing > 0 {
			failing++
		}
	}
	for _, c := range full.Changes {
		switch c.Action {
		case apply.Refused, apply.Failed, apply.Skipped:
			other++
		}
	}
	other -= failing // targets failing the checks are refused in the plan too
	var why []string
	if failing > 0 {
		why = append(why, fmt.Sprintf("%d %s failed the checks", failing, plural(failing, "target", "targets")))
	} else if a.rep.Fails(a.s.failOn) {
		why = append(why, "the inputs have findings at or above "+a.s.failOn.String())
	}
	if other > 0 {
		why = append(why, fmt.Sprintf("%d %s could not be planned", other, plural(other, "target", "targets")))
	}
	return strings.Join(why, " and ")
}

// confirm asks on the terminal, unless --yes.
func (a *applyRun) confirm(ctx context.Context, full *apply.Plan) (bool, error) {
	if a.af.yes {
		return true, nil
	}
	prompt := a.humanStream()
	if a.f.output == "json" {
		// The JSON report comes at the end; the person answering needs the plan now.
		if err := apply.WritePlan(prompt, full); err != nil {
			return false, &exitError{code: ExitError, err: fmt.Errorf("write plan: %w", err)}
		}
	}
	n := full.Writes()
	fmt.Fprintf(prompt, "Apply %d %s? [y/N] ", n, plural(n, "change", "changes"))
	answer := make(chan string, 1)
	go func() {
		// A read from a terminal cannot be cancelled; on Ctrl-C the run ends without it.
		line, _ := bufio.NewReader(a.env.Stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return true, nil
		}
		return false, nil
	case <-ctx.Done():
		fmt.Fprintln(prompt)
		a.interrupted = true
		a.notes = append(a.notes, "Interrupted: nothing was sent.")
		return false, nil
	}
}

// notSent turns a plan that is not executed into results: no change stays no change, refusals
// keep their reason, writes are skipped with reason.
func notSent(p *apply.Plan, reason string) []apply.Result {
	out := make([]apply.Result, len(p.Changes))
	for i, c := range p.Changes {
		r := apply.Result{Label: c.Label, ARN: c.ARN, Action: c.Action, Error: c.Reason}
		switch c.Action {
		case apply.NoChange:
			r.PolicyID, r.PolicyHash, r.Error = c.PolicyID, c.PolicyHash, ""
		case apply.Create, apply.Update:
			r.Action, r.Error = apply.Skipped, reason
		}
		out[i] = r
	}
	return out
}

// conflicts counts the writes that another writer's change made fail.
func conflicts(results []apply.Result) int {
	n := 0
	for _, r := range results {
		// apply's message for ResourcePolicyConflictException and for a policy deleted under
		// it; both mean another writer acted between the read and the write.
		if r.Action == apply.Failed && strings.Contains(r.Error, "by another writer since it was read") {
			n++
		}
	}
	return n
}

// exitCode follows PRODUCT.md: 2 when anything kept the run from doing its job (errors in the
// checks, an interrupt, no confirmation, a refusal, a read or write that failed, a conflict),
// else 1 when a target failed the checks (or the inputs have findings at or above --fail-on
// outside any target), else 0.
func (a *applyRun) exitCode() int {
	if len(a.rep.Failures) > 0 || a.interrupted || a.declined || a.refusedCount() > 0 || a.failedCount() > 0 {
		return ExitError
	}
	if a.rep.Fails(a.s.failOn) || a.failingCount() > 0 {
		return ExitFindings
	}
	return ExitOK
}

// failingCount counts the targets that failed the checks.
func (a *applyRun) failingCount() int {
	n := 0
	for _, x := range a.targets {
		if x.failing > 0 {
			n++
		}
	}
	return n
}

// refusedCount counts the targets refused for another reason than failing the checks: by
// apply before planning, or by the plan.
func (a *applyRun) refusedCount() int {
	n := 0
	for _, x := range a.targets {
		if x.failing == 0 && x.refusal != "" {
			n++
		}
	}
	return n + a.plan.Count(apply.Refused)
}

// failedCount counts the targets whose policies could not be read, or whose write failed or
// was cut short.
func (a *applyRun) failedCount() int {
	n := a.plan.Count(apply.Failed) + a.plan.Count(apply.Skipped)
	if a.executed {
		for _, r := range a.results {
			if r.Action == apply.Failed || r.Action == apply.Skipped {
				n++
			}
		}
	}
	return n
}

// exitMessage is the line on standard error that says why the exit code is not 0, or nil when
// a note on the human stream has said it already.
func (a *applyRun) exitMessage(code int) error {
	switch {
	case code == ExitFindings && a.failingCount() == 0:
		return errors.New("the inputs have findings at or above " + a.s.failOn.String())
	case code == ExitFindings:
		n := a.failingCount()
		return fmt.Errorf("%d %s failed the checks: nothing was sent for %s", n, plural(n, "target", "targets"), plural(n, "it", "them"))
	case len(a.rep.Failures) > 0:
		return errors.New("the checks did not complete: nothing was sent")
	case a.interrupted || a.declined:
		return nil
	}
	var parts []string
	if n := a.failedCount(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s failed", n, plural(n, "change", "changes")))
	}
	if n := a.refusedCount(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s refused", n, plural(n, "target was", "targets were")))
	}
	return errors.New(strings.Join(parts, ", ") + " (see the plan and the results)")
}

// applyReport is the JSON object `apply -o json` writes; docs/apply.md documents it.
type applyReport struct {
	Version    int                  `json:"version"`
	DryRun     bool                 `json:"dryRun"`
	Findings   []finding.Finding    `json:"findings"`
	Suppressed []finding.Suppressed `json:"suppressed"`
	Errors     []finding.Failure    `json:"errors,omitempty"`
	Plan       []apply.Change       `json:"plan"`
	Results    []apply.Result       `json:"results"`
	Summary    applySummary         `json:"summary"`
}

// applySummary is the check summary plus the counts of the plan and the results.
type applySummary struct {
	finding.Summary
	Plan        actionCounts `json:"plan"`
	Results     actionCounts `json:"results"`
	Applied     int          `json:"applied"`
	Interrupted bool         `json:"interrupted"`
	ExitCode    int          `json:"exitCode"`
}

type actionCounts struct {
	Create   int `json:"create"`
	Update   int `json:"update"`
	NoChange int `json:"no-change"`
	Refused  int `json:"refused"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
}

func countActions(actions []apply.Action) actionCounts {
	var c actionCounts
	for _, a := range actions {
		switch a {
		case apply.Create:
			c.Create++
		case apply.Update:
			c.Update++
		case apply.NoChange:
			c.NoChange++
		case apply.Refused:
			c.Refused++
		case apply.Failed:
			c.Failed++
		case apply.Skipped:
			c.Skipped++
		}
	}
	return c
}

func (a *applyRun) writeJSON(full *apply.Plan, code int) error {
	out := applyReport{
		Version: 1, DryRun: a.af.dryRun,
		Findings: a.rep.Findings, Suppressed: a.rep.Suppressed, Errors: a.rep.Failures,
		Plan: full.Changes, Results: a.results,
	}
	if out.Results == nil {
		out.Results = []apply.Result{}
	}
	var planActions, resultActions []apply.Action
	for _, c := range full.Changes {
		planActions = append(planActions, c.Action)
	}
	for _, r := range a.results {
		resultActions = append(resultActions, r.Action)
		if r.Applied() && a.executed {
			out.Summary.Applied++
		}
	}
	out.Summary.Summary = a.rep.Summary
	out.Summary.Plan, out.Summary.Results = countActions(planActions), countActions(resultActions)
	out.Summary.Interrupted, out.Summary.ExitCode = a.interrupted, code
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// sortTargets orders targets as their inputs declare them, whatever order the workers
// finished in, so that plans and results read the same run to run.
func sortTargets(ts []*applied) {
	slices.SortStableFunc(ts, func(x, y *applied) int {
		return cmp.Or(cmp.Compare(fileOf(x.t), fileOf(y.t)), cmp.Compare(x.t.Origin.Span.Start, y.t.Origin.Span.Start),
			cmp.Compare(x.t.ARN.Value, y.t.ARN.Value))
	})
}

func fileOf(t *input.Target) string {
	if t.Origin.File == nil {
		return ""
	}
	return t.Origin.File.Name
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
