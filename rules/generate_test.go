package rules

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedCatalogueCurrent regenerates catalogue_gen.go in memory from the annotations of
// the embedded modules: a METADATA block changed without `go generate ./rules` fails here,
// with the first line that differs.
func TestGeneratedCatalogueCurrent(t *testing.T) {
	want, err := GenerateCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(GeneratedFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s is stale (run go generate ./rules): line %d is\n\t%s\nwant\n\t%s", GeneratedFile, i+1, gl, wl)
		}
	}
}

// TestBuiltinStaleCatalogue: a rule module the generated catalogue does not name, or an entry
// whose module is gone, is an error at start, not a rule missing from the catalogue.
func TestBuiltinStaleCatalogue(t *testing.T) {
	mod, err := parseBuiltin("rules/new-rule/rule.rego", "package ssmpolicy.rules[\"new-rule\"]\n\nreport contains 1 if false\n")
	if err != nil {
		t.Fatal(err)
	}
	g := newGenerated()
	if _, err := g.rule("rules/new-rule/rule.rego", RulePackage("new-rule"), mod); err == nil || !strings.Contains(err.Error(), "go generate") {
		t.Errorf("a module missing from the generated catalogue: got %v, want an error saying to run go generate", err)
	}
	if err := g.allUsed(); err == nil || !strings.Contains(err.Error(), "go generate") {
		t.Errorf("entries without modules: got %v, want an error saying to run go generate", err)
	}
}

// TestBuiltinMatchesAnnotations: the set Builtin reads from the generated catalogue is the one
// the annotations give, rule by rule, with the documentation and links added.
func TestBuiltinMatchesAnnotations(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Rules) != len(generatedRules()) || len(set.Rules) == 0 {
		t.Fatalf("Builtin has %d rules, the generated catalogue %d", len(set.Rules), len(generatedRules()))
	}
	for _, r := range set.Rules {
		mod, err := ParseModule(r.File, mustRead(t, strings.TrimPrefix(r.File, "rules/")))
		if err != nil {
			t.Fatal(err)
		}
		want, err := ruleFromAnnotations(r.File, r.Package, mod)
		if err != nil {
			t.Fatal(err)
		}
		got := *r
		got.Doc, got.DocsURL = "", ""
		if !equalRules(&got, want) {
			t.Errorf("%s: Builtin gives %+v, the annotations %+v", r.ID, got, *want)
		}
		if r.Doc == "" || r.DocsURL != DocsBase+r.ID+"/README.md" {
			t.Errorf("%s: no documentation page or link (%q)", r.ID, r.DocsURL)
		}
		if m := set.Modules[r.File]; m == nil || len(m.Annotations) != 0 {
			t.Errorf("%s: the module is missing or was parsed with its annotations", r.ID)
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := builtin.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func equalRules(a, b *Rule) bool {
	var ea, eb bytes.Buffer
	writeRule(&ea, a)
	writeRule(&eb, b)
	return ea.String() == eb.String() && a.Custom == b.Custom && a.Doc == b.Doc && a.DocsURL == b.DocsURL
}
