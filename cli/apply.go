package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/report"
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

	targets := &apply.Collector{FailOn: s.failOn}
	rep := s.run(cmd, env, args, f.workers, linter.RunOptions{Visit: targets.Visit, Enrich: live.stages(clients)})
	_ = report.WriteFailures(env.Stderr, rep.Failures) // before the plan: what was not checked is not sent
	runner := &apply.Runner{Clients: clients, FailOn: s.failOn, DryRun: af.dryRun, Atomic: af.atomic}
	human := env.Stderr // plan, prompt and results as text; standard output holds the report
	if f.output == "text" {
		human = env.Stdout
	}
	if !af.yes {
		runner.Confirm = func(ctx context.Context, p *apply.Plan) (bool, error) {
			return confirm(ctx, env, human, f.output == "json", p)
		}
	}
	o := runner.Plan(ctx, rep, targets.Targets())

	if f.output != "json" {
		// Findings first, in the format asked for; on text, plan and results follow them.
		if err := s.reporter.Publish(env.Stdout, rep); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
		fmt.Fprintln(human)
		if err := apply.WritePlan(human, o.Plan); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write plan: %w", err)}
		}
	}
	if err := runner.Send(ctx, o); err != nil {
		return err
	}
	if f.output == "json" {
		if err := apply.WriteReport(env.Stdout, o.Report()); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
	} else if o.Executed {
		fmt.Fprintln(human)
		if err := apply.WriteResults(human, o.Results); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write results: %w", err)}
		}
	}
	for _, n := range o.Notes {
		fmt.Fprintln(human, n)
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
	changes := "changes"
	if p.Writes() == 1 {
		changes = "change"
	}
	fmt.Fprintf(prompt, "Apply %d %s? [y/N] ", p.Writes(), changes)
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
