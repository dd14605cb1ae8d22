package linter

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// otherPolicy names another parameter than its manifests say: resource-mismatch, a finding
// only the manifest's facts make.
const otherPolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow",
  "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter",
  "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/other"}]}
`

func manifestFor(arn, tier, policy string) string {
	return "# shared\nresources:\n  - arn: " + arn + "\n    parameter: {tier: " + tier + ", type: String}\n    ignore: [principal-self]\n    policy: " + policy + "\n"
}

// inProject runs e over paths with every file in one project at root.
func inProject(t *testing.T, e *Engine, root string, search bool, paths ...string) *finding.Report {
	t.Helper()
	p := &Project{Root: root, Profile: &Profile{Engine: e}}
	return e.Run(context.Background(), RunOptions{Paths: paths, Reader: newReader(t, input.Context{}), Search: search,
		Project: func(string) (*Project, error) { return p, nil }})
}

// TestContextSearch: a policy file checked alone is checked as the target of every manifest
// of its project that names it, with that manifest's facts; manifests in a nested project,
// in node_modules or past the quick test's reach are not used.
func TestContextSearch(t *testing.T) {
	root := write(t, map[string]string{
		"policies/a.json":         otherPolicy,
		"infra/one.yaml":          manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/one", "Advanced", "../policies/a.json"),
		"infra/two.json":          `{"resources": [{"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/two", "parameter": {"tier": "Standard", "type": "String"}, "policy": "../policies/a.json"}]}`,
		"nested/.ssmpolicy.yaml":  "",
		"nested/m.yaml":           manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/nested", "Advanced", "../policies/a.json"),
		"node_modules/x/m.yaml":   manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/vendored", "Advanced", "../../policies/a.json"),
		"late.yaml":               strings.Repeat("# padding\n", 8000) + manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/late", "Advanced", "policies/a.json"),
		"unrelated/template.json": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`,
	})
	e := newEngine(t, Config{})
	policy := filepath.Join(root, "policies", "a.json")
	rep := inProject(t, e, root, true, policy)
	if len(rep.Failures) > 0 {
		t.Fatalf("failures: %v", rep.Failures)
	}
	var contexts []string
	for _, f := range rep.Findings {
		if f.Rule == "resource-mismatch" {
			if f.File != policy || f.Start.Line != 3 {
				t.Errorf("resource-mismatch not in the policy file: %s:%d", f.File, f.Start.Line)
			}
			contexts = append(contexts, filepath.Base(f.Context))
		}
	}
	if strings.Join(contexts, ",") != "one.yaml:3:5,two.json:1:16" {
		t.Errorf("resource-mismatch in the contexts %v, want one.yaml:3:5 and two.json:1:16 (not the nested, vendored or late manifests)", contexts)
	}
	// The Standard tier of two.json is a finding on that manifest's tier, with its context.
	tier := only(rep, "parameter-tier")
	if len(tier) != 1 || !strings.HasPrefix(tier[0], "two.json:1:") {
		t.Errorf("parameter-tier = %v, want one at two.json's tier", tier)
	}
	if rep.Summary.Files != 1 || rep.Summary.Targets != 2 {
		t.Errorf("summary = %+v, want 1 file, 2 targets", rep.Summary)
	}
	if got := only(rep, "context-missing"); len(got) != 0 {
		t.Errorf("context-missing with a manifest's context: %v", got)
	}

	// Without the search, the policy is checked on its own, as before.
	alone := inProject(t, e, root, false, policy)
	if len(only(alone, "resource-mismatch")) != 0 || len(only(alone, "context-missing")) != 1 {
		t.Errorf("--no-project: %v", alone.Findings)
	}
	// With the manifest in the run, there is no search: the manifest gives the context.
	both := inProject(t, e, root, true, policy, filepath.Join(root, "infra", "one.yaml"))
	for _, f := range both.Findings {
		if f.Context != "" {
			t.Errorf("a finding has a context although its manifest is checked: %+v", f)
		}
	}
	if len(only(both, "resource-mismatch")) != 1 {
		t.Errorf("with the manifest: %v", both.Findings)
	}
}

