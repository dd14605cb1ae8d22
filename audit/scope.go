package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
)

// resource is one resource to read: a listed parameter, or the scope's OpsItemGroup.
type resource struct {
	arn   string
	param *awsapi.ParameterInfo // nil for the OpsItemGroup
}

// scopeRun is the audit of one scope.
type scopeRun struct {
	a       *auditor
	sc      Scope
	label   string // "111122223333 us-east-1 (profile prod)", for messages
	account string
	clients *awsapi.Clients
	keys    *awsapi.Keys
	// shares are the account's RAM shares by resource ARN; nil when they could not be read.
	shares map[string][]awsapi.Share

	failures  atomic.Int32
	stop      context.CancelCauseFunc
	listed    atomic.Int32
	resources atomic.Int32
	policies  atomic.Int32
}

// errTooManyFailures stops a scope whose reads keep failing.
var errTooManyFailures = errors.New("too many failed reads")

func (a *auditor) scope(parent context.Context, sc Scope) ScopeResult {
	out := ScopeResult{Via: sc.Via, Account: sc.Account, Region: sc.Region}
	s := &scopeRun{a: a, sc: sc}
	s.label = scopeLabel(sc.Account, sc.Region, sc.Via)
	var err error
	if s.clients, err = sc.Profile.Clients(sc.Region); err != nil {
		a.fail(finding.Failure{Message: fmt.Sprintf("%s: %v", s.label, err)})
		return out
	}
	if s.account, err = sc.Profile.Account(parent, s.clients.Region); err != nil {
		if parent.Err() == nil {
			a.fail(finding.Failure{Message: fmt.Sprintf("%s: %s", s.label, awsapi.Describe(err))})
		}
		return out
	}
	if sc.Account != "" && s.account != sc.Account {
		a.fail(finding.Failure{Message: fmt.Sprintf("%s: the credentials are for account %s, not %s: nothing was read", s.label, s.account, sc.Account)})
		return out
	}
	out.Account, out.Region = s.account, s.clients.Region
	s.label = scopeLabel(s.account, s.clients.Region, sc.Via)
	s.keys = awsapi.NewKeys(s.clients.KMS)

	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	s.stop = stop
	complete := s.run(ctx)
	if cause := context.Cause(ctx); errors.Is(cause, errTooManyFailures) {
		a.fail(finding.Failure{Message: fmt.Sprintf("%s: stopped after %d failed reads; the inventory of this account and region is incomplete", s.label, s.failures.Load())})
		complete = false
	}
	out.Parameters, out.Resources, out.Policies = int(s.listed.Load()), int(s.resources.Load()), int(s.policies.Load())
	out.Complete = complete && parent.Err() == nil && s.failures.Load() == 0
	return out
}

func scopeLabel(account, region, via string) string {
	label := account
	if label == "" {
		label = "account ?"
	}
	label += " " + region
	if via != "" {
		label += " (" + via + ")"
	}
	return label
}

// run reads the scope's shares, then streams its resources to Concurrency workers. It
// reports whether the listing completed.
func (s *scopeRun) run(ctx context.Context) bool {
	shares, err := awsapi.OwnShares(ctx, s.clients.RAM)
	switch {
	case err == nil:
		s.shares = shares
	case ctx.Err() != nil:
		return false
	default:
		s.failed(ctx, "", "RAM shares: "+awsapi.Describe(err)+"; share states are unknown and share-not-promoted did not run")
	}

	jobs := make(chan resource, s.a.o.Concurrency)
	var wg sync.WaitGroup
	for range s.a.o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				s.read(ctx, r)
			}
		}()
	}
	send := func(r resource) error {
		select {
		case jobs <- r:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	complete := send(resource{arn: fmt.Sprintf("arn:%s:ssm:%s:%s:opsitemgroup/default", partition(s.clients.Region), s.clients.Region, s.account)}) == nil
	if complete {
		err = awsapi.AdvancedParameters(ctx, s.clients.SSM, func(p awsapi.ParameterInfo) error {
			s.listed.Add(1)
			return send(resource{arn: p.ARN, param: &p})
		})
		if err != nil {
			complete = false
			if ctx.Err() == nil {
				s.failed(ctx, "", "listing parameters: "+awsapi.Describe(err)+"; the parameters after the ones listed were not read")
			}
		}
	}
	close(jobs)
	wg.Wait()
	return complete
}

// failed records a failed read (file: the resource ARN, or "" for the scope) and stops the
// scope once too many have failed.
func (s *scopeRun) failed(ctx context.Context, file, msg string) {
	if ctx.Err() != nil {
		return // interrupted: the one interruption failure says so
	}
	n := s.failures.Add(1)
	if int(n) > s.a.o.MaxFailures {
		s.stop(errTooManyFailures)
		return
	}
	s.a.fail(finding.Failure{File: file, Message: s.label + ": " + msg})
}

// read reads one resource's policies, checks them and records its row.
func (s *scopeRun) read(ctx context.Context, r resource) {
	if ctx.Err() != nil {
		return
	}
	policies, err := awsapi.ResourcePolicies(ctx, s.clients.SSM, r.arn)
	switch {
	case err != nil && awsapi.IsNotFound(err):
		return // deleted since it was listed (or no OpsItemGroup): nothing is shared
	case err != nil:
		s.failed(ctx, r.arn, "get resource policies: "+awsapi.Describe(err))
		return
	}
	shares, sharesKnown := s.shares[r.arn], s.shares != nil
	if len(policies) == 0 && len(shares) == 0 {
		return
	}
	row := s.newRow(r, policies, shares, sharesKnown)
	if r.param != nil && r.param.Type == "SecureString" {
		key, err := s.keys.Describe(ctx, row.KeyID)
		if err != nil {
			s.failed(ctx, r.arn, "key "+row.KeyID+": "+awsapi.Describe(err)+"; securestring-key checked the key's name only")
		}
		row.KeyManager = key.Manager
	}
	found, suppressed := s.check(ctx, r, &row, policies)
	row.Findings = len(found)
	s.resources.Add(1)
	s.policies.Add(int32(len(policies)))
	s.a.add(row, found, suppressed, len(policies))
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
