package linter

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/builtins"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// manyStatements is a policy of n statements in the shapes users write: each names its own
// account, some pin an organization, some repeat a Sid or carry a problem, so that every rule
// has work on every statement.
func manyStatements(n int) string {
	var b strings.Builder
	b.WriteString(`{"Version": "2012-10-17", "Statement": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		sid := fmt.Sprintf("S%d", i)
		if i%50 == 49 {
			sid = fmt.Sprintf("S%d", i-1) // a repeated Sid
		}
		principal := fmt.Sprintf(`{"AWS": "%012d"}`, 400000000000+i)
		cond := ""
		switch i % 4 {
		case 1:
			principal = `"*"`
			cond = fmt.Sprintf(`, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-%010d"}}`, i)
		case 2:
			cond = `, "Condition": {"Bool": {"aws:SecureTransport": "true"}}`
		case 3:
			principal = fmt.Sprintf(`{"AWS": "arn:aws:iam::%012d:role/r%d"}`, 400000000000+i, i)
		}
		fmt.Fprintf(&b, `{"Sid": %q, "Effect": "Allow", "Principal": %s, "Action": ["ssm:GetParameter", "ssm:GetParameters"], "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"%s}`,
			sid, principal, cond)
	}
	b.WriteString("]}")
	return b.String()
}

// BenchmarkStatements checks policies of 1k, 2k and 4k statements: the time per check should
// double with the statements, not grow with their square.
//
//	go test ./linter -run '^$' -bench BenchmarkStatements -benchtime 3x
func BenchmarkStatements(b *testing.B) {
	e := newEngine(b, Config{Timeout: 10 * time.Minute})
	ctx := context.Background()
	for _, n := range []int{1000, 2000, 4000} {
		src := manyStatements(n)
		r := newReader(b, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Advanced", Type: "String"})
		res, err := r.Read(jsonpos.NewFile("p.json", []byte(src)))
		if err != nil || len(res.Targets) != 1 {
			b.Fatal(err)
		}
		t := res.Targets[0]
		b.Run(fmt.Sprintf("n=%d/%dKB", n, len(src)/1024), func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Check(ctx, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRuleTimesOnManyStatements prints how long each rule takes on 1000 statements (with -v):
// a profile, not an assertion.
func TestRuleTimesOnManyStatements(t *testing.T) {
	if testing.Short() || os.Getenv("SSMPOLICY_PROFILE_RULES") == "" {
		t.Skip("set SSMPOLICY_PROFILE_RULES=1")
	}
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Config{})
	r := newReader(t, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Advanced", Type: "String"})
	res, err := r.Read(jsonpos.NewFile("p.json", []byte(manyStatements(profileSize()))))
	if err != nil {
		t.Fatal(err)
	}
	in := e.inputFor(res.Targets[0])
	caps := ast.CapabilitiesForThisVersion()
	for _, b := range builtins.Declarations() {
		caps.Builtins = append(caps.Builtins, b)
	}
	c := ast.NewCompiler().WithCapabilities(caps)
	c.Compile(set.Modules)
	for _, rl := range set.Rules {
		opts := append([]func(*rego.Rego){rego.Query("data." + rl.Package + ".report"), rego.Compiler(c)}, builtins.Functions()...)
		pq, err := rego.New(opts...).PrepareForEval(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := pq.Eval(context.Background(), rego.EvalParsedInput(in)); err != nil {
			t.Fatal(err)
		}
		t.Logf("%-32s %v", rl.ID, time.Since(start))
	}
}

func profileSize() int {
	if n, err := strconv.Atoi(os.Getenv("SSMPOLICY_PROFILE_RULES")); err == nil && n > 1 {
		return n
	}
	return 1000
}
