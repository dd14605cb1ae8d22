package rules

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/builtins"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rules' metadata")

// TestDocsIndex fails when docs/rules.md no longer matches the rules' metadata.
func TestDocsIndex(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := IndexMarkdown(set)
	const path = "../docs/rules.md"
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./rules -run TestDocsIndex -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/rules.md is out of date: run go test ./rules -run TestDocsIndex -update")
	}
}

// TestSourcesExist checks that every rule's source names sections that exist: each reference
// `docs/FILE.md, "Section" and "Section"` must name a heading of that file, and the rule's page
// must cite the same sections. It also checks that a rule page names no Markdown file the
// repository does not have.
func TestSourcesExist(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]map[string]bool{}
	headingsOf := func(file string) (map[string]bool, error) {
		if h, ok := headings[file]; ok {
			return h, nil
		}
		src, err := os.ReadFile(filepath.Join("..", file))
		if err != nil {
			return nil, err
		}
		h := map[string]bool{}
		for _, line := range strings.Split(string(src), "\n") {
			if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
				h[strings.ReplaceAll(title, "`", "")] = true
			}
		}
		headings[file] = h
		return h, nil
	}
	quoted := regexp.MustCompile(`"([^"]+)"`)
	mdFile := regexp.MustCompile(`[\w./-]*[\w-]+\.md\b`)
	for _, r := range set.Rules {
		if r.Source == "" {
			t.Errorf("rule %s has no source", r.ID)
			continue
		}
		for _, ref := range strings.Split(r.Source, "; ") {
			file, sections, ok := strings.Cut(ref, ", ")
			names := quoted.FindAllStringSubmatch(sections, -1)
			if !ok || !strings.HasPrefix(file, "docs/") || len(names) == 0 {
				t.Errorf("rule %s: source %q is not `docs/FILE.md, \"Section\"`", r.ID, ref)
				continue
			}
			h, err := headingsOf(file)
			if err != nil {
				t.Errorf("rule %s: source names %s: %v", r.ID, file, err)
				continue
			}
			for _, n := range names {
				if !h[n[1]] {
					t.Errorf("rule %s: %s has no section %q", r.ID, file, n[1])
				}
				if cite := fmt.Sprintf("[%s, %q]", file, n[1]); !strings.Contains(r.Doc, cite) {
					t.Errorf("rule %s: its page does not cite %s", r.ID, cite)
				}
			}
		}
		for _, name := range mdFile.FindAllString(r.Doc, -1) {
			if _, err := os.Stat(filepath.Join("..", name)); err != nil && !strings.HasPrefix(name, "../../") {
				t.Errorf("rule %s: its page names %s, which the repository does not have", r.ID, name)
			}
		}
	}
}

// TestCustomRulesBuiltins fails when docs/custom-rules.md does not list the built-in
// functions as their declarations say; -update rewrites the table.
func TestCustomRulesBuiltins(t *testing.T) {
	const path = "../docs/custom-rules.md"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const open, end = "<!-- builtins -->\n", "<!-- /builtins -->"
	before, rest, ok1 := strings.Cut(string(src), open)
	_, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the %q ... %q markers", path, open, end)
	}
	want := before + open + builtins.Markdown() + end + after
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(src) != want {
		t.Errorf("%s does not list the built-ins as declared: go test ./rules -run TestCustomRulesBuiltins -update", path)
	}
}
