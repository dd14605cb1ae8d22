package linter

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// levelsOf lists a rule's findings as "line:col level".
func levelsOf(rep *finding.Report, rule string) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, itoa(f.Start.Line)+":"+itoa(f.Start.Column)+" "+f.Level.String())
		}
	}
	slices.Sort(out)
	return out
}

// TestTwoLevelRules: a rule whose findings take two levels reports each at its own through the
// whole run, and a configured level is the level of its findings at the rule's default.
func TestTwoLevelRules(t *testing.T) {
	dir := write(t, map[string]string{
		"invalid.json": strings.Replace(policyOf(allow, account, readOnly, theParam), "2012-10-17", "2012-10-18", 1),
		"old.json":     strings.Replace(policyOf(allow, account, readOnly, theParam), "2012-10-17", "2008-10-17", 1),
	})
	plain := newEngine(t, Config{})
	lowered, err := plain.WithConfig(Config{Levels: map[string]finding.Level{"version": finding.Warning}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		e    *Engine
		file string
		want []string
	}{
		{plain, "invalid.json", []string{"2:14 error"}},
		{plain, "old.json", []string{"2:14 warning"}},
		{lowered, "invalid.json", []string{"2:14 warning"}},
		{lowered, "old.json", []string{"2:14 warning"}},
	}
	for _, c := range cases {
		if got := levelsOf(run(t, c.e, fullContext, filepath.Join(dir, c.file)), "version"); !slices.Equal(got, c.want) {
			t.Errorf("%s: version %v, want %v", c.file, got, c.want)
		}
	}
}

// TestPromotionInTwoSteps: a share whose actions are no managed permission is a suggestion,
// which under apply --promote says that apply does both steps; with an organization pin, which
// a customer managed permission cannot carry, a warning on the key.
func TestPromotionInTwoSteps(t *testing.T) {
	dir := write(t, map[string]string{
		"two.json": policyOf(allow, account, `"Action": ["ssm:GetParameter", "ssm:GetParameters"]`, theParam),
		"org.json": policyOf(allow, `"Principal": "*"`, `"Action": ["ssm:GetParameter", "ssm:GetParameters"]`, theParam,
			`"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`),
		"one.json": policyOf(allow, `"Principal": "*"`, readOnly, theParam,
			`"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`),
	})
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	promote, err := New(context.Background(), set, Config{Promote: true})
	if err != nil {
		t.Fatal(err)
	}
	plain := newEngine(t, Config{})
	two := run(t, plain, fullContext, filepath.Join(dir, "two.json"))
	if got := levelsOf(two, "action-not-promotable"); !slices.Equal(got, []string{"7:15 suggestion"}) {
		t.Errorf("two steps: %v, want a suggestion on the actions", got)
	}
	f := findingOf(t, run(t, promote, fullContext, filepath.Join(dir, "two.json")), "action-not-promotable")
	if !strings.HasSuffix(f.Message, "apply --promote will promote it in two steps") || !strings.HasPrefix(f.Help, "nothing to do") {
		t.Errorf("under --promote: %q, help %q", f.Message, f.Help)
	}
	if got := levelsOf(run(t, plain, fullContext, filepath.Join(dir, "org.json")), "action-not-promotable"); !slices.Equal(got, []string{"9:36 warning"}) {
		t.Errorf("with aws:PrincipalOrgID: %v, want a warning on the key", got)
	}
	if got := levelsOf(run(t, plain, fullContext, filepath.Join(dir, "one.json")), "action-not-promotable"); len(got) != 0 {
		t.Errorf("a managed set promotes in one step, pin or not: %v", got)
	}
}

// TestOneFindingForATierTheSchemaRejects: `tier: advanced` is the manifest schema's finding,
// and parameter-tier says nothing more of it.
func TestOneFindingForATierTheSchemaRejects(t *testing.T) {
	dir := write(t, map[string]string{
		"m.yaml": positionManifest(paramARN, "advanced", "String", ""),
		"p.json": policyOf(allow, account, readOnly, theParam),
	})
	rep := run(t, newEngine(t, Config{}), input.Context{}, filepath.Join(dir, "m.yaml"))
	var at []string
	for _, f := range rep.Findings {
		at = append(at, f.Rule+"@"+itoa(f.Start.Line)+":"+itoa(f.Start.Column))
	}
	if !slices.Equal(at, []string{"schema@3:23"}) {
		t.Errorf("findings %v, want the schema's alone at the tier", at)
	}
}

// TestAFindingLevelMustBeTheRules: a custom rule that marks a finding with a level it does not
// declare is an error of the rule, not a finding at some level.
func TestAFindingLevelMustBeTheRules(t *testing.T) {
	dir := write(t, map[string]string{"r/rule.rego": `# METADATA
# title: Marks a level it does not have
# description: test rule
# custom:
#   id: bad-level
#   level: warning
#   kinds: [parameter]
#   source: test
package ssmpolicy.rules.bad_level

report contains {"path": [], "message": "x", "level": "error"} if true
`, "p.json": policyOf(allow, account, readOnly, theParam)})
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.AddDir(filepath.Join(dir, "r")); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), set, Config{})
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, e, fullContext, filepath.Join(dir, "p.json"))
	if len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0].Message, `rule bad-level: a finding's level must be one of the rule's levels (warning), got "error"`) {
		t.Errorf("failures %+v", rep.Failures)
	}
}
