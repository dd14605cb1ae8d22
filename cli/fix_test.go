package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFixFlagErrors(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--dry-run", "p.json"}, "--dry-run goes with --fix"},
		{[]string{"check", "--fix", "-"}, "--fix cannot write back to standard input"},
		{[]string{"check", "--fix", "--dry-run", "-o", "json", "p.json"}, "prints a diff in place of the report"},
		{[]string{"check", "--fix", "--dry-run", "-o", "sarif=x", "p.json"}, "prints a diff in place of the report"},
	} {
		code, _, stderr := run(t, env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestFixKeepsLinkAndMode(t *testing.T) {
	dir, env := policyDir(t, map[string]string{})
	if err := os.Chmod(filepath.Join(dir, "p.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("p.json", filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, env, "check", "--fix", "link.json")
	if code != 1 || !strings.Contains(stderr, "link.json: fixed 1 finding") || strings.Contains(stdout, "warning version") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if target, err := os.Readlink(filepath.Join(dir, "link.json")); err != nil || target != "p.json" {
		t.Errorf("the link was replaced: %q, %v", target, err)
	}
	info, err := os.Stat(filepath.Join(dir, "p.json"))
	src, _ := os.ReadFile(filepath.Join(dir, "p.json"))
	if err != nil || info.Mode().Perm() != 0o600 || !strings.HasPrefix(string(src), `{"Version": "2012-10-17", "Statement"`) {
		t.Errorf("mode %v (%v), content %s", info.Mode(), err, src)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestWriteFixedRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.json")
	if err := os.WriteFile(p, []byte("changed by someone else"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFixed(p, []byte("as checked"), []byte("fixed"))
	got, _ := os.ReadFile(p)
	if err == nil || !strings.Contains(err.Error(), "changed after it was checked") || string(got) != "changed by someone else" {
		t.Errorf("err %v, file %q", err, got)
	}
}
