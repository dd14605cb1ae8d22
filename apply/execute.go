package apply

import (
	"context"
	"errors"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
)

// maxWriteWait bounds a write that Execute lets finish after ctx is
// cancelled, in case the client has no time limit of its own (awsapi's
// clients have one).
const maxWriteWait = 2 * time.Minute

// Result is what happened to one change.
type Result struct {
	Label  string `json:"label,omitempty"`
	ARN    string `json:"arn"`
	Action Action `json:"action"`
	// PolicyID and PolicyHash are the ones AWS returned for a create or
	// update, or the current ones for no-change: what a manifest records.
	PolicyID   string `json:"policyId,omitempty"`
	PolicyHash string `json:"policyHash,omitempty"`
	// Error says why a change was refused, failed or skipped, or what went wrong around a
	// write that is in place (a concurrent create).
	Error string `json:"error,omitempty"`
	// Note says what apply found out about a write whose answer was lost.
	Note string `json:"note,omitempty"`
	// Added and Removed are what an applied create or update changed.
	Added   Grants `json:"added"`
	Removed Grants `json:"removed"`
	// Promotion is what --promote did for the parameter's share; nil without --promote.
	Promotion *Promotion `json:"promotion,omitempty"`
	// Failure is the kind of a write that failed, for the run to tell them apart; Error says
	// it in words, and only Error is in the JSON.
	Failure Failure `json:"-"`
}

// Failure is the kind of a failed write.
type Failure int

// Failures.
const (
	// NotFailed: the result is not a failed write.
	NotFailed Failure = iota
	// FailedConflict: another writer changed or deleted the policy between the read and the
	// write; nothing of theirs was overwritten.
	FailedConflict
	// FailedNoAnswer: the write got no answer in time; it may or may not have been applied.
	FailedNoAnswer
	// FailedOther: any other failure of a write.
	FailedOther
	// FailedRace: the create is in place, but another writer created an identical policy at
	// the same time; the duplicate was deleted (Error says which).
	FailedRace
	// FailedCredentials: the credentials did not work; the rest of the run was not sent.
	FailedCredentials
)

// failureOf is the kind of the error a write returned.
func failureOf(err error) Failure {
	var race *raceConflict
	var unknown *unknownOutcome
	switch {
	case awsapi.IsConflict(err), errors.As(err, &race):
		return FailedConflict
	case errors.As(err, &unknown) && !unknown.notThere, awsapi.IsTimeout(err):
		return FailedNoAnswer
	case awsapi.IsCredentials(err):
		return FailedCredentials
	}
	return FailedOther
}

// Applied reports whether the result is a write that AWS accepted.
func (r Result) Applied() bool { return r.Action == Create || r.Action == Update }

// Execute sends the creates and updates of a plan made by MakePlan, in
// order, one PutResourcePolicy each, the policy compacted to one line,
// through the clients src gives for each ARN.
//
// A write is never retried with a fresh hash: if another writer changed the
// policy since MakePlan read it, AWS answers ResourcePolicyConflictException
// and the change fails with a message saying to re-run. What else can happen
// to a write, and what is done about it, is said in write.go.
//
// Cancelling ctx stops between changes: a write already sent is allowed to
// finish (so its outcome is known and reported), the rest are Skipped, and
// ctx's error is returned with the results.
func Execute(ctx context.Context, src awsapi.Source, plan *Plan) ([]Result, error) {
	return executor{src: src}.run(ctx, plan)
}

// executor is Execute with the runner's options.
type executor struct {
	src     awsapi.Source
	w       writer
	promote *promoter // nil: no promotion
	// onResult is called with each result as soon as it is known.
	onResult func(Result)
}

func (x executor) run(ctx context.Context, plan *Plan) ([]Result, error) {
	results := make([]Result, len(plan.Changes))
	var interrupted error
	stopped := "" // why the rest is not sent: the credentials failed
	for i, ch := range plan.Changes {
		r := Result{Label: ch.Label, ARN: ch.ARN, Action: ch.Action}
		switch {
		case (ch.Action == Create || ch.Action == Update || ch.Promotion.writes() || ch.Promotion.waits()) && ctx.Err() != nil:
			interrupted = ctx.Err()
			r = notSentResult(ch, "not sent: interrupted")
		case (ch.Action == Create || ch.Action == Update || ch.Promotion.writes()) && stopped != "":
			r = notSentResult(ch, stopped)
		default:
			r = x.change(ctx, ch)
			if r.Failure == FailedCredentials {
				stopped = "not sent: the AWS credentials did not work (see above)"
			}
		}
		results[i] = r
		if x.onResult != nil {
			x.onResult(r)
		}
	}
	return results, interrupted
}

