package rules

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/builtins"
)

// catalogueIDs are the rule ids the product promises, with their levels: the default, then
// for a rule whose findings take two, the lower one.
var catalogueIDs = map[string]string{
	"invalid-json": "error", "duplicate-key": "error", "schema": "error", "version": "error / warning",
	"sid-duplicate": "error", "sid-format": "warning", "policy-size": "error",
	"principal-wildcard": "security-warning", "not-principal": "security-warning",
	"principal-format": "error", "principal-not-account": "warning",
	"principal-account-not-allowed": "security-warning", "principal-self": "suggestion",
	"principal-partition": "error", "action-wildcard": "security-warning", "not-action": "security-warning",
	"action-unsupported": "error", "action-not-promotable": "warning / suggestion", "resource-mismatch": "error",
	"resource-wildcard": "security-warning", "resource-format": "error", "not-resource": "security-warning",
	"resource-kind": "error", "condition-operator": "error", "condition-value": "error",
	"condition-key": "warning", "parameter-tier": "error / warning", "securestring-key": "error",
	"suppression-expired": "warning", "context-missing": "warning",
	// These two extend the first catalogue for --live: what AWS says contradicts the input,
	// and a parameter AWS does not have.
	"context-mismatch": "warning", "resource-not-found": "error",
	// audit's own findings.
	"share-not-promoted": "warning", "share-outside-repo": "warning", "share-drift": "warning",
}

// loadAll parses every .rego file under this folder, tests included.
func loadAll(t *testing.T) map[string]*ast.Module {
	t.Helper()
	mods, err := ParseDir(".", func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

// TestRego runs every rule's _test.rego: each rule's cases that fire and that do not.
func TestRego(t *testing.T) {
	results, err := RunTests(context.Background(), loadAll(t), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		if !r.Passed {
			t.Errorf("%s (%s:%d) failed: %v", r.Name, r.File, r.Line, r.Err)
		}
	}
	t.Logf("%d Rego tests", len(results))
}

// TestCatalogue checks that every rule the product promises exists at its level, and
// that every rule folder has its metadata, its documentation page and its tests.
func TestCatalogue(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for id, level := range catalogueIDs {
		r, ok := set.Get(id)
		if !ok {
			t.Errorf("rule %s is in the promised catalogue but not implemented", id)
			continue
		}
		if r.LevelText() != level {
			t.Errorf("rule %s: level %s, the catalogue says %s", id, r.LevelText(), level)
		}
	}
	for _, r := range set.Rules {
		if _, ok := catalogueIDs[r.ID]; !ok {
			t.Errorf("rule %s is not in the promised catalogue", r.ID)
		}
		dir := filepath.Dir(strings.TrimPrefix(r.File, "rules/"))
		if dir != r.ID {
			t.Errorf("rule %s lives in folder %s: the folder must be named after the id", r.ID, dir)
		}
		if want := RulePackage(r.ID); r.Package != want {
			t.Errorf("rule %s: package %s, want %s", r.ID, r.Package, want)
		}
		if r.Title == "" || r.Description == "" || len(r.Kinds) == 0 || r.Source == "" {
			t.Errorf("rule %s: metadata needs title, description, custom.kinds and custom.source", r.ID)
		}
		for _, section := range []string{"# " + r.ID, "## What it catches", "## Example that fires", "## Fix", "## Inference"} {
			if !strings.Contains(r.Doc, section) {
				t.Errorf("rule %s: README.md lacks %q", r.ID, section)
			}
		}
		if r.Inference && !strings.Contains(strings.ToLower(r.Doc), "inference") {
			t.Errorf("rule %s rests on an inference but its page does not say so", r.ID)
		}
		if r.Engine == "rego" {
			test := filepath.Join(r.ID, "rule_test.rego")
			src, err := os.ReadFile(test)
			if err != nil {
				t.Errorf("rule %s has no %s", r.ID, test)
				continue
			}
			if n := strings.Count(string(src), "\ntest_"); n < 2 {
				t.Errorf("rule %s: %s has %d tests, want at least a case that fires and one that does not", r.ID, test, n)
			}
		} else if !slices.Contains([]string{"go"}, r.Engine) {
			t.Errorf("rule %s: unknown engine %q", r.ID, r.Engine)
		}
	}
}

// TestConditionOperatorsAgree: the operators condition-operator suggests (a Rego literal, which
// costs nothing per policy) are the ones the built-in ssmpolicy.condition.operator reads.
func TestConditionOperatorsAgree(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := ast.NewCompiler().WithCapabilities(Capabilities(builtins.Declarations()))
	c.Compile(set.Modules)
	if c.Failed() {
		t.Fatal(FormatError(c.Errors))
	}
	rs, err := rego.New(rego.Query("x := data.ssmpolicy.conditions.operators"), rego.Compiler(c)).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v %v", rs, err)
	}
	got := rs[0].Bindings["x"].(map[string]any)
	want := builtins.ConditionOperators()
	if len(got) != len(want) {
		t.Errorf("the Rego list has %d operators, the built-in %d", len(got), len(want))
	}
	for _, op := range want {
		if got[strings.ToLower(op)] != op {
			t.Errorf("operator %s: the Rego list has %v", op, got[strings.ToLower(op)])
		}
	}
}

// TestRulesWithoutAPolicy: a policy that does not parse reaches the rules as none, and only the
// checks of the target itself report; no rule fails or reports on a policy it has not got.
func TestRulesWithoutAPolicy(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	pq := prepareReport(t, set, withBuiltins())
	in, err := ast.ParseTerm(`{
		"config": {"accounts_allowed": ["444455556666"]}, "options": {"promote": true},
		"resource": {"arn": "arn:aws:ssm:us-east-1:1111222233:parameter/app/*", "partition": "aws", "service": "ssm",
			"region": "us-east-1", "account": "1111222233", "type": "parameter", "id": "app/*"},
		"parameter": {"tier": "Standard", "type": "SecureString", "key_id": ""}
	}`)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := pq.Eval(context.Background(), rego.EvalParsedInput(in.Value))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rs {
		got[r.Bindings["pkg"].(string)] = true
	}
	want := map[string]bool{"resource-format": true, "parameter-tier": true, "securestring-key": true}
	if len(got) != len(want) {
		t.Errorf("rules that reported without a policy: %v, want %v", got, want)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("%s did not report on the target without a policy", id)
		}
	}
}

