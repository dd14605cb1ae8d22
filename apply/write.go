package apply

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
)

// Writes are sent by the SDK again only when AWS throttled them (see awsapi.PutResourcePolicy).
// What else can go wrong, and what apply does about it:
//
//   - MalformedResourcePolicyDocumentException on a policy that passed the offline checks is
//     SSM's answer to too many policy writes as well as to a bad document; AWS did not apply
//     it, so it is sent again, up to malformedAttempts times with a doubling wait.
//   - A 5xx answer, a lost connection or no answer in time leaves the outcome unknown: the
//     resource's policies are read again. Ours there: the write worked. Not there: it is sent
//     once more. Another writer's there instead: a conflict, nothing overwritten.
//   - Two applies that both read "no policy" both create. After every create the policies are
//     read again; when identical policies are there, the one with the smallest PolicyId is kept
//     and the others are deleted with the id and hash GetResourcePolicies gave, so that
//     however the two runs interleave, one policy is left. The run says so and exits 2.

// malformedAttempts bounds the sends of a write that SSM answers with
// MalformedResourcePolicyDocumentException.
const malformedAttempts = 3

// DefaultBackoff is the first wait before a write refused as malformed is sent again.
const DefaultBackoff = time.Second

// writer sends the writes of one plan.
type writer struct {
	backoff time.Duration
}

// written is what one write did.
type written struct {
	id, hash string
	// note says what apply found out about an ambiguous write or a concurrent create.
	note string
	// race is set when another writer created an identical policy at the same time.
	race bool
}

// send sends one create or update through ssm and decides its outcome (see above).
func (w writer) send(ctx context.Context, ssm awsapi.SSM, ch Change) (written, error) {
	retried := false
	for {
		id, hash, err := w.put(ctx, ssm, ch)
		if err == nil {
			if ch.Action == Create {
				return w.afterCreate(ctx, ssm, ch, written{id: id, hash: hash})
			}
			return written{id: id, hash: hash}, nil
		}
		if awsapi.IsUnprocessed(err) || errors.Is(err, context.Canceled) {
			return written{}, err
		}
		// The outcome is unknown: read what is there now.
		got, rerr := w.reread(ctx, ssm, ch)
		switch {
		case rerr != nil:
			return written{}, &unknownOutcome{err: err, reread: rerr}
		case got.ours != nil:
			out := written{id: got.ours.id, hash: got.ours.hash, note: "the answer was lost (" + awsapi.Explain(err) + "); reading the policies again found this write in place"}
			if ch.Action == Create {
				return w.afterCreate(ctx, ssm, ch, out)
			}
			return out, nil
		case got.theirs:
			return written{}, &raceConflict{err: err}
		case retried:
			return written{}, &unknownOutcome{err: err, notThere: true}
		}
		retried = true
	}
}

// put sends the write, again after a wait when SSM refuses it as malformed.
func (w writer) put(ctx context.Context, ssm awsapi.SSM, ch Change) (id, hash string, err error) {
	wait := cmp.Or(w.backoff, DefaultBackoff)
	for attempt := 1; ; attempt++ {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
		if ch.Action == Update {
			id, hash, err = awsapi.PutResourcePolicy(wctx, ssm, ch.ARN, ch.policy, ch.PolicyID, ch.PolicyHash)
		} else {
			id, hash, err = awsapi.PutResourcePolicy(wctx, ssm, ch.ARN, ch.policy, "", "")
		}
		cancel()
		if err == nil || !awsapi.IsMalformed(err) || attempt == malformedAttempts {
			if err != nil && awsapi.IsMalformed(err) {
				err = &malformedError{err: err, attempts: attempt}
			}
			return id, hash, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return "", "", err
		}
		wait *= 2
	}
}

// found is what a re-read tells about a write whose answer was lost.
type found struct {
	ours   *existingPolicy // the policy as this write leaves it
	theirs bool            // another writer's policy is where this write's would be
}

