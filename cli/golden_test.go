package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/cases")

// fixedNow is the day the golden cases run on, so that expiry dates give the same answer on
// every day the tests run.
var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// testEnv is an Env with buffers and a fixed clock, in dir.
func testEnv(dir string, stdin string) (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv:           func(string) string { return "" },
		IsTerminal:       func() bool { return false },
		StdinIsTerminal:  func() bool { return false },
		StderrIsTerminal: func() bool { return false },
		Now:              func() time.Time { return fixedNow },
		Dir:              dir,
	}, &out, &errb
}

// TestGolden runs each case of testdata/cases in process: its `cmd` file holds the arguments,
// one per line (and `stdin` what standard input reads); `want` holds the exit code, standard
// output and standard error. Run with -update to rewrite `want` after reviewing the change.
//
// A case with a `before` directory changes files (check --fix): the command runs in a copy
// of `before`, the tree it leaves must be `after`, and the same command run again on that
// tree must leave it as it is, with the output in `want-again`.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../testdata/cases/*/cmd")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, cmdFile := range cases {
		dir, _ := filepath.Abs(filepath.Dir(cmdFile))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(cmdFile)
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
				if line != "" {
					args = append(args, line)
				}
			}
			stdin, _ := os.ReadFile(filepath.Join(dir, "stdin"))
			before := filepath.Join(dir, "before")
			if _, err := os.Stat(before); err != nil {
				golden(t, dir, dir, args, string(stdin), "want")
				return
			}
			work := t.TempDir()
			copyTree(t, before, work)
			golden(t, dir, work, args, string(stdin), "want")
			after := filepath.Join(dir, "after")
			if *update {
				if err := os.RemoveAll(after); err != nil {
					t.Fatal(err)
				}
				copyTree(t, work, after)
			}
			compareTrees(t, after, work)
			golden(t, dir, work, args, string(stdin), "want-again")
			compareTrees(t, after, work)
		})
	}
}

// golden runs args in work and compares the outcome with the file name of case dir.
func golden(t *testing.T, dir, work string, args []string, stdin, name string) {
	t.Helper()
	t.Chdir(work)
	env, out, errb := testEnv(work, stdin)
	code := RunEnv(context.Background(), args, env)
	got := fmt.Sprintf("exit: %d\n--- stdout\n%s--- stderr\n%s", code, out.String(), errb.String())
	wantFile := filepath.Join(dir, name)
	if *update {
		if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatalf("no golden file (run go test ./cli -run TestGolden -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update after checking):\n%s", wantFile, diff(string(want), got))
	}
}

// copyTree copies the files under from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// compareTrees fails unless the files under got are those under want, byte for byte.
func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	files := func(root string) map[string]string {
		out := map[string]string{}
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(root, p)
				out[rel] = string(b)
			}
			return nil
		})
		return out
	}
	w, g := files(want), files(got)
	if len(w) == 0 {
		t.Fatalf("no files under %s (run go test ./cli -run TestGolden -update)", want)
	}
	for name, content := range w {
		if g[name] != content {
			t.Errorf("%s differs from %s:\n%s", name, want, diff(content, g[name]))
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("%s was left, and is not in %s", name, want)
		}
	}
}

// diff shows the first lines where two texts part.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, wl, gl)
		}
	}
	return "(same lines, different endings)"
}
