package linter

import (
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/rules"
)

// TestSkippedStagesChangeNothing compiles the built-in rules with every stage and with the
// stages a run skips: the compiled modules are the same, so skipping them only saves the time
// of their checks (which the rule tests run).
func TestSkippedStagesChangeNothing(t *testing.T) {
	compile := func(skip ...ast.StageID) *ast.Compiler {
		set, err := rules.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		c := ast.NewCompiler().WithCapabilities(rules.Capabilities(ruleDeclarations())).WithEnablePrintStatements(false).WithSkipStages(skip...)
		c.Compile(set.Modules)
		if c.Failed() {
			t.Fatal(c.Errors)
		}
		return c
	}
	full, trimmed := compile(), compile(builtinSkippedStages()...)
	if len(full.Modules) == 0 || len(full.Modules) != len(trimmed.Modules) {
		t.Fatalf("%d modules compiled with every stage, %d with stages skipped", len(full.Modules), len(trimmed.Modules))
	}
	for name, m := range full.Modules {
		if got, want := trimmed.Modules[name].String(), m.String(); got != want {
			t.Errorf("%s compiles differently with stages skipped:\n%s\nwant\n%s", name, got, want)
		}
	}
	for _, s := range builtinSkippedStages() {
		if !slices.Contains(ast.AllStages(), s) {
			t.Errorf("stage %s is not one of the compiler's", s)
		}
	}
}