// change makes one change and, with --promote, promotes the parameter's share.
func (x executor) change(ctx context.Context, ch Change) Result {
	r := Result{Label: ch.Label, ARN: ch.ARN, Action: ch.Action}
	switch ch.Action {
	case Create, Update:
		if ch.policy == "" || (ch.Action == Update && (ch.PolicyID == "" || ch.PolicyHash == "")) {
			// A hand-made or JSON-decoded plan: an update without its id
			// and hash would be sent as a create.
			r.Action, r.Failure = Failed, FailedOther
			r.Error = "the plan lacks the policy text or the id and hash to update: plans must come from MakePlan"
			return r
		}
		c, err := x.src.For(ch.ARN)
		if err != nil {
			r.Action, r.Failure, r.Error = Failed, FailedOther, err.Error()
			return r
		}
		w, err := x.w.send(ctx, c.SSM, ch)
		if err != nil {
			r.Action, r.Error, r.Failure = Failed, describeWriteError(err), failureOf(err)
			if ch.Promotion != nil && ch.Promotion.State != NotApplicable {
				r.Promotion = &Promotion{State: PromotionSkipped, Reason: "the policy was not written"}
			}
			return r
		}
		r.PolicyID, r.PolicyHash, r.Added, r.Removed, r.Note = w.id, w.hash, ch.Added, ch.Removed, w.note
		if w.race {
			r.Failure, r.Error, r.Note = FailedRace, w.note, ""
		}
	case NoChange:
		r.PolicyID, r.PolicyHash = ch.PolicyID, ch.PolicyHash
	default:
		r.Error = ch.Reason
		return r
	}
	r.Promotion = x.promoted(ctx, ch)
	return r
}

// promoted is the promotion of the change's share once its policy is in place: made when the
// plan says there is something to do, else the plan's word for it.
func (x executor) promoted(ctx context.Context, ch Change) *Promotion {
	p := ch.Promotion
	if x.promote == nil || p == nil {
		return nil
	}
	if !p.writes() && !p.waits() {
		return p // not applicable, blocked, already promoted
	}
	if ctx.Err() != nil {
		return &Promotion{State: PromotionSkipped, Share: p.Share, Reason: "interrupted: the policy is in place, the share was not promoted"}
	}
	c, err := x.src.For(ch.ARN)
	if err != nil {
		return &Promotion{State: PromotionFailed, Reason: err.Error()}
	}
	return x.promote.promote(ctx, c, ch.ARN)
}

// waits reports whether the planned promotion waits for RAM to finish one under way.
func (p *Promotion) waits() bool { return p != nil && p.State == PromotionUnderWay }

// notSentResult is the result of a change not sent: a write is skipped with reason, a no
// change keeps its ids.
func notSentResult(ch Change, reason string) Result {
	r := Result{Label: ch.Label, ARN: ch.ARN, Action: ch.Action, Error: ch.Reason}
	switch ch.Action {
	case NoChange:
		r.PolicyID, r.PolicyHash, r.Error = ch.PolicyID, ch.PolicyHash, ""
	case Create, Update:
		r.Action, r.Error = Skipped, reason
	}
	if ch.Promotion.writes() || ch.Promotion.waits() {
		r.Promotion = &Promotion{State: PromotionSkipped, Share: ch.Promotion.Share, Reason: reason}
	} else if ch.Promotion != nil {
		r.Promotion = ch.Promotion
	}
	return r
}

// describeWriteError is awsapi.Explain plus a warning where the write's outcome is unknown.
func describeWriteError(err error) string {
	var unknown *unknownOutcome
	var race *raceConflict
	var malformed *malformedError
	switch {
	case errors.As(err, &unknown):
		return unknown.Error()
	case errors.As(err, &race):
		return race.Error()
	case errors.As(err, &malformed):
		return malformed.Error()
	}
	msg := awsapi.Explain(err)
	if awsapi.IsTimeout(err) {
		msg += "; the write may or may not have been applied: re-run to see the current state"
	}
	return msg
}
