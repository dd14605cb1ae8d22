package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomRuleCannotBeFixable: fixes are Go code of the tool, so a custom rule that says it
// is fixable is refused rather than marked fixable with no fix.
func TestCustomRuleCannotBeFixable(t *testing.T) {
	dir := t.TempDir()
	src := `# METADATA
# title: Custom
# custom:
#   id: my-rule
#   level: warning
#   fixable: true
package ssmpolicy.rules.my_rule

report contains {"path": [], "message": "x"} if false
`
	if err := os.WriteFile(filepath.Join(dir, "rule.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	err = set.AddDir(dir)
	if err == nil || !strings.Contains(err.Error(), "custom.fixable: only built-in rules have fixes") {
		t.Fatalf("got %v", err)
	}
	if r, _ := set.Get("version"); !r.Fixable {
		t.Error("the version rule is not marked fixable")
	}
}
