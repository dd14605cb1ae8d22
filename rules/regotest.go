package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/ssmpolicy/ssmpolicy/builtins"
)

// TestResult is the outcome of one Rego test (a rule named test_*).
type TestResult struct {
	Name   string // package.test_name
	File   string
	Line   int
	Passed bool
	// Skipped is set for a test named todo_test_*, which opa test skips too.
	Skipped  bool
	Err      error
	Duration time.Duration
}

// RunTests runs the Rego tests among modules (the rules with their _test.rego files), the way
// `opa test` does, with the built-ins the engine gives the rules and in the same sandbox: a
// test that calls a withheld built-in function is refused before any test runs. timeout
// bounds each test.
func RunTests(ctx context.Context, modules map[string]*ast.Module, timeout time.Duration) ([]TestResult, error) {
	return RunTestsMatching(ctx, modules, timeout, "")
}

// RunTestsMatching runs the tests whose full name (data.package.test_name) matches the
// regular expression run, as `opa test --run` does; "" runs them all.
func RunTestsMatching(ctx context.Context, modules map[string]*ast.Module, timeout time.Duration, run string) ([]TestResult, error) {
	compiler := ast.NewCompiler().
		WithCapabilities(Capabilities(builtins.Declarations())).
		WithEnablePrintStatements(true). // as opa test: print writes to the test's own output
		WithDefaultRegoVersion(ast.RegoV1)
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		AddCustomBuiltins(builtins.ForTests()).
		Filter(run).
		SetStore(inmem.New()).
		SetDefaultRegoVersion(ast.RegoV1).
		SetTimeout(timeout).
		SetModules(modules).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rego tests:\n%w", FormatError(SandboxError(err)))
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Name: r.Package + "." + r.Name, Passed: r.Pass(), Skipped: r.Skip, Err: r.Error, Duration: r.Duration}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		out = append(out, tr)
	}
	return out, nil
}
