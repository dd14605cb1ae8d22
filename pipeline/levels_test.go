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
