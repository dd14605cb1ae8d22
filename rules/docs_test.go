package rules

import (
	"flag"
	"os"
	"testing"
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
