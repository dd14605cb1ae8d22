package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// Item is one policy to apply.
type Item struct {
	Label    string // where it came from, for messages: "policies/db.json:1"
	ARN      string // the resource
	Policy   []byte // the policy document as JSON text, any formatting
	PolicyID string // optional: the PolicyId a manifest recorded for it
}

// Action is what the plan does, or what was done, for one item.
type Action string

// Actions. A plan holds Create, Update, NoChange, Refused, Failed (the
// current state could not be read) or Skipped (interrupted before it was
// planned); results add Failed and Skipped for writes.
const (
	Create   Action = "create"
	Update   Action = "update"
	NoChange Action = "no-change"
	Refused  Action = "refused"
	Failed   Action = "failed"
	Skipped  Action = "skipped"
)

// Change is the plan for one item.
type Change struct {
	Label  string `json:"label,omitempty"`
	ARN    string `json:"arn"`
	Action Action `json:"action"`
	// Reason says why a change is refused, failed or skipped, or adds a note.
	Reason string `json:"reason,omitempty"`
	// PolicyID and PolicyHash identify the existing policy an update
	// replaces (or that is already up to date), as read: the update is sent
	// with them and fails if another writer changed the policy since.
	PolicyID   string `json:"policyId,omitempty"`
	PolicyHash string `json:"policyHash,omitempty"`
	// Added and Removed compare what the Allow statements grant before and
	// after the change.
	Added   Grants `json:"added"`
	Removed Grants `json:"removed"`
	// Promotion is what --promote will do for the parameter's RAM share; nil without it.
	Promotion *Promotion `json:"promotion,omitempty"`

	policy string   // the document compacted to one line, as it will be sent
	doc    document // the document parsed, to recognise it after the write
}

// Plan is the list of changes, in the order of the items.
type Plan struct {
	Changes []Change `json:"changes"`

	// credentials is the error that stopped the planning because the credentials do not work.
	credentials error
}

// Count returns how many changes have action a.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Writes returns how many changes Execute would send.
func (p *Plan) Writes() int { return p.Count(Create) + p.Count(Update) }

// Promotions returns how many shares the run would promote (or wait for, to promote them).
func (p *Plan) Promotions() int {
	n := 0
	for _, c := range p.Changes {
		if c.Promotion.writes() || c.Promotion.waits() {
			n++
		}
	}
	return n
}

// existingPolicy is a policy read from GetResourcePolicies.
type existingPolicy struct {
	id, hash string
	doc      document
	parseErr error
}

// MakePlan reads the current policies of every item's resource and decides,
// item by item, what Execute will do. It never writes.
//
// The existing policy an item replaces is the one with the recorded
// PolicyID; without one, the only policy on the resource; with several, the
// one identical to the item or else the one with the same set of Sids. If
// none of these rules picks exactly one policy, the item is refused rather
// than guessed. An identical policy (compared as parsed JSON, see
// normalizePolicy) means no change. Two items for one OpsItemGroup, which
// holds a single policy, are refused before any call, as are two items that
// would replace the same policy.
//
// A resource whose policies cannot be read becomes a Failed change and the
// other items are still planned. If ctx is cancelled, the items not yet
// planned are Skipped and ctx's error is returned with the partial plan.
func MakePlan(ctx context.Context, src awsapi.Source, items []Item) (*Plan, error) {
	plan := &Plan{Changes: make([]Change, len(items))}
	docs := make([]document, len(items))
	for i, it := range items {
		ch := &plan.Changes[i]
		ch.Label, ch.ARN = it.Label, it.ARN
		if !strings.HasPrefix(it.ARN, "arn:") {
			ch.Action, ch.Reason = Refused, fmt.Sprintf("%q is not a resource ARN", it.ARN)
			continue
		}
		doc, err := parseDocument(it.Policy)
		if err != nil {
			ch.Action, ch.Reason = Refused, "the policy is "+err.Error()
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, it.Policy); err != nil {
			ch.Action, ch.Reason = Refused, "the policy is not valid JSON: "+err.Error()
			continue
		}
		docs[i], ch.policy, ch.doc = doc, buf.String(), doc
	}
	refuseSharedOpsItemGroups(plan)

	for i := range plan.Changes {
		ch := &plan.Changes[i]
		if ch.Action != "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			skipPending(plan, "not planned: interrupted")
			return plan, err
		}
		c, err := src.For(ch.ARN)
		if err != nil {
			ch.Action, ch.Reason = Refused, err.Error()
			continue
		}
		existing, err := readPolicies(ctx, c.SSM, ch.ARN)
		if err != nil {
			if ctx.Err() != nil {
				skipPending(plan, "not planned: interrupted")
				return plan, ctx.Err()
			}
			ch.Action, ch.Reason = Failed, "read the current policies: "+awsapi.Explain(err)
			if awsapi.IsCredentials(err) {
				// Every other read would fail the same way: say it once.
				plan.credentials = err
				skipPending(plan, "not planned: the AWS credentials did not work (see above)")
				break
			}
			continue
		}
		decide(ch, docs[i], items[i].PolicyID, existing)
	}
	refuseSameTarget(plan)
	return plan, nil
}

func skipPending(plan *Plan, reason string) {
	for i := range plan.Changes {
		if plan.Changes[i].Action == "" {
			plan.Changes[i].Action, plan.Changes[i].Reason = Skipped, reason
		}
	}
}

