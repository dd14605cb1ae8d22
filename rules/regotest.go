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
// `opa test` does, with the built-ins the engine gives the rules. timeout bounds each test.
func RunTests(ctx context.Context, modules map[string]*ast.Module, timeout time.Duration) ([]TestResult, error) {
	return RunTestsMatching(ctx, modules, timeout, "")
}

// RunTestsMatching runs the tests whose full name (data.package.test_name) matches the
// regular expression run, as `opa test --run` does; "" runs them all.
func RunTestsMatching(ctx context.Context, modules map[string]*ast.Module, timeout time.Duration, run string) ([]TestResult, error) {
	ch, err := tester.NewRunner().
		AddCustomBuiltins(builtins.ForTests()).
		Filter(run).
		SetStore(inmem.New()).
		SetDefaultRegoVersion(ast.RegoV1).
		SetTimeout(timeout).
		SetModules(modules).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
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
