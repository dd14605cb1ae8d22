package linter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// derivedEdgeCases are policies whose shapes the shared lists must handle alike in Go and Rego.
var derivedEdgeCases = []string{
	`{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": ["a", 1, "b"]}}`,
	`{"Statement": [{"Effect": "Deny", "NotPrincipal": {"Service": ["x.amazonaws.com"], "AWS": "1"}, "NotAction": ["a"], "NotResource": "r"}, "not a statement", 3]}`,
	`{"Statement": [{"Effect": "Allow", "Effect": "Deny", "Action": ["A", "A", ""], "Action": "B", "Principal": {"AWS": [1, "2"], "CanonicalUser": "c"}}]}`,
	`{"Statement": [{"Effect": "allow", "Principal": "444455556666", "Action": false, "Resource": null}]}`,
	`{"Statement": []}`, `{"Statement": "x"}`, `{"Version": "2012-10-17"}`,
	`{"Statement": [{"Principal": {}, "Action": {}, "Resource": [[]]}]}`,
}

// TestDerivedMatchesRego checks that the lists the engine computes in Go (input.derived) are
// the lists rules/lib computes in Rego without them, for every policy of the repository's
// examples and test cases, and for edge cases of shape.
func TestDerivedMatchesRego(t *testing.T) {
	compare := derivedComparer(t)
	docs := append([]string{}, derivedEdgeCases...)
	for _, glob := range []string{"../examples/*/policies/*.json", "../testdata/cases/*/*.json", "../testdata/cases/*/stdin", "../input/testdata/*/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err == nil && strings.Contains(string(b), "Statement") {
				docs = append(docs, string(b))
			}
		}
	}
	compared := 0
	for _, doc := range docs {
		parsed, mismatch := compare(doc)
		if mismatch != "" {
			t.Error(mismatch)
		}
		if parsed {
			compared++
		}
	}
	if compared < 20 {
		t.Fatalf("compared only %d policies", compared)
	}
	t.Logf("compared %d policies", compared)
}

// derivedComparer returns a function that parses a policy and describes how the lists computed
// in Go differ from those computed in Rego ("" when they agree); it also says whether the
// policy parsed.
func derivedComparer(t testing.TB) func(doc string) (bool, string) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := ast.NewCompiler()
	c.Compile(set.Modules)
	if c.Failed() {
		t.Fatal(c.Errors)
	}
	const q = `x := {
		"statements": data.ssmpolicy.statements.list,
		"action_values": data.ssmpolicy.actions.values,
		"resource_values": data.ssmpolicy.resources.values,
		"principals": data.ssmpolicy.principals._list,
	}`
	pq, err := rego.New(rego.Query(q), rego.Compiler(c)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eval := func(in ast.Value) string {
		rs, err := pq.Eval(context.Background(), rego.EvalParsedInput(in))
		if err != nil {
			return "error: " + err.Error()
		}
		if len(rs) == 0 {
			return "undefined"
		}
		v, err := ast.InterfaceToValue(rs[0].Bindings["x"])
		if err != nil {
			return "error: " + err.Error()
		}
		return v.String()
	}
	return func(doc string) (bool, string) {
		p, err := jsonpos.ParseJSON([]byte(doc))
		if err != nil {
			return false, ""
		}
		policy := toAST(p.Root)
		with := ast.NewObject(ast.Item(ast.StringTerm("policy"), ast.NewTerm(policy)), ast.Item(ast.StringTerm("derived"), ast.NewTerm(derived(policy))))
		without := ast.NewObject(ast.Item(ast.StringTerm("policy"), ast.NewTerm(policy)))
		if got, want := eval(with), eval(without); got != want {
			return true, fmt.Sprintf("%.120s:\nGo:   %s\nRego: %s", doc, got, want)
		}
		return true, ""
	}
}

// FuzzDerived checks the same agreement on arbitrary documents.
func FuzzDerived(f *testing.F) {
	for _, d := range derivedEdgeCases {
		f.Add(d)
	}
	compare := derivedComparer(f)
	f.Fuzz(func(t *testing.T, doc string) {
		if _, mismatch := compare(doc); mismatch != "" {
			t.Fatal(mismatch)
		}
	})
}
