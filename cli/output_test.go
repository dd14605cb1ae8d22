package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs args in env and returns the exit code, standard output and standard error.
func run(t *testing.T, env Env, args ...string) (int, string, string) {
	t.Helper()
	out, errb := &strings.Builder{}, &strings.Builder{}
	env.Stdout, env.Stderr = out, errb
	code := RunEnv(context.Background(), args, env)
	return code, out.String(), errb.String()
}

// policyDir is a directory holding p.json, a policy with a warning (no Version) and a
// security warning (principal "*"), and whatever files are given.
func policyDir(t *testing.T, files map[string]string) (string, Env) {
	t.Helper()
	dir := t.TempDir()
	files["p.json"] = `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"}]}`
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir) // paths on the command line are relative to the process's directory
	env, _, _ := testEnv(dir, "")
	return dir, env
}

func TestOutputToFiles(t *testing.T) {
	dir, env := policyDir(t, map[string]string{})
	code, stdout, stderr := run(t, env, "check", "-o", "json", "-o", "sarif=out.sarif", "-o", "junit=report.xml", "p.json")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Summary struct{ Findings int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Summary.Findings == 0 {
		t.Fatalf("standard output is not the JSON report (%v):\n%s", err, stdout)
	}
	sarif, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	if err != nil || !strings.Contains(string(sarif), `"ruleId": "principal-wildcard"`) {
		t.Fatalf("SARIF file (%v):\n%s", err, sarif)
	}
	junit, err := os.ReadFile(filepath.Join(dir, "report.xml"))
	if err != nil || !strings.HasPrefix(string(junit), "<?xml") {
		t.Fatalf("JUnit file (%v):\n%s", err, junit)
	}
}

func TestOutputFileReplacesStdout(t *testing.T) {
	dir, env := policyDir(t, map[string]string{})
	code, stdout, _ := run(t, env, "check", "--output-file", "r.txt", "p.json")
	text, err := os.ReadFile(filepath.Join(dir, "r.txt"))
	if code != 1 || stdout != "" || err != nil || !strings.Contains(string(text), "principal-wildcard") {
		t.Fatalf("exit %d, stdout %q, file (%v) %q", code, stdout, err, text)
	}
	if strings.Contains(string(text), "\x1b[") {
		t.Errorf("colours in a file without --color always:\n%s", text)
	}
}

func TestOutputFlagErrors(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-o", "text", "-o", "json", "p.json"}, "only one format can go to standard output"},
		{[]string{"check", "-o", "sarif=a", "-o", "json=a", "p.json"}, "a is already the file of -o sarif=a"},
		{[]string{"check", "-o", "sarif=", "p.json"}, "no file after ="},
		{[]string{"check", "-o", "xml=a", "p.json"}, `unknown output format "xml"`},
		{[]string{"check", "--output-file", "a", "-o", "sarif=a", "p.json"}, "--output-file a: already the file of -o sarif=a"},
		{[]string{"check", "--min-level", "ignore", "p.json"}, `--min-level: unknown level "ignore"`},
		{[]string{"check", "--color", "sometimes", "p.json"}, `--color "sometimes": want auto, always or never`},
		{[]string{"check", "--no-color", "--color", "always", "p.json"}, "contradict"},
		{[]string{"check", "--workers", "0", "p.json"}, `invalid argument "0" for "--workers" flag: must be at least 1`},
		{[]string{"check", "--workers", "-3", "p.json"}, "must be at least 1"},
		{[]string{"check", "--workers", "many", "p.json"}, "not a whole number"},
		{[]string{"check", "--rule-timeout", "0s", "p.json"}, `invalid argument "0s" for "--rule-timeout" flag: must be more than zero`},
		{[]string{"check", "--rule-timeout", "-1s", "p.json"}, "must be more than zero"},
		{[]string{"check", "--rule-memory", "0", "p.json"}, "--rule-memory 0: want a size in MiB from 1 to"},
		{[]string{"check", "--rule-memory", "-5", "p.json"}, `invalid argument "-5" for "--rule-memory"`},
		{[]string{"apply", "--dry-run", "-o", "sarif=a", "p.json"}, "-o sarif=a: this command writes its report to standard output only"},
	} {
		code, stdout, stderr := run(t, env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || !strings.HasPrefix(stderr, "ssmpolicy: ") {
			t.Errorf("%v: exit %d, stderr %q, want exit 2 and %q (stdout %q)", c.args, code, stderr, c.want, stdout)
		}
	}
}

func TestWorkersAndTimeoutAccepted(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	code, stdout, stderr := run(t, env, "check", "--workers", "3", "--rule-timeout", "30s", "p.json")
	if code != 1 || stderr != "" || !strings.Contains(stdout, "principal-wildcard") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestQuietAndMinLevel(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	code, stdout, _ := run(t, env, "check", "-q", "p.json")
	if code != 1 || strings.Contains(stdout, " in 1 file") || !strings.Contains(stdout, "principal-wildcard") {
		t.Errorf("-q: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = run(t, env, "check", "--min-level", "security-warning", "p.json")
	if code != 1 || strings.Contains(stdout, "warning version") || !strings.Contains(stdout, "principal-wildcard") {
		t.Errorf("--min-level: exit %d\n%s", code, stdout)
	}
	// The summary counts every finding and says how many it did not list.
	if !strings.Contains(stdout, "3 findings") || !strings.Contains(stdout, "2 below --min-level not shown") {
		t.Errorf("--min-level summary:\n%s", stdout)
	}
	// What is shown does not change what fails: a hidden warning still fails --fail-on warning.
	code, stdout, _ = run(t, env, "check", "--min-level", "error", "--fail-on", "warning", "-o", "json", "p.json")
	var rep struct {
		Findings []any
		Summary  struct{ Findings, Hidden int }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 || len(rep.Findings) != 0 ||
		rep.Summary.Findings != 3 || rep.Summary.Hidden != 3 {
		t.Errorf("--min-level error -o json: exit %d (%v)\n%s", code, err, stdout)
	}
}

func TestColorModes(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	vars := map[string]string{}
	env.Getenv = func(k string) string { return vars[k] }
	colored := func(args ...string) bool {
		_, stdout, _ := run(t, env, append(append([]string{"check"}, args...), "p.json")...)
		return strings.Contains(stdout, "\x1b[")
	}
	if colored() {
		t.Error("colours when standard output is not a terminal")
	}
	if !colored("--color", "always") {
		t.Error("no colours with --color always")
	}
	vars["FORCE_COLOR"] = "1"
	if !colored() {
		t.Error("FORCE_COLOR=1 did not force colours")
	}
	if colored("--no-color") || colored("--color", "never") {
		t.Error("--no-color or --color never lost to FORCE_COLOR")
	}
	vars["FORCE_COLOR"] = "0"
	if colored() {
		t.Error("FORCE_COLOR=0 forced colours")
	}
	env.IsTerminal = func() bool { return true }
	if !colored() {
		t.Error("no colours on a terminal")
	}
	vars["NO_COLOR"], vars["FORCE_COLOR"] = "1", "1"
	if colored() {
		t.Error("NO_COLOR lost to FORCE_COLOR")
	}
	if !colored("--color", "always") {
		t.Error("--color always lost to NO_COLOR")
	}
}

func TestEarlyFailureWritesFileReports(t *testing.T) {
	dir, env := policyDir(t, map[string]string{".ssmpolicy.yaml": "rulez: {}\n"})
	code, _, stderr := run(t, env, "check", "-o", "sarif=out.sarif", "p.json")
	sarif, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	if code != 2 || !strings.Contains(stderr, "invalid configuration") || err != nil ||
		!strings.Contains(string(sarif), `"executionSuccessful": false`) {
		t.Fatalf("exit %d, stderr %q, SARIF (%v):\n%s", code, stderr, err, sarif)
	}
}

func TestUnknownFlagSuggestion(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	code, _, stderr := run(t, env, "check", "--fial-on", "warning", "p.json")
	if code != 2 || !strings.Contains(stderr, `unknown flag --fial-on for "ssmpolicy check" (did you mean --fail-on?)`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, env, "rules", "--outptu", "json")
	if code != 2 || !strings.Contains(stderr, "did you mean --output?") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, env, "check", "--zzzzzzzz", "p.json")
	if code != 2 || strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, "unknown flag --zzzzzzzz") {
		t.Errorf("no suggestion expected: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, env, "check", "-Z", "p.json")
	if code != 2 || !strings.Contains(stderr, `unknown shorthand flag -Z in -Z`) {
		t.Errorf("shorthand: exit %d, stderr %q", code, stderr)
	}
}

func TestCompletion(t *testing.T) {
	env, _, _ := testEnv(t.TempDir(), "")
	for shell, marker := range map[string]string{
		"bash": "__start_ssmpolicy", "zsh": "#compdef ssmpolicy", "fish": "complete -c ssmpolicy",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, stdout, stderr := run(t, env, "completion", shell)
		if code != 0 || !strings.Contains(stdout, marker) {
			t.Errorf("completion %s: exit %d, stderr %q, no %q in the script", shell, code, stderr, marker)
		}
	}
	// The words the shells are given for a flag's value.
	_, stdout, _ := run(t, env, "__complete", "check", "--min-level", "sec")
	if !strings.HasPrefix(stdout, "security-warning\n") {
		t.Errorf("--min-level completion:\n%s", stdout)
	}
	_, stdout, _ = run(t, env, "__complete", "rules", "-o", "")
	if !strings.HasPrefix(stdout, "text\njson\n:") {
		t.Errorf("rules -o completion:\n%s", stdout)
	}
}

func TestOutputFileUnwritable(t *testing.T) {
	_, env := policyDir(t, map[string]string{})
	code, stdout, stderr := run(t, env, "check", "-o", "sarif=no/such/dir/out.sarif", "p.json")
	if code != 2 || !strings.Contains(stderr, "ssmpolicy: write report: open no/such/dir/out.sarif: no such file or directory") ||
		!strings.Contains(stdout, "principal-wildcard") {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
}
