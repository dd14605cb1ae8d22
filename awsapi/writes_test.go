package awsapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func sharePolicy(arn string, actions ...string) string {
	acts := `"` + strings.Join(actions, `","`) + `"`
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":[` + acts + `],"Resource":"` + arn + `"}]}`
}

// TestWritesNotRetriedBlindly: the SDK retries a write only when AWS throttled it. After a 5xx
// or a lost answer the write may have been applied, so it is not sent again, and the error says
// the outcome is unknown (IsUnprocessed false).
func TestWritesNotRetriedBlindly(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		inject      func(f *awsfake.Server)
		puts        int
		stored      int
		ok          bool
		unprocessed bool
	}{
		{"throttled twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 2) }, 3, 1, true, false},
		{"answer lost", func(f *awsfake.Server) { f.DropAfterWrite(awsfake.OpPutResourcePolicy, 1) }, 1, 1, false, false},
		{"500 after the write", func(f *awsfake.Server) { f.FailAfterWrite(awsfake.OpPutResourcePolicy, 1) }, 1, 1, false, false},
		{"500 before the write", func(f *awsfake.Server) { f.FailInternal(awsfake.OpPutResourcePolicy, 1) }, 1, 0, false, false},
		{"access denied", func(f *awsfake.Server) { f.DenyAccess(awsfake.OpPutResourcePolicy, 1) }, 1, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			tt.inject(e.fake)
			_, _, err := awsapi.PutResourcePolicy(ctx, e.c.SSM, e.db.ARN, sharePolicy(e.db.ARN, "ssm:GetParameter"), "", "")
			if (err == nil) != tt.ok {
				t.Fatalf("error %v, want ok %v", err, tt.ok)
			}
			if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != tt.puts {
				t.Fatalf("%d PutResourcePolicy calls, want %d", n, tt.puts)
			}
			if n := len(e.fake.Policies(e.db.ARN)); n != tt.stored {
				t.Fatalf("%d policies stored, want %d", n, tt.stored)
			}
			if err != nil && awsapi.IsUnprocessed(err) != tt.unprocessed {
				t.Fatalf("IsUnprocessed(%v) = %v", err, !tt.unprocessed)
			}
		})
	}
	// Reads are still retried on 5xx.
	e := setup(t)
	e.fake.FailInternal(awsfake.OpGetResourcePolicies, 2)
	if _, err := awsapi.ResourcePolicies(ctx, e.c.SSM, e.db.ARN); err != nil {
		t.Fatalf("a read is retried after 500s: %v", err)
	}
}

func TestDeleteResourcePolicy(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	p, err := e.fake.AddPolicy(e.db.ARN, sharePolicy(e.db.ARN, "ssm:GetParameter"))
	if err != nil {
		t.Fatal(err)
	}
	if err := awsapi.DeleteResourcePolicy(ctx, e.c.SSM, e.db.ARN, p.ID, "stale"); !awsapi.IsConflict(err) {
		t.Fatalf("a stale hash: %v, want a conflict", err)
	}
	if err := awsapi.DeleteResourcePolicy(ctx, e.c.SSM, e.db.ARN, p.ID, p.Hash); err != nil || len(e.fake.Policies(e.db.ARN)) != 0 {
		t.Fatalf("delete: %v, %d left", err, len(e.fake.Policies(e.db.ARN)))
	}
}

