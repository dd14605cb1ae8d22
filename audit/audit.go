// Package audit answers "what does this account share right now?": for each account and
// region (a scope) it reads the resource policies of the Advanced-tier parameters and of
// opsitemgroup/default, and the RAM shares made from them, and checks every deployed policy
// with the same engine, rules, configuration and findings pipeline as check, using the facts
// AWS gives (tier, type, key and its manager) instead of files.
//
// A deployed policy becomes an input.Target of kind Deployed whose file name is the resource
// ARN (ARN#PolicyId when the resource has several policies) and whose positions are lines and
// columns of the policy text exactly as GetResourcePolicies returned it, so that a finding's
// location is the resource and its JSON pointer the element inside the deployed policy.
//
// Memory stays flat in the number of parameters: parameters are listed page by page and each
// policy is checked as soon as it is read, then dropped; only the inventory rows (a few
// strings per shared resource) and the findings are kept. Audit reads and never writes.
package audit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
)

// Defaults for Options.
const (
	// DefaultConcurrency is how many resources a scope reads at once: modest, because AWS
	// throttles per account and region and every scope of one account shares that budget.
	DefaultConcurrency = 4
	// DefaultParallel is how many scopes are audited at once.
	DefaultParallel = 4
	// DefaultMaxFailures is how many reads may fail in one scope before its audit stops: past
	// it, the cause (a missing permission, an endpoint that is down) is not going away.
	DefaultMaxFailures = 20
)

// Scope is one account and region to audit.
type Scope struct {
	// Via says how the scope is reached, for messages: "profile prod", "role arn:...".
	Via     string
	Profile *awsapi.Profile
	Region  string
	// Account, when known beforehand (an --accounts file), must be the account STS says the
	// credentials belong to.
	Account string
}

// Options say how to audit.
type Options struct {
	// Engine checks the deployed policies; Ignores are the configuration's ignore entries
	// (nil without a configuration).
	Engine  *linter.Engine
	Ignores *config.Suppressor
	// Against is the index of the files under --against; nil turns share-outside-repo and
	// share-drift off.
	Against *Index
	// Concurrency, Parallel and MaxFailures: see the defaults above (0 uses them).
	Concurrency int
	Parallel    int
	MaxFailures int
	// Now is the time the audit is said to be of (default time.Now).
	Now func() time.Time
}

// Result is what an audit read and found.
type Result struct {
	// Time is when the audit started.
	Time   time.Time
	Scopes []ScopeResult
	// Inventory has one row per resource that carries a policy or is in a RAM share, sorted
	// by account, region and ARN.
	Inventory []Row
	// Report holds the findings, suppressed findings and failures, through the findings
	// pipeline; its summary counts each deployed policy as a file and a target.
	Report *finding.Report
	// Interrupted is set when the context ended before the audit did: the inventory holds
	// what was read until then.
	Interrupted bool
}

// ScopeResult is what one scope read.
type ScopeResult struct {
	Via     string `json:"via"`
	Account string `json:"account"`
	Region  string `json:"region"`
	// Parameters is the number of Advanced-tier parameters listed.
	Parameters int `json:"parameters"`
	// Resources and Policies count the resources with a policy and their policies.
	Resources int `json:"resources"`
	Policies  int `json:"policies"`
	// Complete is false when a read failed or the audit was interrupted.
	Complete bool `json:"complete"`
}

// auditor is one run: what every scope adds to.
type auditor struct {
	o    Options
	pipe *pipeline.Pipeline

	mu   sync.Mutex
	rep  *finding.Report
	rows []Row
}

// Run audits the scopes, Parallel at a time, and returns everything read and found. It
// never stops at a failed scope: the failure is in the report and the other scopes go on.
func Run(ctx context.Context, scopes []Scope, o Options) *Result {
	o.Concurrency = cmp.Or(max(o.Concurrency, 0), DefaultConcurrency)
	o.Parallel = cmp.Or(max(o.Parallel, 0), DefaultParallel)
	o.MaxFailures = cmp.Or(max(o.MaxFailures, 0), DefaultMaxFailures)
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &auditor{o: o, pipe: o.Engine.Pipeline(o.Ignores), rep: &finding.Report{}}
	res := &Result{Time: o.Now(), Scopes: make([]ScopeResult, len(scopes))}

	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for i, sc := range scopes {
		res.Scopes[i] = ScopeResult{Via: sc.Via, Account: sc.Account, Region: sc.Region}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return // never started: Complete stays false
			}
			defer func() { <-sem }()
			res.Scopes[i] = a.scope(ctx, sc)
		}()
	}
	wg.Wait()

	if ctx.Err() != nil {
		res.Interrupted = true
		a.fail(finding.Failure{Message: fmt.Sprintf("interrupted (%v): the audit stopped before it read everything; what was read is shown", ctx.Err())})
	}
	a.pipe.Finish(a.rep)
	slices.SortFunc(a.rows, func(x, y Row) int {
		return cmp.Or(cmp.Compare(x.Account, y.Account), cmp.Compare(x.Region, y.Region), cmp.Compare(x.Resource, y.Resource))
	})
	res.Inventory, res.Report = a.rows, a.rep
	if res.Inventory == nil {
		res.Inventory = []Row{}
	}
	return res
}

func (a *auditor) fail(f finding.Failure) {
	a.mu.Lock()
	a.rep.Failures = append(a.rep.Failures, f)
	a.mu.Unlock()
}

// add records a resource's row and its checked findings.
func (a *auditor) add(row Row, found []finding.Finding, suppressed []finding.Suppressed, policies int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rows = append(a.rows, row)
	a.rep.Findings = append(a.rep.Findings, found...)
	a.rep.Suppressed = append(a.rep.Suppressed, suppressed...)
	// Each deployed policy is a document of its own, named by its resource: it counts as a
	// file and as a target.
	a.rep.Summary.Files += policies
	a.rep.Summary.Targets += policies
}
