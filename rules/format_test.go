package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

// TestRegoFormatted is `opa fmt --fail` over every Rego file of this folder, built-in rules,
// helpers, tests and test data, with the OPA version the engine runs: a file that opa fmt would
// change fails the test. With -update, the files are rewritten as opa fmt writes them.
func TestRegoFormatted(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		got, err := format.SourceWithOpts(p, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if bytes.Equal(got, src) {
			return nil
		}
		if *update {
			return os.WriteFile(p, got, 0o644)
		}
		t.Errorf("%s is not formatted as opa fmt writes it (go test ./rules -run TestRegoFormatted -update)", p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 60 {
		t.Fatalf("checked only %d Rego files", checked)
	}
}