// TestContextSearchIgnores: the manifest entry's ignore list applies to the policy checked in
// its context.
func TestContextSearchIgnores(t *testing.T) {
	self := strings.Replace(otherPolicy, "444455556666", "111122223333", 1)
	root := write(t, map[string]string{
		"p.json": self,
		"m.yaml": manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/other", "Advanced", "p.json"),
	})
	rep := inProject(t, newEngine(t, Config{}), root, true, filepath.Join(root, "p.json"))
	if len(only(rep, "principal-self")) != 0 || len(rep.Suppressed) != 1 || rep.Suppressed[0].Rule != "principal-self" ||
		!strings.HasSuffix(rep.Suppressed[0].Context, "m.yaml:3:5") {
		t.Errorf("findings %v, suppressed %+v", rep.Findings, rep.Suppressed)
	}
}

// TestManifestOnStdin: a manifest read from standard input is checked like the file: its
// policy files are read, relative to --stdin-filename's directory or else to the working
// directory, and one that is missing is an error at <stdin>:line:column.
func TestManifestOnStdin(t *testing.T) {
	root := write(t, map[string]string{"infra/p.json": otherPolicy})
	t.Chdir(root)
	e := newEngine(t, Config{})
	run := func(stdin, name string) *finding.Report {
		return e.Run(context.Background(), RunOptions{Paths: []string{"-"}, Stdin: strings.NewReader(stdin), StdinName: name,
			Reader: newReader(t, input.Context{})})
	}
	arn := "arn:aws:ssm:us-east-1:111122223333:parameter/app"
	rep := run(manifestFor(arn, "Standard", "infra/p.json"), "")
	if len(rep.Failures) > 0 || len(only(rep, "resource-mismatch")) != 1 || len(only(rep, "parameter-tier")) != 1 {
		t.Errorf("stdin manifest: failures %v, findings %v", rep.Failures, rep.Findings)
	}
	if got := only(rep, "parameter-tier"); len(got) != 1 || !strings.HasPrefix(got[0], finding.StdinName+":4:") {
		t.Errorf("parameter-tier = %v, want it at <stdin>:4", got)
	}
	rep = run(manifestFor(arn, "Advanced", "p.json"), "infra/manifest.yaml")
	if len(rep.Failures) > 0 || len(only(rep, "resource-mismatch")) != 1 {
		t.Errorf("--stdin-filename: failures %v, findings %v", rep.Failures, rep.Findings)
	}
	for _, f := range rep.Findings {
		if f.File != "infra/p.json" && f.File != "infra/manifest.yaml" {
			t.Errorf("finding in %s, want the stdin file's name or its policy", f.File)
		}
	}
	rep = run(manifestFor(arn, "Advanced", "missing.json"), "")
	if len(rep.Failures) != 1 || rep.Failures[0].Error() != "<stdin>:6:13: read policy missing.json: no such file or directory" {
		t.Errorf("missing policy: %v", rep.Failures)
	}
}

