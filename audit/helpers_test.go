package audit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

const (
	owner    = awsfake.DefaultAccount
	consumer = "444455556666"
	outsider = "999999999999"
)

// isolate keeps the developer's AWS setup out of a test.
func isolate(t *testing.T) { awsfake.Isolate(t) }

// engine is check's engine over the built-in rules, with an allow list.
func engine(t *testing.T, allowed ...string) *linter.Engine {
	t.Helper()
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := linter.New(context.Background(), set, linter.Config{AccountsAllowed: allowed})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// scope is the scope of account in region on the fake, through the real SDK clients.
func scope(t *testing.T, f *awsfake.Server, account, region string) audit.Scope {
	t.Helper()
	p, err := awsapi.LoadProfile(context.Background(), awsapi.Options{
		EndpointURL: f.URL(), Credentials: credentials.NewStaticCredentialsProvider(awsfake.AccessKeyFor(account), "x", ""),
		Timeout: 5 * time.Second, MaxAttempts: 10, MaxBackoff: 5 * time.Millisecond, AdaptiveRetry: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return audit.Scope{Via: "test " + account, Profile: p, Region: region}
}

// findingsOn returns the rules of the findings on resource arn.
func findingsOn(rep *finding.Report, arn string) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Resource == arn {
			out = append(out, f.Rule)
		}
	}
	slices.Sort(out)
	return out
}

func rowOf(t *testing.T, res *audit.Result, arn string) audit.Row {
	t.Helper()
	for _, r := range res.Inventory {
		if r.Resource == arn {
			return r
		}
	}
	t.Fatalf("no inventory row for %s", arn)
	return audit.Row{}
}

// readOnly are the operations an audit may call.
var readOnly = []string{
	awsfake.OpGetCallerIdentity, awsfake.OpAssumeRole, awsfake.OpGetResourceShares, awsfake.OpListResources,
	awsfake.OpDescribeParameters, awsfake.OpGetResourcePolicies, awsfake.OpDescribeKey,
}

// assertReadOnly fails when the fake's call log holds any other operation.
func assertReadOnly(t *testing.T, f *awsfake.Server) {
	t.Helper()
	calls := f.Calls()
	if len(calls) == 0 {
		t.Fatal("no call reached the fake")
	}
	for _, c := range calls {
		if !slices.Contains(readOnly, c.Operation) {
			t.Errorf("audit called %s %s: not a read", c.Service, c.Operation)
		}
	}
}

func policyFor(arn string, principal string, actions ...string) string {
	if len(actions) == 0 {
		actions = []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"}
	}
	acts := `"` + actions[0] + `"`
	for _, a := range actions[1:] {
		acts += `,"` + a + `"`
	}
	return `{"Version":"2012-10-17","Statement":[{"Sid":"Share","Effect":"Allow","Principal":` + principal +
		`,"Action":[` + acts + `],"Resource":"` + arn + `"}]}`
}
