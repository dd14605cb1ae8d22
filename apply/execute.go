package apply

import (
	"context"
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
	// Error says why a change was refused, failed or skipped.
	Error string `json:"error,omitempty"`
	// Added and Removed are what an applied create or update changed.
	Added   Grants `json:"added"`
	Removed Grants `json:"removed"`
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
)

// failureOf is the kind of the error a write returned.
func failureOf(err error) Failure {
	switch {
	case awsapi.IsConflict(err):
		return FailedConflict
	case awsapi.IsTimeout(err):
		return FailedNoAnswer
	}
	return FailedOther
}

// Applied reports whether the result is a write that AWS accepted.
func (r Result) Applied() bool { return r.Action == Create || r.Action == Update }

// Execute sends the creates and updates of a plan made by MakePlan, in
// order, one PutResourcePolicy each, the policy compacted to one line.
//
// A write is never retried with a fresh hash: if another writer changed the
// policy since MakePlan read it, AWS answers ResourcePolicyConflictException
// and the change fails with a message saying to re-run. Throttling and 5xx
// are retried by the SDK client itself.
//
// Cancelling ctx stops between changes: a write already sent is allowed to
// finish (so its outcome is known and reported), the rest are Skipped, and
// ctx's error is returned with the results.
func Execute(ctx context.Context, client awsapi.SSM, plan *Plan) ([]Result, error) {
	results := make([]Result, len(plan.Changes))
	var interrupted error
	for i, ch := range plan.Changes {
		r := Result{Label: ch.Label, ARN: ch.ARN, Action: ch.Action}
		switch ch.Action {
		case Create, Update:
			if err := ctx.Err(); err != nil {
				interrupted = err
				r.Action, r.Error = Skipped, "not sent: interrupted"
				break
			}
			if ch.policy == "" || (ch.Action == Update && (ch.PolicyID == "" || ch.PolicyHash == "")) {
				// A hand-made or JSON-decoded plan: an update without its id
				// and hash would be sent as a create.
				r.Action, r.Failure = Failed, FailedOther
				r.Error = "the plan lacks the policy text or the id and hash to update: plans must come from MakePlan"
				break
			}
			id, hash, err := put(ctx, client, ch)
			if err != nil {
				r.Action, r.Error, r.Failure = Failed, describeWriteError(err), failureOf(err)
				break
			}
			r.PolicyID, r.PolicyHash, r.Added, r.Removed = id, hash, ch.Added, ch.Removed
		case NoChange:
			r.PolicyID, r.PolicyHash = ch.PolicyID, ch.PolicyHash
		default:
			r.Error = ch.Reason
		}
		results[i] = r
	}
	return results, interrupted
}

// put sends one change. The call runs on a context detached from ctx's
// cancellation, so that an interrupt cannot cut a write in half and leave
// its outcome unknown.
func put(ctx context.Context, client awsapi.SSM, ch Change) (id, hash string, err error) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
	defer cancel()
	if ch.Action == Update {
		return awsapi.PutResourcePolicy(wctx, client, ch.ARN, ch.policy, ch.PolicyID, ch.PolicyHash)
	}
	return awsapi.PutResourcePolicy(wctx, client, ch.ARN, ch.policy, "", "")
}

// describeWriteError is awsapi.Explain plus a warning where the write's outcome is unknown.
func describeWriteError(err error) string {
	msg := awsapi.Explain(err)
	if awsapi.IsTimeout(err) {
		msg += "; the write may or may not have been applied: re-run to see the current state"
	}
	return msg
}