// readPolicies returns every policy on the resource, parsed.
func readPolicies(ctx context.Context, client awsapi.SSM, arn string) ([]existingPolicy, error) {
	policies, err := awsapi.ResourcePolicies(ctx, client, arn)
	if err != nil {
		return nil, err
	}
	out := make([]existingPolicy, len(policies))
	for i, p := range policies {
		out[i] = existingPolicy{id: p.ID, hash: p.Hash}
		out[i].doc, out[i].parseErr = parseDocument([]byte(p.Document))
	}
	return out, nil
}

// decide fills in the action of one change from the policies on its resource.
func decide(ch *Change, doc document, recordedID string, existing []existingPolicy) {
	var target *existingPolicy
	switch {
	case recordedID != "":
		for i := range existing {
			if existing[i].id == recordedID {
				target = &existing[i]
			}
		}
		if target == nil {
			ch.Action = Refused
			ch.Reason = fmt.Sprintf("the recorded PolicyId %s is not on the resource (%s there now): another writer deleted or replaced it; "+
				"check the resource, then record the right PolicyId or remove it", recordedID, countPolicies(len(existing)))
			return
		}
	case len(existing) == 0:
		ch.Action = Create
		ch.Added = doc.grants()
		return
	case len(existing) == 1:
		target = &existing[0]
	default:
		target = pickAmongSeveral(doc, existing)
		if target == nil {
			ch.Action = Refused
			ch.Reason = fmt.Sprintf("cannot tell which existing policy this replaces: %s there, none identical and none with the same Sids (%s); "+
				"record the PolicyId of the one to replace", countPolicies(len(existing)), sidList(doc.sids()))
			return
		}
	}

	ch.PolicyID, ch.PolicyHash = target.id, target.hash
	if target.parseErr == nil && doc.equal(target.doc) {
		ch.Action = NoChange
		return
	}
	ch.Action = Update
	before := Grants{}
	if target.parseErr == nil {
		before = target.doc.grants()
	} else {
		ch.Reason = "the current policy could not be parsed; the grants shown are all those of the new policy"
	}
	ch.Added, ch.Removed = diffGrants(before, doc.grants())
}

// pickAmongSeveral returns the policy identical to doc, else the only one
// with the same non-empty Sid set, else nil.
func pickAmongSeveral(doc document, existing []existingPolicy) *existingPolicy {
	for i := range existing {
		if existing[i].parseErr == nil && doc.equal(existing[i].doc) {
			return &existing[i]
		}
	}
	sids := doc.sids()
	if len(sids) == 0 {
		return nil
	}
	var match *existingPolicy
	for i := range existing {
		if existing[i].parseErr == nil && slices.Equal(existing[i].doc.sids(), sids) {
			if match != nil {
				return nil // two candidates: ambiguous
			}
			match = &existing[i]
		}
	}
	return match
}

// refuseSharedOpsItemGroups refuses every item of an OpsItemGroup named by
// more than one item: it holds one policy, and which of the items is meant
// cannot be told.
func refuseSharedOpsItemGroups(plan *Plan) {
	byARN := map[string][]int{}
	for i, c := range plan.Changes {
		if c.Action == "" && isOpsItemGroup(c.ARN) {
			byARN[c.ARN] = append(byARN[c.ARN], i)
		}
	}
	for _, idx := range byARN {
		if len(idx) < 2 {
			continue
		}
		labels := labelsOf(plan, idx)
		for _, i := range idx {
			plan.Changes[i].Action = Refused
			plan.Changes[i].Reason = fmt.Sprintf("an OpsItemGroup holds one policy, and %d inputs give one for it (%s)", len(idx), labels)
		}
	}
}

// refuseSameTarget refuses items that would write the same existing policy:
// the second write would conflict with the first, and which one is meant
// cannot be told.
func refuseSameTarget(plan *Plan) {
	type key struct{ arn, id string }
	groups := map[key][]int{}
	for i, c := range plan.Changes {
		if (c.Action == Update || c.Action == NoChange) && c.PolicyID != "" {
			k := key{c.ARN, c.PolicyID}
			groups[k] = append(groups[k], i)
		}
	}
	for k, idx := range groups {
		writes := slices.ContainsFunc(idx, func(i int) bool { return plan.Changes[i].Action == Update })
		if len(idx) < 2 || !writes {
			continue
		}
		labels := labelsOf(plan, idx)
		for _, i := range idx {
			c := &plan.Changes[i]
			c.Action, c.Added, c.Removed = Refused, Grants{}, Grants{}
			c.Reason = fmt.Sprintf("%d inputs (%s) replace the same policy %s; keep one", len(idx), labels, k.id)
		}
	}
}

func labelsOf(plan *Plan, idx []int) string {
	var l []string
	for _, i := range idx {
		if plan.Changes[i].Label != "" {
			l = append(l, plan.Changes[i].Label)
		} else {
			l = append(l, fmt.Sprintf("item %d", i+1))
		}
	}
	return strings.Join(l, ", ")
}

func isOpsItemGroup(arn string) bool {
	a, err := ssmarn.Parse(arn)
	return err == nil && a.IsOpsItemGroup()
}

func countPolicies(n int) string {
	if n == 1 {
		return "1 policy"
	}
	return fmt.Sprintf("%d policies", n)
}

func sidList(sids []string) string {
	if len(sids) == 0 {
		return "this policy has no Sid"
	}
	return "Sids " + strings.Join(sids, ", ")
}