// withBuiltins is OPA's capabilities with the project's built-ins added.
// prepareReport compiles the modules of set under caps, with the built-in functions, and
// prepares the query of every rule's findings, as the engine does.
func prepareReport(t *testing.T, set *Set, caps *ast.Capabilities) rego.PreparedEvalQuery {
	t.Helper()
	c := ast.NewCompiler().WithCapabilities(caps)
	c.Compile(set.Modules)
	if c.Failed() {
		t.Fatal(FormatError(c.Errors))
	}
	opts := append([]func(*rego.Rego){rego.Query("data.ssmpolicy.rules[pkg].report[f]"), rego.Compiler(c)}, builtins.Functions()...)
	pq, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return pq
}

func withBuiltins() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	for _, b := range builtins.Declarations() {
		caps.Builtins = append(caps.Builtins, b)
	}
	return caps
}

// TestBuiltinHoldsNoTests: the engine compiles the rules and helpers only, not their tests,
// which cost parse and compile time at every start and would run in a user's ssmpolicy test.
func TestBuiltinHoldsNoTests(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range s.Modules {
		if strings.HasSuffix(name, "_test.rego") {
			t.Errorf("module %s (package %v) is a test", name, m.Package.Path)
		}
	}
	if _, ok := s.Modules["rules/lib/patterns.rego"]; !ok {
		t.Errorf("the helpers are missing: %d modules", len(s.Modules))
	}
}
