package apply

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Exit codes of an apply, the command line's: 0 everything applied or already up to date, 1 a
// target failed the checks (nothing was sent for it), 2 the run could not do its job.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// Outcome is what one apply decided and did: the plan for every target the checks visited,
// the results once sent (or not), and the notes that explain the run.
type Outcome struct {
	DryRun bool
	// Plan has one change per target, in the targets' order: MakePlan's changes, and the
	// targets refused before it.
	Plan *Plan
	// Results has one result per target once Send decided to send or not; none for a dry run.
	Results []Result
	// Executed says that Execute ran: the results are AWS's answers.
	Executed bool
	// Interrupted says that the run was interrupted while planning, confirming or sending.
	Interrupted bool
	// Declined says that the confirmation was answered no.
	Declined bool
	// Notes are sentences for the person reading, after the results.
	Notes []string

	rep     *finding.Report
	failOn  finding.Level
	targets []*target
	made    *Plan // MakePlan's plan
}

// Conflicts counts the writes that failed because another writer acted first.
func (o *Outcome) Conflicts() int {
	n := 0
	for _, r := range o.Results {
		if r.Action == Failed && r.Failure == FailedConflict {
			n++
		}
	}
	return n
}

// blocked says why not every target can be sent, or "" when all can.
func (o *Outcome) blocked() string {
	failing, other := o.failingCount(), 0
	for _, c := range o.Plan.Changes {
		switch c.Action {
		case Refused, Failed, Skipped:
			other++
		}
	}
	other -= failing // targets failing the checks are refused in the plan too
	var why []string
	if failing > 0 {
		why = append(why, fmt.Sprintf("%d %s failed the checks", failing, plural(failing, "target", "targets")))
	} else if o.rep.Fails(o.failOn) {
		why = append(why, "the inputs have findings at or above "+o.failOn.String())
	}
	if other > 0 {
		why = append(why, fmt.Sprintf("%d %s could not be planned", other, plural(other, "target", "targets")))
	}
	return strings.Join(why, " and ")
}

// ExitCode is 2 when anything kept the run from doing its job (errors in the checks, an
// interrupt, no confirmation, a refusal, a read or write that failed, a conflict), else 1 when
// a target failed the checks (or the inputs have findings at or above the fail-on level outside
// any target), else 0.
func (o *Outcome) ExitCode() int {
	if len(o.rep.Failures) > 0 || o.Interrupted || o.Declined || o.refusedCount() > 0 || o.failedCount() > 0 ||
		o.Races() > 0 || o.NotPromoted() > 0 || o.made.credentials != nil {
		return ExitError
	}
	if o.rep.Fails(o.failOn) || o.failingCount() > 0 {
		return ExitFindings
	}
	return ExitOK
}

// failingCount counts the targets that failed the checks.
func (o *Outcome) failingCount() int {
	n := 0
	for _, x := range o.targets {
		if x.Failing > 0 {
			n++
		}
	}
	return n
}

// refusedCount counts the targets refused for another reason than failing the checks: by
// apply before planning, or by the plan.
func (o *Outcome) refusedCount() int {
	n := 0
	for _, x := range o.targets {
		if x.Failing == 0 && x.refusal != "" {
			n++
		}
	}
	return n + o.made.Count(Refused)
}

// failedCount counts the targets whose policies could not be read, or whose write failed or
// was cut short: from the results once executed (a failed read is a failed result too), else
// from the plan.
func (o *Outcome) failedCount() int {
	if !o.Executed {
		return o.made.Count(Failed) + o.made.Count(Skipped)
	}
	n := 0
	for _, r := range o.Results {
		if r.Action == Failed || r.Action == Skipped {
			n++
		}
	}
	return n
}

// Races counts the creates that met an identical create of another writer.
func (o *Outcome) Races() int {
	n := 0
	for _, r := range o.Results {
		if r.Failure == FailedRace {
			n++
		}
	}
	return n
}

// NotPromoted counts the parameters whose policy is in place but whose share --promote could
// not promote (failed or blocked by a finding); in a dry run, those whose promotion is
// blocked or whose share could not be read.
func (o *Outcome) NotPromoted() int {
	n := 0
	if !o.Executed {
		if o.DryRun {
			for _, c := range o.Plan.Changes {
				if p := c.Promotion; p != nil && (p.State == PromotionBlocked || p.State == PromotionUnknown) {
					n++
				}
			}
		}
		return n
	}
	for _, r := range o.Results {
		if p := r.Promotion; p != nil && (r.Applied() || r.Action == NoChange) && (p.State == PromotionFailed || p.State == PromotionBlocked) {
			n++
		}
	}
	return n
}

// Err is the sentence that says why the exit code is not 0, or nil when it is 0 or a note has
// said it already.
func (o *Outcome) Err() error {
	code := o.ExitCode()
	switch {
	case code == ExitOK:
		return nil
	case code == ExitFindings && o.failingCount() == 0:
		return errors.New("the inputs have findings at or above " + o.failOn.String())
	case code == ExitFindings:
		n := o.failingCount()
		return fmt.Errorf("%d %s failed the checks: nothing was sent for %s", n, plural(n, "target", "targets"), plural(n, "it", "them"))
	case len(o.rep.Failures) > 0:
		return errors.New("the checks did not complete: nothing was sent")
	case o.Interrupted || o.Declined:
		return nil
	}
	var parts []string
	if o.made.credentials != nil {
		return errors.New("the AWS credentials did not work: nothing was sent")
	}
	if n := o.failedCount(); n > 0 && o.DryRun {
		parts = append(parts, fmt.Sprintf("could not plan %d %s", n, plural(n, "target", "targets")))
	} else if n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s failed", n, plural(n, "change", "changes")))
	}
	if n := o.refusedCount(); n > 0 && o.DryRun {
		parts = append(parts, fmt.Sprintf("would refuse %d %s", n, plural(n, "target", "targets")))
	} else if n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s refused", n, plural(n, "target was", "targets were")))
	}
	if n := o.Races(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s met an identical create of another writer", n, plural(n, "create", "creates")))
	}
	if n := o.NotPromoted(); n > 0 && o.DryRun {
		parts = append(parts, fmt.Sprintf("would not promote %d %s", n, plural(n, "share", "shares")))
	} else if n > 0 {
		parts = append(parts, fmt.Sprintf("applied, not promoted: %d %s", n, plural(n, "share", "shares")))
	}
	if o.DryRun {
		return errors.New("dry run: " + strings.Join(parts, ", "))
	}
	return errors.New(strings.Join(parts, ", ") + " (see the plan and the results)")
}
