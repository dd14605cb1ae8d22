package awsapi_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// seeded is a fake with a bulk seed, and a profile for its home account.
func seeded(t *testing.T, n int, mutate ...func(*awsapi.Options)) (*awsfake.Server, *awsapi.Profile, awsfake.SeedReport) {
	t.Helper()
	isolateEnv(t)
	f := awsfake.StartTest(t)
	rep, err := f.Seed(awsfake.DefaultSeedSpec(n))
	if err != nil {
		t.Fatal(err)
	}
	o := options(f)
	for _, m := range mutate {
		m(&o)
	}
	p, err := awsapi.LoadProfile(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return f, p, rep
}

// TestAdvancedParameters: every Advanced parameter, and only those, through all the pages.
func TestAdvancedParameters(t *testing.T) {
	f, p, rep := seeded(t, 260)
	c, err := p.Clients("")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = awsapi.AdvancedParameters(context.Background(), c.SSM, func(pi awsapi.ParameterInfo) error {
		if pi.Tier != "Advanced" || pi.ARN == "" || pi.Name == "" {
			t.Errorf("listed %+v", pi)
		}
		if (pi.Type == "SecureString") != (pi.KeyID != "") {
			t.Errorf("%s: type %s with key %q", pi.Name, pi.Type, pi.KeyID)
		}
		seen[pi.ARN] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != rep.Advanced || rep.Advanced == 0 {
		t.Errorf("listed %d parameters, %d are Advanced", len(seen), rep.Advanced)
	}
	if pages := f.Count(awsfake.OpDescribeParameters); pages != 6 { // 260 names, 50 a page
		t.Errorf("%d DescribeParameters calls, want 6", pages)
	}

	// fn's error stops the listing.
	stop := errors.New("stop")
	f.ResetCalls()
	if err := awsapi.AdvancedParameters(context.Background(), c.SSM, func(awsapi.ParameterInfo) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("error %v, want fn's", err)
	}
	if n := f.Count(awsfake.OpDescribeParameters); n != 1 {
		t.Errorf("%d calls after fn failed, want 1", n)
	}
}

// TestOwnShares: each shared parameter's share with its feature set, as RAM holds it.
func TestOwnShares(t *testing.T) {
	f, p, rep := seeded(t, 200)
	c, err := p.Clients("")
	if err != nil {
		t.Fatal(err)
	}
	shares, err := awsapi.OwnShares(context.Background(), c.RAM)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != rep.Policies {
		t.Errorf("%d shared parameters, the seed shared %d", len(shares), rep.Policies)
	}
	for _, sh := range f.Home().Shares() {
		got := shares[sh.ResourceARN]
		if len(got) != 1 || got[0].ARN != sh.ARN || got[0].FeatureSet != sh.FeatureSet {
			t.Errorf("%s: read %+v, RAM holds %s %s", sh.ResourceARN, got, sh.ARN, sh.FeatureSet)
		}
	}
	unpromoted := 0
	for _, pl := range rep.Planted {
		if pl.Problem == awsfake.ProblemUnpromotedShare {
			unpromoted++
			if got := shares[pl.ARN]; len(got) != 1 || got[0].FeatureSet != awsapi.FeatureSetCreatedFromPolicy {
				t.Errorf("%s: %+v, want CREATED_FROM_POLICY", pl.ARN, got)
			}
		}
	}
	if unpromoted == 0 {
		t.Fatal("the seed planted no unpromoted share: the test proves nothing")
	}
}

// TestKeysDescribe: one DescribeKey per key spelling however many ask; a missing key is no
// error.
func TestKeysDescribe(t *testing.T) {
	f, p, _ := seeded(t, 0)
	c, err := p.Clients("")
	if err != nil {
		t.Fatal(err)
	}
	keys := awsapi.NewKeys(c.KMS)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := keys.Describe(context.Background(), awsapi.DefaultSSMKey)
			if err != nil || k.Manager != "AWS" || k.ARN == "" {
				t.Errorf("alias/aws/ssm: %+v, %v", k, err)
			}
		}()
	}
	wg.Wait()
	if n := f.Count(awsfake.OpDescribeKey); n != 1 {
		t.Errorf("%d DescribeKey calls for one key, want 1", n)
	}
	if k, err := keys.Describe(context.Background(), "alias/nope"); err != nil || k != (awsapi.KeyInfo{}) {
		t.Errorf("missing key: %+v, %v", k, err)
	}
}

// TestAccountAndAssumeRole: the account of the credentials, then of a role assumed through
// stscreds, whose calls act as that account.
func TestAccountAndAssumeRole(t *testing.T) {
	isolateEnv(t)
	f := awsfake.StartTest(t, awsfake.WithStrictAccessKeys())
	const base, target = "222233334444", "555566667777"
	role := f.AddRole(target, "Audit")
	o := options(f)
	o.Credentials = credentials.NewStaticCredentialsProvider(awsfake.AccessKeyFor(base), "x", "")
	p, err := awsapi.LoadProfile(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if acct, err := p.Account(context.Background(), ""); err != nil || acct != base {
		t.Fatalf("account %q, %v; want %s", acct, err, base)
	}
	assumed, err := p.AssumeRole(role, "ssmpolicy-audit", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if acct, err := assumed.Account(context.Background(), "eu-west-1"); err != nil || acct != target {
		t.Fatalf("assumed account %q, %v; want %s", acct, err, target)
	}
	c, err := assumed.Clients("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := awsapi.AdvancedParameters(context.Background(), c.SSM, func(awsapi.ParameterInfo) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := f.Count(awsfake.OpAssumeRole); n != 1 {
		t.Errorf("%d AssumeRole calls, want 1 (the credentials are cached)", n)
	}
	last := f.Calls()[len(f.Calls())-1]
	if last.Operation != awsfake.OpDescribeParameters || last.Account != target || last.Region != "eu-west-1" {
		t.Errorf("last call %s as %s in %s", last.Operation, last.Account, last.Region)
	}

	// A role that cannot be assumed fails at the first call, naming it.
	bad, err := p.AssumeRole(awsfake.RoleARN(target, "Nope"), "ssmpolicy-audit", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Account(context.Background(), ""); err == nil || !strings.Contains(awsapi.Describe(err), "AccessDenied") {
		t.Errorf("unassumable role: %v", err)
	}
}

// TestAdaptiveRetryUnderThrottling: past the fake's rate limit, the adaptive retryer slows
// down and every read succeeds; the fake did throttle.
func TestAdaptiveRetryUnderThrottling(t *testing.T) {
	f, p, rep := seeded(t, 30, func(o *awsapi.Options) {
		o.AdaptiveRetry, o.MaxAttempts, o.MaxBackoff, o.Timeout = true, 20, 50*time.Millisecond, 20*time.Second
	})
	c, err := p.Clients("")
	if err != nil {
		t.Fatal(err)
	}
	f.SetRateLimit(100, 4)
	var arns []string
	if err := awsapi.AdvancedParameters(context.Background(), c.SSM, func(pi awsapi.ParameterInfo) error {
		arns = append(arns, pi.ARN)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(arns))
	sem := make(chan struct{}, 8)
	for _, arn := range arns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := awsapi.ResourcePolicies(context.Background(), c.SSM, arn); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("read failed under throttling: %s", awsapi.Describe(err))
	}
	throttled := 0
	for _, call := range f.Calls() {
		if call.ErrorType == "ThrottlingException" {
			throttled++
		}
	}
	if throttled == 0 || len(arns) != rep.Advanced {
		t.Errorf("%d calls throttled, %d of %d parameters read: the limit did not bite", throttled, len(arns), rep.Advanced)
	}
	t.Logf("%d calls, %d throttled", f.Count(awsfake.AnyOperation), throttled)
}
