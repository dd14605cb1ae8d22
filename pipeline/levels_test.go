package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func TestLevels(t *testing.T) {
	set := builtin(t)
	l := levels(t, map[string]finding.Level{"principal-self": finding.Error, "version": finding.Ignore})
	b := &Batch{Findings: []finding.Finding{
		at("a.json", 1, "principal-wildcard"), // its default level
		at("a.json", 2, "principal-self"),     // raised to error
		at("a.json", 3, "version"),            // turned off
		at("a.json", 4, "no-such-rule"),       // not in the catalogue
	}}
	l.Process(b)
	want := []string{"a.json:1:principal-wildcard:security-warning", "a.json:2:principal-self:error"}
	if got := describe(b.Findings); !slices.Equal(got, want) {
		t.Errorf("levelled %v, want %v", got, want)
	}
	for _, f := range b.Findings {
		r, _ := set.Get(f.Rule)
		if f.Docs == "" || f.Docs != r.DocsURL {
			t.Errorf("%s: docs %q, want %q", f.Rule, f.Docs, r.DocsURL)
		}
	}
	if l.Level("version") != finding.Ignore || l.Level("no-such-rule") != finding.Ignore || l.Level("schema") != finding.Error {
		t.Errorf("Level: version %v, unknown %v, schema %v", l.Level("version"), l.Level("no-such-rule"), l.Level("schema"))
	}
	if _, err := NewLevels(set, map[string]finding.Level{"principal-slef": finding.Error}); err == nil || !strings.Contains(err.Error(), `"principal-slef"`) {
		t.Errorf("an override of an unknown rule: %v", err)
	}
}

// TestLevelsOfATwoLevelRule: a rule whose findings take two levels keeps each finding's own
// level at its default; a level the configuration sets is the level of the rule's findings at
// its default level, and no finding of the rule is above it.
func TestLevelsOfATwoLevelRule(t *testing.T) {
	r, ok := builtin(t).Get("action-not-promotable")
	if !ok || len(r.Levels) != 2 || r.Level != finding.Warning || r.Levels[1] != finding.Suggestion {
		t.Fatalf("action-not-promotable: levels %v, want warning / suggestion", r)
	}
	const id = "action-not-promotable"
	cases := []struct {
		overrides map[string]finding.Level
		want      []string
	}{
		{nil, []string{"a.json:1:" + id + ":warning", "a.json:2:" + id + ":suggestion"}},
		{map[string]finding.Level{id: finding.Warning}, []string{"a.json:1:" + id + ":warning", "a.json:2:" + id + ":suggestion"}},
		{map[string]finding.Level{id: finding.Error}, []string{"a.json:1:" + id + ":error", "a.json:2:" + id + ":suggestion"}},
		{map[string]finding.Level{id: finding.Suggestion}, []string{"a.json:1:" + id + ":suggestion", "a.json:2:" + id + ":suggestion"}},
		{map[string]finding.Level{id: finding.Ignore}, nil},
	}
	for _, c := range cases {
		lowered := at("a.json", 2, id)
		lowered.Level = finding.Suggestion
		b := &Batch{Findings: []finding.Finding{at("a.json", 1, id), lowered}}
		levels(t, c.overrides).Process(b)
		if got := describe(b.Findings); !slices.Equal(got, c.want) {
			t.Errorf("overrides %v: levelled %v, want %v", c.overrides, got, c.want)
		}
	}
}
