// Package live is the --live enrichment stage: it takes each parameter target's tier, type and
// key from AWS instead of the files, and reports where the files say otherwise.
package live

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

var _ enrich.Stage = (*Stage)(nil)

// Rule ids the stage reports. They extend the catalogue of the rules in Rego, whose
// pages document them.
const (
	RuleContextMismatch  = rules.ContextMismatch
	RuleResourceNotFound = rules.ResourceNotFound
)

// Stage is the --live stage, an enrich.Stage: for a target whose ARN is a parameter ARN with no part left
// unknown, it asks AWS for the tier, type and key and makes them the target's facts. Where the
// input said otherwise, a context-mismatch problem says so at the place it was written (the
// checks use AWS's value); a parameter AWS does not have is a resource-not-found problem. An
// AWS call that fails is an error. One lookup per parameter ARN and one DescribeKey per key
// within a run, however many targets name them and however many workers ask at once.
type Stage struct {
	src awsapi.Source

	mu      sync.Mutex
	lookups map[*awsapi.Clients]*awsapi.Lookup
	// creds is the first credentials failure: said in full once, then referred to.
	creds error
}

// New returns the stage for one run over the clients src gives for each ARN's region.
func New(src awsapi.Source) *Stage {
	return &Stage{src: src, lookups: map[*awsapi.Clients]*awsapi.Lookup{}}
}

// lookup is the run's lookup over the clients of the ARN's region.
func (l *Stage) lookup(arn string) (*awsapi.Lookup, *awsapi.Clients, error) {
	c, err := l.src.For(arn)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lk, ok := l.lookups[c]
	if !ok {
		lk = awsapi.NewLookup(c)
		l.lookups[c] = lk
	}
	return lk, c, nil
}

// failed is the error of a failed lookup. A credentials failure is said in full for the first
// target only: every other lookup fails the same way.
func (l *Stage) failed(t *input.Target, err error) error {
	if awsapi.IsCredentials(err) {
		l.mu.Lock()
		first := l.creds == nil
		if first {
			l.creds = err
		}
		l.mu.Unlock()
		if !first {
			return fmt.Errorf("%s: --live lookup not made: the AWS credentials did not work (said once, above)", targetName(t))
		}
	}
	return fmt.Errorf("%s: --live lookup: %s", targetName(t), awsapi.Describe(err))
}

// Enrich implements enrich.Stage.
func (l *Stage) Enrich(ctx context.Context, t *input.Target) error {
	arn, ok := parameterARN(t)
	if !ok {
		return nil
	}
	lookup, clients, err := l.lookup(arn)
	if err != nil {
		return fmt.Errorf("%s: --live: %w", targetName(t), err)
	}
	l.mu.Lock()
	credsFailed := l.creds != nil
	l.mu.Unlock()
	if credsFailed {
		return fmt.Errorf("%s: --live lookup not made: the AWS credentials did not work (said once, above)", targetName(t))
	}
	facts, err := lookup.Parameter(ctx, arn)
	if err != nil {
		return l.failed(t, err)
	}
	if !facts.Exists {
		t.Problems = append(t.Problems, input.Problem{
			Rule: RuleResourceNotFound,
			Message: fmt.Sprintf("AWS has no parameter %s in region %s for these credentials (DescribeParameters found none)",
				facts.Name, clients.Region),
			Help: "create it before sharing it, or correct the ARN (or the account the credentials belong to)",
			Loc:  factLoc(t, t.ARN),
		})
		return nil
	}
	if err := l.compare(ctx, lookup, t, facts); err != nil {
		return l.failed(t, err)
	}
	useFacts(t, facts)
	return nil
}

