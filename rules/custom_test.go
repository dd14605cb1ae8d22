package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/builtins"
)

// TestLegacyCustomRule loads a custom rule written to the first version of docs/custom-rules.md
// (package ssmpolicy.rules.NAME, import data.ssmpolicy.lib, the helpers under their old names)
// and checks that the catalogue finds it, that the engine's query reaches it, that each old
// helper still does its work, and that its own Rego tests pass.
func TestLegacyCustomRule(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.AddDir("testdata/legacy"); err != nil {
		t.Fatal(err)
	}
	r, ok := set.ByPackage("legacy_helpers")
	if !ok || r.ID != "legacy-helpers" || !r.Custom {
		t.Fatalf("ByPackage(legacy_helpers) = %+v, %v; want the custom rule legacy-helpers", r, ok)
	}
	pq := prepareReport(t, set, Capabilities(builtins.Declarations()))
	in, err := ast.ParseTerm(`{
		"policy": {"Statement": [
			{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::999999999999:root"]}, "Action": ["ssm:PutParameter"]},
			{"Sid": "\ue000", "Effect": "Deny", "Principal": "*", "Action": "ssm:PutParameter"}
		]},
		"resource": {"arn": "arn:aws:ssm:eu-west-3:111122223333:parameter/p"}
	}`)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := pq.Eval(context.Background(), rego.EvalParsedInput(in.Value))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range rs {
		if res.Bindings["pkg"] != "legacy_helpers" {
			continue
		}
		f := res.Bindings["f"].(map[string]any)
		got = append(got, fmt.Sprintf("%v %v %v", f["at"], f["path"], f["message"]))
	}
	slices.Sort(got)
	want := []string{
		"<nil> [Statement 0 Action 0] ssm:PutParameter is not for sharing",
		"<nil> [Statement 0 Principal AWS 0] account 999999999999 is retired",
		"<nil> [Statement 0] this statement has no Sid",
		"<nil> [Statement 1 Sid] the Sid is known only at deploy time",
		"arn [] region eu-west-3 is closed",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings of the legacy rule:\n got %q\nwant %q", got, want)
	}

	mods, err := set.TestModules([]string{"testdata/legacy"})
	if err != nil {
		t.Fatal(err)
	}
	results, err := RunTests(context.Background(), mods, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, res := range results {
		if res.Name == "data.ssmpolicy.rules.legacy_helpers_test.test_clean_policy_passes" ||
			res.Name == "data.ssmpolicy.rules.legacy_helpers_test.test_each_helper_fires" {
			ran++
		}
		if !res.Passed {
			t.Errorf("%s failed: %v", res.Name, res.Err)
		}
	}
	if ran != 2 {
		t.Errorf("ran %d of the legacy rule's 2 tests", ran)
	}
}

// TestCustomRulesDocExample runs the example rule and tests of docs/custom-rules.md, as a user
// who copies them would: the page must show rules that load and pass.
func TestCustomRulesDocExample(t *testing.T) {
	page, err := os.ReadFile("../docs/custom-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, part := range strings.Split(string(page), "```rego\n")[1:] {
		code, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, code)
	}
	if len(blocks) != 2 {
		t.Fatalf("docs/custom-rules.md has %d rego blocks, want the rule and its tests", len(blocks))
	}
	dir := filepath.Join(t.TempDir(), "require_sid")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"rule.rego", "rule_test.rego"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(blocks[i]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	if r, ok := set.ByPackage("require-sid"); !ok || r.ID != "require-sid" {
		t.Fatalf("the example rule is not in the catalogue under its id: %+v", r)
	}
	if ran := runUserTests(t, set, dir, "require-sid_test"); ran != 2 {
		t.Errorf("ran %d of the example's 2 tests", ran)
	}
}

// runUserTests runs the Rego tests of the custom rules in dir beside the built-in ones, fails
// t for each test of package pkg that fails, and returns how many of pkg's tests ran.
func runUserTests(t *testing.T, set *Set, dir, pkg string) int {
	t.Helper()
	mods, err := set.TestModules([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	results, err := RunTests(context.Background(), mods, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, res := range results {
		if strings.Contains(res.Name, pkg) {
			ran++
			if !res.Passed {
				t.Errorf("%s failed: %v", res.Name, res.Err)
			}
		}
	}
	return ran
}

// TestCustomRuleCallsBuiltins: a custom rule may call the built-in functions, and its own
// tests run with them, as `ssmpolicy test` runs them.
func TestCustomRuleCallsBuiltins(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const dir = "testdata/builtins-user"
	if err := set.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, ok := set.Get("region-pinned"); !ok {
		t.Fatal("the custom rule region-pinned is not in the catalogue")
	}
	if ran := runUserTests(t, set, dir, "region-pinned_test"); ran != 2 {
		t.Errorf("ran %d of the rule's 2 tests", ran)
	}
}

// TestCustomRulesNamedPipe: a named pipe among the custom rules is refused at once, by name,
// never read (reading it would block the run until something writes to it).
func TestCustomRulesNamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "hang.rego"), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- set.AddDir(dir) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "hang.rego") || !strings.Contains(err.Error(), "named pipe") {
			t.Fatalf("AddDir = %v, want a refusal naming hang.rego as a named pipe", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("AddDir blocked on a named pipe")
	}
}
