package config

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/safefile"
)

func mkdirs(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, f)
		if f[len(f)-1] == '/' {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLocate: the nearest configuration above a file, else the repository root; never a
// configuration above the repository (issue: a parent directory's config applied silently).
func TestLocate(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root,
		FileName,               // above the checkout: must never apply
		"repo/.git/",           // a repository
		"repo/infra/"+FileName, // a project inside it
		"repo/infra/ssm/deep/", // under that project
		"repo/app/src/",        // in the repository, no configuration
		"wt/.git",              // a worktree: .git is a file
		"wt/a/",                //
		"plain/sub/",           // no repository: the search goes on up
	)
	cases := []struct {
		dir, root, file string
		ok              bool
	}{
		{"repo/infra/ssm/deep", "repo/infra", "repo/infra/" + FileName, true},
		{"repo/infra", "repo/infra", "repo/infra/" + FileName, true},
		{"repo/app/src", "repo", "", true},
		{"repo", "repo", "", true},
		{"wt/a", "wt", "", true},
		{"plain/sub", "", FileName, true},
	}
	for _, c := range cases {
		p, ok := Locate(filepath.Join(root, c.dir))
		wantRoot := filepath.Join(root, c.root)
		wantFile := ""
		if c.file != "" {
			wantFile = filepath.Join(root, c.file)
		}
		if ok != c.ok || p.Root != wantRoot || p.File != wantFile {
			t.Errorf("Locate(%s) = %+v, %v; want root %s, file %q", c.dir, p, ok, wantRoot, wantFile)
		}
		if got := Find(filepath.Join(root, c.dir)); got != wantFile {
			t.Errorf("Find(%s) = %q, want %q", c.dir, got, wantFile)
		}
	}
	if !IsProjectRoot(filepath.Join(root, "repo/infra")) || !IsProjectRoot(filepath.Join(root, "wt")) || IsProjectRoot(filepath.Join(root, "repo/app")) {
		t.Error("IsProjectRoot")
	}
}

// TestLoadFIFO: a configuration that is a named pipe is refused at once, not waited on.
func TestLoadFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), FileName)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(p); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, safefile.ErrNotRegular) {
			t.Fatalf("Load(fifo) = %v, want a refusal", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a named pipe")
	}
}