func (w writer) reread(ctx context.Context, ssm awsapi.SSM, ch Change) (found, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
	defer cancel()
	existing, err := readPolicies(rctx, ssm, ch.ARN)
	if err != nil {
		return found{}, err
	}
	if ch.Action == Update {
		for i, p := range existing {
			if p.id != ch.PolicyID {
				continue
			}
			switch {
			case p.parseErr == nil && p.doc.equal(ch.doc):
				return found{ours: &existing[i]}, nil
			case p.hash == ch.PolicyHash:
				return found{}, nil // not applied: still the policy the plan read
			}
		}
		return found{theirs: true}, nil // replaced or deleted by another writer
	}
	if same := identical(existing, ch.doc); len(same) > 0 {
		return found{ours: &same[0]}, nil
	}
	return found{theirs: len(existing) > 0}, nil
}

// afterCreate reads the policies again after a create, and when identical policies are there,
// keeps the one with the smallest PolicyId and deletes the others.
func (w writer) afterCreate(ctx context.Context, ssm awsapi.SSM, ch Change, out written) (written, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), maxWriteWait)
	defer cancel()
	existing, err := readPolicies(rctx, ssm, ch.ARN)
	if err != nil {
		out.note = join(out.note, "could not read the policies again to check for a concurrent create: "+awsapi.Explain(err))
		return out, nil
	}
	same := identical(existing, ch.doc)
	if len(same) < 2 {
		return out, nil
	}
	keep := same[0]
	var deleted, failed []string
	for _, p := range same[1:] {
		switch err := awsapi.DeleteResourcePolicy(rctx, ssm, ch.ARN, p.id, p.hash); {
		case err == nil, awsapi.IsConflict(err): // a conflict: the other run deleted it first
			deleted = append(deleted, p.id)
		default:
			failed = append(failed, p.id+" ("+awsapi.Explain(err)+")")
		}
	}
	out.race = true
	out.note = join(out.note, fmt.Sprintf("another writer created an identical policy at the same time; kept PolicyId %s and deleted the duplicate %s",
		keep.id, joinIDs(deleted)))
	if len(failed) > 0 {
		out.note += fmt.Sprintf("; could not delete %s: delete it by hand (ssm delete-resource-policy)", joinIDs(failed))
	}
	out.id, out.hash = keep.id, keep.hash
	return out, nil
}

// identical returns the policies equal to doc, smallest PolicyId first.
func identical(existing []existingPolicy, doc document) []existingPolicy {
	var same []existingPolicy
	for _, p := range existing {
		if p.parseErr == nil && p.doc.equal(doc) {
			same = append(same, p)
		}
	}
	slices.SortFunc(same, func(a, b existingPolicy) int { return cmp.Compare(a.id, b.id) })
	return same
}

func joinIDs(ids []string) string {
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// unknownOutcome is a write whose outcome could not be settled.
type unknownOutcome struct {
	err      error
	reread   error // the re-read failed too
	notThere bool  // sent twice, and the policy is not there
}

func (e *unknownOutcome) Error() string {
	if e.notThere {
		return awsapi.Explain(e.err) + "; sent twice, and reading the policies again found it not applied: re-run apply"
	}
	return awsapi.Explain(e.err) + "; the write may or may not have been applied, and reading the policies again failed too (" +
		awsapi.Explain(e.reread) + "): re-run to see the current state"
}

func (e *unknownOutcome) Unwrap() error { return e.err }

// raceConflict is a write whose answer was lost while another writer's policy took its place.
type raceConflict struct{ err error }

func (e *raceConflict) Error() string {
	return awsapi.Explain(e.err) + "; reading the policies again found another writer's policy where this one would be: nothing of theirs was overwritten; re-run to see the new plan"
}

func (e *raceConflict) Unwrap() error { return e.err }

// malformedError is MalformedResourcePolicyDocumentException after every attempt.
type malformedError struct {
	err      error
	attempts int
}

func (e *malformedError) Error() string {
	return awsapi.Explain(e.err) + fmt.Sprintf(". Sent %d times with a growing wait: if the policy is sound (it passed the checks), SSM was refusing writes for their number; run again later. Otherwise AWS rejects the document itself: check it against AWS's message", e.attempts)
}

func (e *malformedError) Unwrap() error { return e.err }
