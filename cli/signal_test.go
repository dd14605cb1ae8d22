package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slowRule does far more work than any real rule: an evaluation that is still running when
// the signal comes.
const slowRule = `# METADATA
# title: Slow
# description: Works for minutes.
# custom:
#   id: slow
#   level: warning
#   kinds: [parameter]
#   source: none
package ssmpolicy.rules.slow

report contains {"path": [], "message": "done"} if {
	count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1000000]) > 0
}
`

// TestSignals: SIGINT and SIGTERM end a run wherever it is — blocked reading standard input,
// or evaluating a rule — with exit 130 or 143 and the report of what was done (issue 10,
// item 21). The binary is built and run as a user runs it.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	tree(t, dir, map[string]string{"p.json": cleanPolicy, "rules/slow.rego": slowRule})

	t.Run("SIGINT while reading standard input", func(t *testing.T) {
		// Standard input is a pipe nobody writes to or closes: the read never ends by itself.
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pw.Close()
		r := signalled(t, bin, dir, pr, syscall.SIGINT, 500*time.Millisecond, "check", "--no-color", "-")
		pr.Close()
		if r.code != 130 || !strings.Contains(r.stderr, "ssmpolicy: stopped: interrupted by SIGINT") || !strings.Contains(r.stdout, "in 0 files") {
			t.Fatalf("want exit 130 and the report:\n%s", r)
		}
	})
	t.Run("SIGTERM during an evaluation", func(t *testing.T) {
		// The rules compile first; the signal must come once the slow rule runs. Under a
		// heavily loaded machine compiling may take longer: the wait grows until the report
		// shows the run was inside the checks.
		for _, wait := range []time.Duration{2 * time.Second, 6 * time.Second, 15 * time.Second} {
			r := signalled(t, bin, dir, nil, syscall.SIGTERM, wait, "check", "--no-color", "--rule-timeout", "10m", "--rules", "rules", "p.json")
			if r.code != 143 {
				t.Fatalf("want exit 143:\n%s", r)
			}
			if strings.Contains(r.stderr, "ssmpolicy: stopped: interrupted by SIGTERM") && strings.Contains(r.stdout, "in 1 file, 1 target") {
				return
			}
			t.Logf("signalled before the checks began (%s):\n%s", wait, r)
		}
		t.Fatal("the run never reported being stopped during the checks")
	})
}

// signalled starts the binary, sends sig after wait, and returns what it did; it fails the
// test when the process has not ended 10 s after the signal.
func signalled(t *testing.T, bin, dir string, stdin *os.File, sig syscall.Signal, wait time.Duration, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("ssmpolicy %s still running 10 s after %v", strings.Join(args, " "), sig)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}
