package audit_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// wantRule is the finding each planted problem must give.
var wantRule = map[string]string{
	awsfake.ProblemWildcardPrincipal: "principal-wildcard",
	awsfake.ProblemUnpromotedShare:   rules.ShareNotPromoted,
	awsfake.ProblemAWSManagedKey:     "securestring-key",
	awsfake.ProblemOutsideAccount:    "principal-account-not-allowed",
}

// TestAuditFindsPlanted: over two accounts and two regions, every planted problem is found
// on its parameter, nothing on the clean ones, and nothing but reads reached AWS.
func TestAuditFindsPlanted(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	spec := awsfake.DefaultSeedSpec(150)
	spec.Accounts, spec.Regions = []string{owner, "222233334444"}, []string{"us-east-1", "eu-west-1"}
	seed, err := f.Seed(spec)
	if err != nil {
		t.Fatal(err)
	}
	var scopes []audit.Scope
	for _, a := range spec.Accounts {
		for _, r := range spec.Regions {
			scopes = append(scopes, scope(t, f, a, r))
		}
	}
	res := audit.Run(context.Background(), scopes, audit.Options{Engine: engine(t, consumer)})
	if len(res.Report.Failures) > 0 || res.Interrupted {
		t.Fatalf("failures: %v", res.Report.Failures)
	}
	kinds := map[string]bool{}
	for _, p := range seed.Planted {
		kinds[p.Problem] = true
		if got := findingsOn(res.Report, p.ARN); !slices.Contains(got, wantRule[p.Problem]) {
			t.Errorf("%s planted with %s: findings %v, want %s", p.ARN, p.Problem, got, wantRule[p.Problem])
		}
	}
	if len(kinds) != len(wantRule) {
		t.Fatalf("the seed planted %v only: the test does not cover every problem", kinds)
	}
	for _, arn := range seed.Clean {
		if got := findingsOn(res.Report, arn); len(got) > 0 {
			t.Errorf("clean %s: findings %v", arn, got)
		}
		if row := rowOf(t, res, arn); row.Share != audit.SharePromoted || !slices.Equal(row.Accounts, []string{consumer}) || row.Findings != 0 {
			t.Errorf("clean row %+v", row)
		}
	}
	if len(res.Inventory) != seed.Policies || res.Report.Summary.Targets != seed.Policies {
		t.Errorf("%d rows, %d policies checked; the seed made %d policies", len(res.Inventory), res.Report.Summary.Targets, seed.Policies)
	}
	listed := 0
	for _, s := range res.Scopes {
		listed += s.Parameters
		if !s.Complete || s.Account == "" {
			t.Errorf("scope %+v", s)
		}
	}
	if listed != seed.Advanced {
		t.Errorf("listed %d parameters, %d are Advanced", listed, seed.Advanced)
	}
	if !slices.IsSortedFunc(res.Inventory, func(a, b audit.Row) int {
		return strings.Compare(a.Account+a.Region+a.Resource, b.Account+b.Region+b.Resource)
	}) {
		t.Error("inventory not sorted by account, region, resource")
	}
	assertReadOnly(t, f)
}

// TestAuditDeployedLocation: a finding names the resource as its file, its position is in
// the policy text as AWS returned it, its pointer the element in that policy.
func TestAuditDeployedLocation(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	p, err := f.AddParameter(awsfake.Parameter{Name: "/app/open", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	doc := policyFor(p.ARN, `"*"`)
	if _, err := f.AddPolicy(p.ARN, doc); err != nil {
		t.Fatal(err)
	}
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t)})
	var found bool
	for _, fd := range res.Report.Findings {
		if fd.Rule != "principal-wildcard" {
			continue
		}
		found = true
		if fd.File != p.ARN || fd.Resource != p.ARN || fd.Pointer != "/Statement/0/Principal" {
			t.Errorf("finding at %s %s (%s)", fd.File, fd.Pointer, fd.Resource)
		}
		if got := doc[fd.Start.Offset:fd.End.Offset]; got != `"*"` || fd.Start.Line != 1 || fd.Start.Column != fd.Start.Offset+1 {
			t.Errorf("span %+v..%+v covers %q", fd.Start, fd.End, got)
		}
	}
	if !found {
		t.Fatalf("no principal-wildcard: %+v", res.Report.Findings)
	}
}

// TestAuditSeveralPolicies: a resource with two policies is one row; each policy is a
// document of its own, named ARN#PolicyId.
func TestAuditSeveralPolicies(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	p, err := f.AddParameter(awsfake.Parameter{Name: "/app/two", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.AddPolicy(p.ARN, policyFor(p.ARN, `{"AWS":"`+consumer+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.AddPolicy(p.ARN, policyFor(p.ARN, `{"AWS":"`+outsider+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t, consumer)})
	row := rowOf(t, res, p.ARN)
	if len(res.Inventory) != 1 || len(row.Policies) != 2 || row.Policies[0].ID != first.ID || row.Policies[1].ID != second.ID {
		t.Fatalf("inventory %+v", res.Inventory)
	}
	if !slices.Equal(row.Accounts, []string{consumer, outsider}) || len(row.Shares) != 2 {
		t.Errorf("row %+v", row)
	}
	// AddPolicy leaves both shares CREATED_FROM_POLICY: one share-not-promoted for the
	// parameter, on its first policy; the outsider is in the second.
	got := map[string]string{}
	for _, fd := range res.Report.Findings {
		got[fd.Rule] = fd.File
	}
	want := map[string]string{rules.ShareNotPromoted: p.ARN + "#" + first.ID, "principal-account-not-allowed": p.ARN + "#" + second.ID}
	if len(got) != len(want) || got[rules.ShareNotPromoted] != want[rules.ShareNotPromoted] || got["principal-account-not-allowed"] != want["principal-account-not-allowed"] {
		t.Errorf("findings in %v, want %v", got, want)
	}
}

// TestAuditOpsItemGroup: the account's opsitemgroup/default is read and checked like a
// parameter, without parameter facts and without a RAM share.
func TestAuditOpsItemGroup(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	arn := f.OpsItemGroupARN()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + consumer + `"},"Action":["ssm:GetOpsItem","ssm:*"],"Resource":["` + arn + `"]}]}`
	if _, err := f.AddPolicy(arn, doc); err != nil {
		t.Fatal(err)
	}
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")}, audit.Options{Engine: engine(t)})
	row := rowOf(t, res, arn)
	if row.Kind != "opsitemgroup" || row.Share != audit.ShareNone || row.Tier != "" || !slices.Equal(row.Actions, []string{"ssm:*", "ssm:GetOpsItem"}) {
		t.Errorf("row %+v", row)
	}
	if got := findingsOn(res.Report, arn); !slices.Contains(got, "action-wildcard") || slices.Contains(got, "context-missing") {
		t.Errorf("findings %v", got)
	}
}