// TestPromotionCalls: the share a PutResourcePolicy makes, its permission, and both promotions,
// through the real RAM client.
func TestPromotionCalls(t *testing.T) {
	isolateEnv(t)
	ctx := context.Background()
	f := awsfake.StartTest(t, awsfake.WithPromotionDelay(50*time.Millisecond))
	o := options(f)
	c, err := awsapi.NewClients(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.AddParameter(awsfake.Parameter{Name: "/app/db", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if shares, err := awsapi.SharesOf(ctx, c.RAM, p.ARN); err != nil || len(shares) != 0 {
		t.Fatalf("before any policy: %+v, %v", shares, err)
	}
	if _, _, err := awsapi.PutResourcePolicy(ctx, c.SSM, p.ARN, sharePolicy(p.ARN, "ssm:GetParameter"), "", ""); err != nil {
		t.Fatal(err)
	}
	shares, err := awsapi.SharesOf(ctx, c.RAM, p.ARN)
	if err != nil || len(shares) != 1 || shares[0].FeatureSet != awsapi.FeatureSetCreatedFromPolicy {
		t.Fatalf("shares %+v, %v", shares, err)
	}
	perms, err := awsapi.SharePermissions(ctx, c.RAM, shares[0].ARN)
	if err != nil || len(perms) != 1 || perms[0].FeatureSet != awsapi.FeatureSetCreatedFromPolicy {
		t.Fatalf("permissions %+v, %v", perms, err)
	}
	if err := awsapi.PromoteShare(ctx, c.RAM, shares[0].ARN); awsapi.ErrorCode(err) != "UnmatchedPolicyPermissionException" {
		t.Fatalf("share before its permission: %v", err)
	}
	first, err := awsapi.PromotePermission(ctx, c.RAM, perms[0].ARN, "app-db", "token-1")
	if err != nil || first.Type != "CUSTOMER_MANAGED" {
		t.Fatalf("promote permission: %+v, %v", first, err)
	}
	again, err := awsapi.PromotePermission(ctx, c.RAM, perms[0].ARN, "app-db", "token-1")
	if err != nil || again.ARN != first.ARN {
		t.Fatalf("the same token again: %+v, %v, want %s", again, err, first.ARN)
	}
	f.DropAfterWrite(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1)
	if err := awsapi.PromoteShare(ctx, c.RAM, shares[0].ARN); err == nil || awsapi.IsUnprocessed(err) {
		t.Fatalf("a lost answer: %v", err)
	}
	if n := f.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy); n != 2 {
		t.Fatalf("%d share promotions, want 2 (the lost answer is not retried)", n)
	}
	s, ok, err := awsapi.GetShare(ctx, c.RAM, shares[0].ARN)
	if err != nil || !ok || s.FeatureSet != awsapi.FeatureSetPromoting {
		t.Fatalf("share after the promotion: %+v %v %v", s, ok, err)
	}
	time.Sleep(60 * time.Millisecond)
	if s, _, _ := awsapi.GetShare(ctx, c.RAM, shares[0].ARN); s.FeatureSet != awsapi.FeatureSetStandard {
		t.Fatalf("share %+v, want STANDARD after the promotion delay", s)
	}
	f.DenyAccess(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1)
	err = awsapi.PromoteShare(ctx, c.RAM, shares[0].ARN)
	if got := awsapi.Explain(err); !strings.HasPrefix(got, "AccessDeniedException: the credentials are not allowed ram:PromoteResourceShareCreatedFromPolicy") {
		t.Fatalf("access denied: %s", got)
	}
}

// TestRegions: one client set per region, made once; the region comes from the ARN.
func TestRegions(t *testing.T) {
	isolateEnv(t)
	f := awsfake.StartTest(t)
	o := options(f)
	o.Region = ""
	p, err := awsapi.LoadProfile(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Regions()
	eu, err := r.For("arn:aws:ssm:eu-west-1:111122223333:parameter/a")
	if err != nil || eu.Region != "eu-west-1" {
		t.Fatalf("eu: %+v, %v", eu, err)
	}
	again, _ := r.For("arn:aws:ssm:eu-west-1:111122223333:parameter/b")
	us, _ := r.For("arn:aws:ssm:us-east-1:111122223333:parameter/a")
	if again != eu || us == nil || us.Region != "us-east-1" {
		t.Fatalf("client sets not kept per region: %p %p %+v", again, eu, us)
	}
	if _, err := r.For("arn:aws:ssm::111122223333:parameter/a"); err == nil || !strings.Contains(err.Error(), "names no region") {
		t.Fatalf("no region anywhere: %v", err)
	}
	o.Region = "ap-south-1"
	p, _ = awsapi.LoadProfile(context.Background(), o)
	if c, err := p.Regions().For("arn:aws:ssm::111122223333:parameter/a"); err != nil || c.Region != "ap-south-1" {
		t.Fatalf("an ARN without a region takes the default: %+v, %v", c, err)
	}
}

// TestCredentialsErrors: no credentials at all, and credentials AWS refuses, are told apart
// from other failures so that a run can say so once.
func TestCredentialsErrors(t *testing.T) {
	isolateEnv(t)
	f := awsfake.StartTest(t, awsfake.WithStrictAccessKeys())
	o := options(f)
	o.Credentials = nil
	c, err := awsapi.NewClients(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	_, err = awsapi.ResourcePolicies(context.Background(), c.SSM, "arn:aws:ssm:us-east-1:111122223333:parameter/a")
	if !awsapi.IsCredentials(err) || !strings.HasPrefix(awsapi.Explain(err), "no usable AWS credentials: ") {
		t.Fatalf("no credentials: %v / %s", err, awsapi.Explain(err))
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000000")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "whatever-secret")
	c, _ = awsapi.NewClients(context.Background(), o)
	_, err = awsapi.ResourcePolicies(context.Background(), c.SSM, "arn:aws:ssm:us-east-1:111122223333:parameter/a")
	if !awsapi.IsCredentials(err) || !strings.HasPrefix(awsapi.Explain(err), "UnrecognizedClientException: AWS does not recognise the access key") {
		t.Fatalf("unknown key: %v / %s", err, awsapi.Explain(err))
	}
	if f.Count(awsfake.OpGetResourcePolicies) != 1 {
		t.Fatalf("%d calls, want 1: a refused key is not retried", f.Count(awsfake.OpGetResourcePolicies))
	}
}
