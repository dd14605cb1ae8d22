package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// addRule parses src as a custom rule's module and adds it to a new, empty set.
func addRule(t *testing.T, src string) (*Set, error) {
	t.Helper()
	mod, err := ParseModule("r.rego", src)
	if err != nil {
		t.Fatal(err)
	}
	s := &Set{Modules: map[string]*ast.Module{}, byID: map[string]*Rule{}, byPkg: map[string]*Rule{}, custom: map[string]bool{}}
	return s, s.add("r.rego", mod, true, func(string) string { return "" })
}

func ruleWithLevels(level, levels string) string {
	meta := "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: two-levels\n#   level: " + level + "\n"
	if levels != "" {
		meta += "#   levels: " + levels + "\n"
	}
	return meta + "#   kinds: [parameter]\npackage ssmpolicy.rules[\"two-levels\"]\n\nreport contains 1 if false\n"
}

// TestCustomLevels reads custom.levels: the default first, then lower levels, each once.
func TestCustomLevels(t *testing.T) {
	good := map[string][]finding.Level{
		"":                       {finding.Warning},
		"[warning, suggestion]":  {finding.Warning, finding.Suggestion},
		"[warning]":              {finding.Warning},
		"[warning, suggestion] ": {finding.Warning, finding.Suggestion},
	}
	for levels, want := range good {
		s, err := addRule(t, ruleWithLevels("warning", levels))
		if err != nil {
			t.Errorf("levels %q: %v", levels, err)
			continue
		}
		if r := s.Rules[0]; !slices.Equal(r.Levels, want) {
			t.Errorf("levels %q: %v, want %v", levels, r.Levels, want)
		}
	}
	bad := map[string]string{
		"[suggestion, warning]": "list the default level first",
		"[warning, error]":      "from the most severe to the least",
		"[warning, warning]":    "from the most severe to the least",
		"[warning, sometimes]":  "unknown level",
		"warning":               "must be a list",
		"[]":                    "must be a list",
	}
	for levels, want := range bad {
		_, err := addRule(t, ruleWithLevels("warning", levels))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("levels %q: error %v, want one saying %q", levels, err, want)
		}
	}
}

func TestLevelText(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"version": "error / warning", "schema": "error"} {
		r, _ := set.Get(id)
		if got := r.LevelText(); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
		if !r.HasLevel(r.Level) {
			t.Errorf("%s: HasLevel(its own level) is false", id)
		}
	}
}