// compare adds a context-mismatch problem for each fact the input gives that AWS contradicts.
func (l *Stage) compare(ctx context.Context, lookup *awsapi.Lookup, t *input.Target, facts awsapi.Facts) error {
	mismatch := func(fact input.Fact, what, flag, live string) {
		src := t.DeclaredBy()
		if !fact.Loc.Known() {
			src = flag
		}
		t.Problems = append(t.Problems, input.Problem{
			Rule:    RuleContextMismatch,
			Message: fmt.Sprintf("%s says %s %s, AWS says %s: the checks used AWS's", src, what, input.Shown(fact.Value), input.Shown(live)),
			Help:    "correct the input to what AWS holds, or change the parameter in AWS",
			Loc:     factLoc(t, fact),
		})
	}
	if t.Tier.Known && !sameTier(t.Tier.Value, facts.Tier) {
		mismatch(t.Tier, "tier", "--tier", facts.Tier)
	}
	if t.Type.Known && t.Type.Value != facts.Type {
		mismatch(t.Type, "type", "--type", facts.Type)
	}
	if facts.Type == "SecureString" && t.KeyID.Known && t.KeyID.Value != "" {
		same, err := sameKey(ctx, lookup, t.KeyID.Value, facts)
		if err != nil {
			return err
		}
		if !same {
			mismatch(t.KeyID, "key", "--key-id", facts.KeyID)
		}
	}
	return nil
}

// useFacts makes AWS's facts the target's. Each keeps the place the input wrote it, so that a
// finding about the tier still points at the manifest's `tier:` line.
func useFacts(t *input.Target, facts awsapi.Facts) {
	t.Tier = input.Fact{Value: facts.Tier, Known: true, Loc: t.Tier.Loc, From: "--live"}
	t.Type = input.Fact{Value: facts.Type, Known: true, Loc: t.Type.Loc, From: "--live"}
	if facts.Type == "SecureString" {
		t.KeyID = input.Fact{Value: facts.KeyID, Known: true, Loc: t.KeyID.Loc, From: "--live"}
		t.KeyManager = input.Fact{Value: facts.KeyManager, Known: facts.KeyManager != "", Loc: t.KeyID.Loc, From: "--live"}
	} else {
		// AWS says the parameter has no key: a key the input names is moot.
		t.KeyID, t.KeyManager = input.Fact{Loc: t.KeyID.Loc}, input.Fact{}
	}
}

// sameKey reports whether key, as the input wrote it, names the key SSM recorded for the
// parameter. The same key has four spellings (key id, key ARN, alias name, alias ARN), so
// text that differs is resolved with DescribeKey before it is called a mismatch.
func sameKey(ctx context.Context, lookup *awsapi.Lookup, key string, facts awsapi.Facts) (bool, error) {
	if key == facts.KeyID || (facts.KeyARN != "" && key == facts.KeyARN) {
		return true, nil
	}
	arn, err := lookup.KeyARN(ctx, key)
	if err != nil {
		return false, err
	}
	return arn != "" && arn == facts.KeyARN, nil
}

// sameTier compares tiers. Intelligent-Tiering is a choice SSM makes at each write, so a
// parameter created with it is either Standard or Advanced, and neither contradicts it.
func sameTier(written, live string) bool {
	return written == live || (written == "Intelligent-Tiering" && (live == "Standard" || live == "Advanced"))
}

// parameterARN returns the target's ARN when it names a parameter and has no part known only
// at deploy time. A malformed parameter ARN is not looked up: resource-format reports it.
func parameterARN(t *input.Target) (string, bool) {
	if !t.ARN.Known || strings.Contains(t.ARN.Value, input.Unknown) {
		return "", false
	}
	a, err := ssmarn.Parse(t.ARN.Value)
	if err != nil || !a.IsParameter() {
		return "", false
	}
	if _, err := a.ParameterName(); err != nil {
		return "", false
	}
	return t.ARN.Value, true
}

// factLoc is where a finding about fact goes: where the input wrote it, else where the
// target is declared.
func factLoc(t *input.Target, fact input.Fact) input.Location {
	if fact.Loc.Known() {
		return fact.Loc
	}
	return t.Origin
}

// targetName names a target in errors: its ARN and where it is declared.
func targetName(t *input.Target) string {
	name := t.ARN.Value
	if !t.ARN.Known {
		name = "the policy"
	}
	if l := t.Label(); l != "" {
		return fmt.Sprintf("%s (%s)", input.Shown(name), l)
	}
	return input.Shown(name)
}
