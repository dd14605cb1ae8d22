package builtins

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// BenchmarkPolicyLists is the cost of the four statement lists on a typical clean policy.
func BenchmarkPolicyLists(b *testing.B) {
	src, err := os.ReadFile("../examples/good/policies/db-password.json")
	if err != nil {
		b.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(src, &x); err != nil {
		b.Fatal(err)
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		b.Fatal(err)
	}
	fns := policyFunctions()
	b.ReportAllocs()
	for b.Loop() {
		for _, fn := range fns {
			if _, err := fn.impl(rego.BuiltinContext{}, ast.NewTerm(v)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
