package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/report"
)

// applyFlags are the flags of apply beyond those it shares with check.
type applyFlags struct {
	dryRun         bool
	yes            bool
	atomic         bool
	promote        bool
	promoteTimeout time.Duration
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
terminal, and prints what was done with the new PolicyId and PolicyHash, each target as soon as
it is done. With --promote (or apply: {promote: true} in .ssmpolicy.yaml) it then promotes
each parameter's RAM share, so that consumers find it with DescribeParameters --shared.
Each target is sent to the region its ARN names.

-o jsonl writes one JSON object per line as the run goes (findings, plan, each result, then
a summary), so that a run that is killed leaves a record of what it did.

Exit codes: 0 everything applied (and promoted) or already up to date; 1 a target failed the
checks (nothing was sent for it); 2 an AWS call failed, another writer changed a policy first, a
target was refused, a share was not promoted, the run was interrupted or not confirmed, or the
flags are wrong.`,
		Example: `  ssmpolicy apply --dry-run ssmpolicy.yaml
  ssmpolicy apply --promote --dry-run examples/
  ssmpolicy apply --live --yes --atomic ssmpolicy.yaml
  ssmpolicy apply --profile prod -o jsonl --yes manifests/`,
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
	fs.BoolVar(&af.promote, "promote", false, "promote each parameter's RAM share to STANDARD once its policy is in place (default: apply.promote of the configuration)")
	fs.DurationVar(&af.promoteTimeout, "promote-timeout", apply.DefaultPromoteTimeout, "how long --promote waits for RAM to make a share, and to finish promoting it")
	return cmd
}

func runApply(cmd *cobra.Command, env *Env, args []string, f *checkFlags, live *liveFlags, af applyFlags) error {
	ctx := cmd.Context()
	// -o jsonl is apply's own: the checks' reporter is not used, the lines are written here.
	jsonl := slices.Equal(f.out.formats, []string{"jsonl"})
	if jsonl {
		f.out.formats = []string{"json"}
	}
	if af.promoteTimeout <= 0 {
		return usageError("--promote-timeout %s: want a positive duration", af.promoteTimeout)
	}
	promoteSet := cmd.Flags().Changed("promote")
	f.promote = func(cfg *config.Config) bool {
		if !promoteSet {
			af.promote = cfg.Apply.Promote
		}
		return af.promote
	}
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

	targets := &apply.Collector{FailOn: s.failOn}
	rep := s.run(cmd, env, args, f.workers, linter.RunOptions{Visit: targets.Visit, Enrich: live.stages(clients)})
	_ = report.WriteFailures(env.Stderr, rep.Failures) // before the plan: what was not checked is not sent
	runner := &apply.Runner{Clients: clients, FailOn: s.failOn, DryRun: af.dryRun, Atomic: af.atomic,
		Promote: af.promote, PromoteTimeout: af.promoteTimeout, RetryCommand: retryCommand(cmd, args)}
	human := env.Stderr // plan, prompt and results as text; standard output holds the report
	if f.output == "text" {
		human = env.Stdout
	}
	if !af.yes {
		runner.Confirm = func(ctx context.Context, p *apply.Plan) (bool, error) {
			return confirm(ctx, env, human, f.output == "json" && !jsonl, p)
		}
	}
	out := &applyOutput{env: env, human: human, json: f.output == "json" && !jsonl, jsonl: jsonl}
	runner.OnResult = out.result
	o := runner.Plan(ctx, rep, targets.Targets())

	if err := out.start(s, rep, o); err != nil {
		return err
	}
	if err := runner.Send(ctx, o); err != nil {
		return err
	}
	if err := out.finish(o); err != nil {
		return err
	}
	if code := o.ExitCode(); code != ExitOK {
		return &exitError{code: code, err: o.Err()}
	}
	return nil
}

// confirm asks on the terminal whether to send the plan's writes. With -o json the plan is
// shown first: the JSON report comes at the end, and the person answering needs it now.
func confirm(ctx context.Context, env *Env, prompt io.Writer, showPlan bool, p *apply.Plan) (bool, error) {
	if showPlan {
		if err := apply.WritePlan(prompt, p); err != nil {
			return false, &exitError{code: ExitError, err: fmt.Errorf("write plan: %w", err)}
		}
	}
	question := fmt.Sprintf("Apply %d %s", p.Writes(), map[bool]string{true: "change", false: "changes"}[p.Writes() == 1])
	if n := p.Promotions(); n > 0 {
		question += fmt.Sprintf(" and promote %d %s", n, map[bool]string{true: "share", false: "shares"}[n == 1])
	}
	fmt.Fprintf(prompt, "%s? [y/N] ", question)
	answer := make(chan string, 1)
	go func() {
		// A read from a terminal cannot be cancelled; on Ctrl-C the run ends without it.
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
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
		return false, ctx.Err()
	}
}

// applyOutput writes what apply shows, in the order things happen: the findings and the plan,
// then each result as soon as it is known (text lines, or JSON lines with -o jsonl), then the
// summary, the notes and (-o json) the whole report.
type applyOutput struct {
	env   *Env
	human io.Writer // plan, results and notes as text: standard output with -o text, else standard error
	json  bool      // -o json: one report at the end
	jsonl bool      // -o jsonl: JSON lines as the run goes
	// streamed counts the results already printed.
	streamed int
	err      error
}

// start writes the findings and the plan.
func (a *applyOutput) start(s *setup, rep *finding.Report, o *apply.Outcome) error {
	switch {
	case a.jsonl:
		for _, f := range rep.Findings {
			a.line(apply.LineFinding, f)
		}
		for _, c := range o.Plan.Changes {
			a.line(apply.LinePlan, c)
		}
		if a.err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", a.err)}
		}
	case !a.json:
		// Findings first, in the format asked for; on text, plan and results follow them.
		if err := s.reporter.Publish(a.env.Stdout, rep); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
		fmt.Fprintln(a.human)
		if err := apply.WritePlan(a.human, o.Plan); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write plan: %w", err)}
		}
	}
	return nil
}

// result is the runner's OnResult: each result as soon as it is known.
func (a *applyOutput) result(r apply.Result) {
	switch {
	case a.jsonl:
		a.line(apply.LineResult, r)
	case !a.json:
		if a.streamed == 0 {
			fmt.Fprintln(a.human)
		}
		if err := apply.WriteResult(a.human, r); err != nil && a.err == nil {
			a.err = err
		}
	default:
		return
	}
	a.streamed++
}

// finish writes what follows the results.
func (a *applyOutput) finish(o *apply.Outcome) error {
	switch {
	case a.jsonl:
		a.line(apply.LineSummary, o.Summary())
	case a.json:
		if err := apply.WriteReport(a.env.Stdout, o.Report()); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
	case o.Executed:
		if a.streamed == 0 {
			// Not sent: the results were not streamed.
			fmt.Fprintln(a.human)
			for _, r := range o.Results {
				_ = apply.WriteResult(a.human, r)
			}
		}
		if err := apply.WriteResultsSummary(a.human, o.Results); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write results: %w", err)}
		}
	}
	if a.err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write results: %w", a.err)}
	}
	if !a.jsonl {
		for _, n := range o.Notes {
			fmt.Fprintln(a.human, n)
		}
	}
	return nil
}

func (a *applyOutput) line(typ string, v any) {
	if err := apply.WriteLine(a.env.Stdout, typ, v); err != nil && a.err == nil {
		a.err = err
	}
}

// retryCommand is the command line that retries the promotion: apply with the flags given,
// --promote and --yes, without --dry-run.
func retryCommand(cmd *cobra.Command, args []string) string {
	parts := []string{"ssmpolicy", "apply", "--promote", "--yes"}
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		switch fl.Name {
		case "promote", "yes", "dry-run":
			return
		}
		if fl.Value.Type() == "bool" {
			parts = append(parts, "--"+fl.Name)
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				parts = append(parts, "--"+fl.Name, shellQuote(v))
			}
			return
		}
		parts = append(parts, "--"+fl.Name, shellQuote(fl.Value.String()))
	})
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
