package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManPages fails when docs/man no longer matches the command tree: regenerate with
// go test ./cli -run TestManPages -update.
func TestManPages(t *testing.T) {
	pages, err := ManPages()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ssmpolicy.1", "ssmpolicy-check.1", "ssmpolicy-init.1", "ssmpolicy-completion-bash.1"} {
		if _, ok := pages[name]; !ok {
			t.Errorf("no page %s", name)
		}
	}
	if !strings.Contains(string(pages["ssmpolicy-check.1"]), "--min-level") {
		t.Error("the check page does not list --min-level")
	}
	const dir = "../docs/man"
	if *update {
		old, _ := filepath.Glob(filepath.Join(dir, "*.1"))
		for _, p := range old {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -run TestManPages -update)", err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if !isManPage(e.Name()) {
			continue
		}
		seen[e.Name()] = true
		got, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		want, ok := pages[e.Name()]
		if !ok {
			t.Errorf("docs/man/%s is for no command: run go test ./cli -run TestManPages -update", e.Name())
		} else if string(got) != string(want) {
			t.Errorf("docs/man/%s is out of date: run go test ./cli -run TestManPages -update", e.Name())
		}
	}
	for name := range pages {
		if !seen[name] {
			t.Errorf("docs/man/%s is missing: run go test ./cli -run TestManPages -update", name)
		}
	}
}
