package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
)

// maxWriteWait bounds a write that Execute lets finish after ctx is
// cancelled, in case the client has no time limit of its own (see LimitSSM).
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
func Execute(ctx context.Context, client SSM, plan *Plan) ([]Result, error) {
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
				r.Action, r.Error = Failed, "the plan lacks the policy text or the id and hash to update: plans must come from MakePlan"
				break
			}
			id, hash, err := put(ctx, client, ch)
			if err != nil {
				r.Action, r.Error = Failed, describeWriteError(err)
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
func put(ctx context.Context, client SSM, ch Change) (id, hash string, err error) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
	defer cancel()
	in := &ssm.PutResourcePolicyInput{ResourceArn: aws.String(ch.ARN), Policy: aws.String(ch.policy)}
	if ch.Action == Update {
		in.PolicyId, in.PolicyHash = aws.String(ch.PolicyID), aws.String(ch.PolicyHash)
	}
	out, err := client.PutResourcePolicy(wctx, in)
	if err != nil {
		return "", "", err
	}
	return aws.ToString(out.PolicyId), aws.ToString(out.PolicyHash), nil
}

// describeWriteError is describeError plus a warning where the write's
// outcome is unknown.
func describeWriteError(err error) string {
	msg := describeError(err)
	var te *TimeoutError
	if errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded) {
		msg += "; the write may or may not have been applied: re-run to see the current state"
	}
	return msg
}

// describeError turns an SDK error into a short sentence for the user:
// modeled SSM exceptions first (errors.As on the typed error), then any
// other API error by code, then the error text. It uses codes and service
// messages only, never request contents.
func describeError(err error) string {
	var (
		conflict   *types.ResourcePolicyConflictException
		notFound   *types.ResourcePolicyNotFoundException
		limit      *types.ResourcePolicyLimitExceededException
		invalid    *types.ResourcePolicyInvalidParameterException
		malformed  *types.MalformedResourcePolicyDocumentException
		noResource *types.ResourceNotFoundException
		internal   *types.InternalServerError
		timeout    *TimeoutError
		apiErr     smithy.APIError
	)
	switch {
	case errors.As(err, &conflict):
		return "changed by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &notFound):
		return "the policy it replaces was deleted by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &limit):
		msg := "limit exceeded: " + limit.ErrorMessage()
		if limit.Limit != 0 || limit.LimitType != nil {
			msg += fmt.Sprintf(" (limit %d, %s)", limit.Limit, aws.ToString(limit.LimitType))
		}
		return msg
	case errors.As(err, &invalid):
		return fmt.Sprintf("AWS rejected parameter(s) %s: %s", strings.Join(invalid.ParameterNames, ", "), invalid.ErrorMessage())
	case errors.As(err, &malformed):
		// SSM also uses this exception for too many Put/Delete calls.
		return "AWS rejected the policy document (or too many policy writes at once): " + malformed.ErrorMessage()
	case errors.As(err, &noResource):
		return "no such resource in this account and region: " + noResource.ErrorMessage()
	case errors.As(err, &internal):
		return "SSM internal error, still failing after retries: " + internal.ErrorMessage()
	case errors.As(err, &timeout):
		return timeout.Error()
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer before the deadline"
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	return err.Error()
}
