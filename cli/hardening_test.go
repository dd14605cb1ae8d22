package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// tree writes files under root: a name ending in / is a directory; contents "->target" make
// a symbolic link.
func tree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(body, "->"); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(body), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// runCLI runs the command line in dir (the working directory for the test's duration) with
// stdin, and fails the test when it does not return within limit.
func runCLI(t *testing.T, dir, stdin string, limit time.Duration, args ...string) result {
	t.Helper()
	t.Chdir(dir)
	env, out, errb := testEnv(dir, stdin)
	done := make(chan int, 1)
	go func() { done <- RunEnv(context.Background(), args, env) }()
	select {
	case code := <-done:
		return result{code: code, stdout: out.String(), stderr: errb.String()}
	case <-time.After(limit):
		t.Fatalf("ssmpolicy %s did not return within %s", strings.Join(args, " "), limit)
	}
	return result{}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

const cleanPolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"}]}`

// TestManifestReadsOnlyInsideItsProject: a manifest names files outside its project, through
// a symbolic link, a device, /proc and a named pipe. None is read: each is an error at the
// manifest line, and nothing of their content reaches the output (issue 10, item 1).
func TestManifestReadsOnlyInsideItsProject(t *testing.T) {
	root := t.TempDir()
	tree(t, root, map[string]string{
		"outside/secret.json": "TOPSECRET=hunter2-the-token\n",
		"proj/.git/":          "",
		"proj/link.json":      "->../outside/secret.json",
		"proj/dev.json":       "->/dev/zero",
		"proj/ok.json":        cleanPolicy,
	})
	proj := filepath.Join(root, "proj")
	mkfifo(t, filepath.Join(proj, "fifo.json"))
	refs := []string{"../outside/secret.json", filepath.Join(root, "outside/secret.json"), "link.json", "dev.json", "fifo.json", "/proc/self/environ", "/etc/passwd", "ok.json"}
	var m strings.Builder
	m.WriteString("resources:\n")
	for _, ref := range refs {
		fmt.Fprintf(&m, "  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n    parameter: {tier: Advanced, type: String}\n    policy: %s\n", ref)
	}
	tree(t, proj, map[string]string{"m.yaml": m.String()})

	r := runCLI(t, proj, "", 20*time.Second, "check", "--no-color", "m.yaml")
	if r.code != ExitError {
		t.Fatalf("exit %d, want 2\n%s", r.code, r)
	}
	for i, ref := range refs[:len(refs)-1] {
		want := fmt.Sprintf("ssmpolicy: m.yaml:%d:13: read policy ", 4+3*i)
		line := ""
		for _, l := range strings.Split(r.stderr, "\n") {
			if strings.HasPrefix(l, want) {
				line = l
			}
		}
		switch {
		case line == "":
			t.Errorf("no error at the manifest line of %s (want %q...)", ref, want)
		case ref == "fifo.json" && !strings.Contains(line, "named pipe"):
			t.Errorf("%s: %s", ref, line)
		case ref != "fifo.json" && !strings.Contains(line, "outside the project"):
			t.Errorf("%s: %s", ref, line)
		}
	}
	for _, leak := range []string{"TOPSECRET", "hunter2", "root:", "PATH="} {
		if strings.Contains(r.String(), leak) {
			t.Errorf("the output holds %q:\n%s", leak, r)
		}
	}
}

// TestFindingsQuoteOnlyAPrefix: a value that is not what the grammar expects (a secret pasted
// in the wrong place, a file that is not a policy) is quoted by its start only: in every
// message, and in the source line text output shows for a file that does not parse. (Text
// shows the source lines of files that do parse; the other formats show messages only.)
func TestFindingsQuoteOnlyAPrefix(t *testing.T) {
	dir := t.TempDir()
	secret := strings.Repeat("S3CR3T", 200)
	tree(t, dir, map[string]string{
		"broken.json": `{"Statement": [` + secret + "\n",
		"effect.json": `{"Version": "2012-10-17", "Statement": [{"Effect": "` + secret + `", "Principal": "*", "Action": "ssm:GetParameter", "Resource": "*"}]}`,
	})
	for _, c := range []struct {
		format string
		files  []string
	}{{"text", []string{"broken.json"}}, {"json", []string{"broken.json", "effect.json"}}, {"github", []string{"broken.json", "effect.json"}}} {
		args := append([]string{"check", "--no-color", "-o", c.format}, c.files...)
		r := runCLI(t, dir, "", 20*time.Second, args...)
		if r.code != ExitFindings || !strings.Contains(r.stdout, "invalid-json") {
			t.Fatalf("-o %s: %s", c.format, r)
		}
		if len(c.files) == 2 && !strings.Contains(r.stdout, "(1200 characters)") {
			t.Errorf("-o %s: the schema message does not say the value was cut:\n%s", c.format, r)
		}
		if strings.Contains(r.stdout, strings.Repeat("S3CR3T", 20)) {
			t.Errorf("-o %s quotes more than a prefix of the value:\n%s", c.format, r)
		}
	}
}

// TestConfigAboveRepositoryIgnored: a configuration above the repository root turns rules
// off; it must not apply to the checkout. The configuration used is named in text, JSON and
// SARIF, with the rules it turns off counted (issue 10, item 9).
func TestConfigAboveRepositoryIgnored(t *testing.T) {
	root := t.TempDir()
	wide := strings.Replace(cleanPolicy, `{"AWS": "444455556666"}`, `"*"`, 1)
	tree(t, root, map[string]string{
		".ssmpolicy.yaml": "rules:\n  principal-wildcard: ignore\n",
		"repo/.git/":      "",
		"repo/p.json":     wide,
	})
	repo := filepath.Join(root, "repo")
	r := runCLI(t, repo, "", 20*time.Second, "check", "--no-color", "p.json")
	if r.code != ExitFindings || !strings.Contains(r.stdout, "principal-wildcard") || strings.Contains(r.stdout, "config") {
		t.Fatalf("the parent directory's configuration applied:\n%s", r)
	}

	tree(t, repo, map[string]string{".ssmpolicy.yaml": "rules:\n  principal-wildcard: ignore\n  context-missing: ignore\n"})
	r = runCLI(t, repo, "", 20*time.Second, "check", "--no-color", "p.json")
	if r.code != ExitOK || !strings.HasSuffix(r.stdout, "; config .ssmpolicy.yaml (2 rules off)\n") {
		t.Fatalf("text summary:\n%s", r)
	}
	r = runCLI(t, repo, "", 20*time.Second, "check", "-o", "json", "p.json")
	var js struct {
		Config []struct {
			File     string   `json:"file"`
			Disabled []string `json:"disabled"`
		} `json:"config"`
		Summary struct {
			Disabled int `json:"disabled"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js.Config) != 1 || js.Config[0].File != ".ssmpolicy.yaml" ||
		strings.Join(js.Config[0].Disabled, ",") != "context-missing,principal-wildcard" || js.Summary.Disabled != 2 {
		t.Fatalf("json (%v): %+v\n%s", err, js, r)
	}
	r = runCLI(t, repo, "", 20*time.Second, "check", "-o", "sarif", "p.json")
	var sarif struct {
		Runs []struct {
			Invocations []struct {
				Properties struct {
					Config []string `json:"config"`
				} `json:"properties"`
				Overrides []struct {
					Descriptor struct {
						ID string `json:"id"`
					} `json:"descriptor"`
					Configuration struct {
						Enabled *bool `json:"enabled"`
					} `json:"configuration"`
				} `json:"ruleConfigurationOverrides"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Invocations) != 1 {
		t.Fatalf("sarif (%v):\n%s", err, r)
	}
	inv := sarif.Runs[0].Invocations[0]
	if strings.Join(inv.Properties.Config, ",") != ".ssmpolicy.yaml" || len(inv.Overrides) != 2 ||
		inv.Overrides[1].Descriptor.ID != "principal-wildcard" || inv.Overrides[1].Configuration.Enabled == nil || *inv.Overrides[1].Configuration.Enabled {
		t.Fatalf("sarif invocation: %+v", inv)
	}
}

// TestInputOverLimit: an input over 32 MiB is an error naming the limit, from a file or from
// standard input, never a silent truncation (issue 10, item 10).
func TestInputOverLimit(t *testing.T) {
	dir := t.TempDir()
	big := cleanPolicy + strings.Repeat(" ", 32<<20)
	tree(t, dir, map[string]string{"big.json": big})
	for _, args := range [][]string{{"check", "--no-color", "-"}, {"check", "--no-color", "big.json"}} {
		r := runCLI(t, dir, big, 60*time.Second, args...)
		if r.code != ExitError || !strings.Contains(r.stderr, "larger than the 32 MiB limit") {
			t.Errorf("%s: want exit 2 naming the limit, got\n%.2000s", strings.Join(args, " "), r)
		}
	}
}

// TestApplyStdinOverLimit: apply - with a policy over the limit sends nothing.
func TestApplyStdinOverLimit(t *testing.T) {
	w := newWorld(t)
	big := sharePolicy(w.api.ARN) + strings.Repeat(" ", 32<<20)
	r := w.runWith(runOpts{stdin: big}, "apply", "--yes", "--resource-arn", w.api.ARN, "--tier", "Advanced", "--type", "String", "-")
	if r.code != ExitError || !strings.Contains(r.stderr, "32 MiB limit") || w.fake.Count(awsfake.OpPutResourcePolicy) != 0 {
		t.Fatalf("exit %d, %d writes\n%.3000s", r.code, w.fake.Count(awsfake.OpPutResourcePolicy), r)
	}
}

// TestManifestEntryProblemsBlockApply: an entry with its arn written twice and an unknown
// key has findings of its own; they stop its target as its policy's findings would (issue
// 10, item 11).
func TestManifestEntryProblemsBlockApply(t *testing.T) {
	w := newWorld(t)
	w.write("db.json", sharePolicy(w.db.ARN))
	w.write("m.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    arn: %s\n    colour: blue\n    parameter: {tier: Advanced, type: SecureString, keyId: alias/app-secrets}\n    policy: db.json\n", w.web.ARN, w.db.ARN))
	r := w.run("apply", "--yes", "m.yaml")
	if r.code != ExitFindings || w.fake.Count(awsfake.OpPutResourcePolicy) != 0 {
		t.Fatalf("exit %d, %d writes: the target was not stopped\n%s", r.code, w.fake.Count(awsfake.OpPutResourcePolicy), r)
	}
	for _, want := range []string{"m.yaml:3:5: error duplicate-key", "m.yaml:4:5: error schema", "failed the checks"} {
		if !strings.Contains(r.String(), want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
}

// TestNamedPipes: a named pipe given on the command line is an error at once; one found by
// a walk is skipped; a configuration that is one is an error at once (issue 10, item 15).
func TestNamedPipes(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"d/p.json": cleanPolicy})
	mkfifo(t, filepath.Join(dir, "d", "fifo.json"))
	r := runCLI(t, dir, "", 20*time.Second, "check", "--no-color", "d/fifo.json")
	if r.code != ExitError || !strings.Contains(r.stderr, "d/fifo.json: not a regular file: a named pipe") {
		t.Fatalf("named: %s", r)
	}
	r = runCLI(t, dir, "", 20*time.Second, "check", "--no-color", "d")
	if r.code == ExitError || !strings.Contains(r.stdout, "in 1 file, 1 target") {
		t.Fatalf("walked: %s", r)
	}
	cfgDir := filepath.Join(dir, "cfg")
	tree(t, cfgDir, map[string]string{"p.json": cleanPolicy})
	mkfifo(t, filepath.Join(cfgDir, ".ssmpolicy.yaml"))
	r = runCLI(t, cfgDir, "", 20*time.Second, "check", "--no-color", "p.json")
	if r.code != ExitError || !strings.Contains(r.stderr, "not a regular file: a named pipe") {
		t.Fatalf("configuration: %s", r)
	}
}

// TestCheckHelpSaysItWalksDot: with no path, check walks the working directory, and its help
// says so.
func TestCheckHelpSaysItWalksDot(t *testing.T) {
	r := runCLI(t, t.TempDir(), "", 10*time.Second, "check", "--help")
	if r.code != ExitOK || !strings.Contains(r.stdout, "With no PATH it\nwalks the working directory (.)") ||
		!strings.Contains(r.stdout, "--stdin-filename") || !strings.Contains(r.stdout, "--no-project") {
		t.Fatalf("check --help:\n%s", r)
	}
}

// TestApplyManifestOnStdin: apply - reads a manifest from standard input like the file: its
// policy file is read and sent (it used to be refused as unreadable).
func TestApplyManifestOnStdin(t *testing.T) {
	w := newWorld(t)
	w.write("policies/api.json", sharePolicy(w.api.ARN))
	m := fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: policies/api.json\n", w.api.ARN)
	r := w.runWith(runOpts{stdin: m}, "apply", "--yes", "-")
	if r.code != ExitOK || len(w.fake.Policies(w.api.ARN)) != 1 || !strings.Contains(r.stdout, "created    "+w.api.ARN) {
		t.Fatalf("apply -:\n%s", r)
	}
	// Relative to --stdin-filename's directory, the same manifest names another file.
	r = w.runWith(runOpts{stdin: m}, "apply", "--yes", "--stdin-filename", "infra/manifest.yaml", "-")
	if r.code != ExitError || !strings.Contains(r.stderr, "infra/manifest.yaml:4:13: read policy infra/policies/api.json: no such file or directory") {
		t.Fatalf("apply --stdin-filename:\n%s", r)
	}
}
