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
			t.Chdir(dir)
			env, out, errb := testEnv(dir, string(stdin))
			code := RunEnv(context.Background(), args, env)
			got := fmt.Sprintf("exit: %d\n--- stdout\n%s--- stderr\n%s", code, out.String(), errb.String())
			wantFile := filepath.Join(dir, "want")
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
		})
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