// TestEntryProblemsGoWithTheirTarget: a repeated arn and an unknown key in an entry are
// findings apply sees with that target, not with the manifest alone.
func TestEntryProblemsGoWithTheirTarget(t *testing.T) {
	for name, m := range map[string]string{
		"block.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    arn: arn:aws:ssm:us-east-1:111122223333:parameter/b\n    colour: blue\n    policy: p.json\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/c\n    policy: p.json\n",
		"flow.json":  `{"resources": [{"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/a", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/b", "colour": "blue", "policy": "p.json"}, {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/c", "policy": "p.json"}]}`,
	} {
		dir := write(t, map[string]string{name: m, "p.json": strings.ReplaceAll(otherPolicy, "parameter/other", "parameter/b")})
		var mu sync.Mutex
		seen := map[string][]string{}
		rep := newEngine(t, Config{}).Run(context.Background(), RunOptions{Paths: []string{filepath.Join(dir, name)}, Reader: newReader(t, input.Context{}),
			Visit: func(tg *input.Target, kept []finding.Finding) {
				mu.Lock()
				defer mu.Unlock()
				for _, f := range kept {
					seen[tg.ARN.Value] = append(seen[tg.ARN.Value], f.Rule)
				}
			}})
		b := strings.Join(seen["arn:aws:ssm:us-east-1:111122223333:parameter/b"], ",")
		if !strings.Contains(b, "duplicate-key") || !strings.Contains(b, "schema") {
			t.Errorf("%s: the target got %q, want its entry's duplicate-key and schema findings", name, b)
		}
		if c := seen["arn:aws:ssm:us-east-1:111122223333:parameter/c"]; strings.Contains(strings.Join(c, ","), "duplicate-key") {
			t.Errorf("%s: the other entry got %v", name, c)
		}
		if n := len(only(rep, "duplicate-key")); n != 1 {
			t.Errorf("%s: %d duplicate-key findings in the report, want 1", name, n)
		}
	}
}

// TestReferencesStayInTheProject: a manifest's policy path that leads outside the project,
// directly or through a symbolic link, is refused without being read; inside, links are fine.
func TestReferencesStayInTheProject(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "proj")
	files := map[string]string{"proj/in/p.json": otherPolicy, "outside.json": otherPolicy}
	for name, body := range files {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"proj/out.json": "../outside.json", "proj/inlink.json": "in/p.json"} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	for ref, ok := range map[string]bool{"in/p.json": true, "inlink.json": true, "out.json": false, "../outside.json": false, filepath.Join(base, "outside.json"): false} {
		m := filepath.Join(root, "m.yaml")
		if err := os.WriteFile(m, []byte(manifestFor("arn:aws:ssm:us-east-1:111122223333:parameter/x", "Advanced", ref)), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := inProject(t, newEngine(t, Config{}), root, false, m)
		refused := len(rep.Failures) == 1 && strings.Contains(rep.Failures[0].Message, "outside the project") && rep.Failures[0].Start != nil && rep.Failures[0].Start.Line == 6
		if ok == refused || (ok && len(rep.Failures) > 0) {
			t.Errorf("policy: %s: failures %v", ref, rep.Failures)
		}
	}
}

// TestRunStopsAtOnce: when the context ends while standard input is still being read, Run
// returns at once with a report that says the run stopped.
func TestRunStopsAtOnce(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan *finding.Report, 1)
	e := newEngine(t, Config{})
	go func() {
		done <- e.Run(ctx, RunOptions{Paths: []string{"-"}, Stdin: pr, Reader: newReader(t, input.Context{})})
	}()
	time.Sleep(50 * time.Millisecond)
	cancel(errSignal{})
	select {
	case rep := <-done:
		if len(rep.Failures) != 1 || rep.Failures[0].Message != "stopped: interrupted by a test" {
			t.Errorf("failures = %v", rep.Failures)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return when its context ended")
	}
}

type errSignal struct{}

func (errSignal) Error() string { return "interrupted by a test" }

// TestNoInputWarning: a named directory with nothing to check is said; one with an input is
// not.
func TestNoInputWarning(t *testing.T) {
	dir := write(t, map[string]string{"empty/package.json": `{"name": "x"}`, "full/p.json": otherPolicy})
	var warnings []string
	newEngine(t, Config{}).Run(context.Background(), RunOptions{Paths: []string{filepath.Join(dir, "empty"), filepath.Join(dir, "full")},
		Reader: newReader(t, input.Context{}), Warn: func(w string) { warnings = append(warnings, w) }})
	want := "no policy, manifest, template or plan under " + filepath.Join(dir, "empty") + "/"
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings = %q, want [%q]", warnings, want)
	}
}
