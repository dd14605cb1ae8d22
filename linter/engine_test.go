package linter

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func newReader(t testing.TB, ctx input.Context) *input.Reader {
	t.Helper()
	r, err := input.NewReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// write creates files under a temporary directory and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, e *Engine, ctx input.Context, paths ...string) *finding.Report {
	t.Helper()
	return e.Run(context.Background(), RunOptions{Paths: paths, Reader: newReader(t, ctx)})
}

// only keeps the findings of one rule, as "file:line:col-line:col pointer".
func only(rep *finding.Report, rule string) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, strings.Join([]string{filepath.Base(f.File), itoa(f.Start.Line), itoa(f.Start.Column), itoa(f.End.Line), itoa(f.End.Column), f.Pointer}, ":"))
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

const widePolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Öffentlich",
    "Effect": "Allow",
    "Principal": {"AWS": ["444455556666", "*"]},
    "Action": "ssm:GetParameter",
    "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"
  }]
}
`

// TestPositionsEveryForm checks that the same element is found at its exact place whether the
// policy is a file, inline YAML in a manifest, or a JSON string in a manifest.
func TestPositionsEveryForm(t *testing.T) {
	dir := write(t, map[string]string{
		"p.json": widePolicy,
		"inline.yaml": `resources:
  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app
    parameter: {tier: Advanced, type: String}
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: ["444455556666", "*"]}
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:us-east-1:111122223333:parameter/app
`,
		"string.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n    parameter: {tier: Advanced, type: String}\n    policy: |\n" + indent(widePolicy, "      "),
		"crlf.json":   strings.ReplaceAll(widePolicy, "\n", "\r\n"),
		"tabs.json":   strings.ReplaceAll(widePolicy, "  ", "\t"),
	})
	e := newEngine(t, Config{})
	cases := map[string]string{
		"p.json":      "p.json:6:43:6:46:/Statement/0/Principal/AWS/1",
		"crlf.json":   "crlf.json:6:43:6:46:/Statement/0/Principal/AWS/1",
		"tabs.json":   "tabs.json:6:41:6:44:/Statement/0/Principal/AWS/1",
		"inline.yaml": "inline.yaml:8:45:8:48:/Statement/0/Principal/AWS/1",
		"string.yaml": "string.yaml:10:49:10:52:/Statement/0/Principal/AWS/1",
	}
	for name, want := range cases {
		rep := run(t, e, input.Context{}, filepath.Join(dir, name))
		got := only(rep, "principal-wildcard")
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: principal-wildcard at %v, want %s", name, got, want)
		}
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestContextMissing(t *testing.T) {
	dir := write(t, map[string]string{"p.json": widePolicy})
	e := newEngine(t, Config{})
	rep := run(t, e, input.Context{}, filepath.Join(dir, "p.json"))
	got := only(rep, "context-missing")
	if len(got) != 1 || got[0] != "p.json:1:1:1:2:" {
		t.Fatalf("context-missing = %v", got)
	}
	var msg string
	for _, f := range rep.Findings {
		if f.Rule == "context-missing" {
			msg = f.Message
		}
	}
	for _, want := range []string{"resource ARN", "tier", "parameter-tier"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %q", msg, want)
		}
	}
	full := input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Advanced", Type: "String"}
	if got := only(run(t, e, full, filepath.Join(dir, "p.json")), "context-missing"); len(got) != 0 {
		t.Errorf("with every fact given, context-missing = %v", got)
	}
	// A SecureString needs its key as well.
	secure := full
	secure.Type = "SecureString"
	if got := only(run(t, e, secure, filepath.Join(dir, "p.json")), "context-missing"); len(got) != 1 {
		t.Errorf("SecureString without a key: context-missing = %v", got)
	}
	// An OpsItemGroup has no tier or type to miss.
	ops := input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}
	if got := only(run(t, e, ops, filepath.Join(dir, "p.json")), "context-missing"); len(got) != 0 {
		t.Errorf("opsitemgroup: context-missing = %v", got)
	}
	// A rule turned off is not listed as missing.
	off := newEngine(t, Config{Levels: map[string]finding.Level{"parameter-tier": finding.Ignore}})
	for _, f := range run(t, off, input.Context{ARN: full.ARN, Type: "String"}, filepath.Join(dir, "p.json")).Findings {
		if f.Rule == "context-missing" && strings.Contains(f.Message, "parameter-tier") {
			t.Errorf("a disabled rule is named: %s", f.Message)
		}
	}
}

// TestManifestPoliciesCheckedOnce walks a directory holding a manifest and the policy it names:
// the policy is checked once, with the manifest's context, and its findings carry the ARN.
func TestManifestPoliciesCheckedOnce(t *testing.T) {
	dir := write(t, map[string]string{
		"m.yaml":          "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n    parameter: {tier: Standard, type: String}\n    policy: policies/p.json\n",
		"policies/p.json": widePolicy,
		"other.json":      `{"name": "not a policy"}`,
	})
	e := newEngine(t, Config{})
	rep := run(t, e, input.Context{}, dir)
	if got := only(rep, "principal-wildcard"); len(got) != 1 {
		t.Fatalf("principal-wildcard reported %d times: %v", len(got), got)
	}
	if got := only(rep, "context-missing"); len(got) != 0 {
		t.Errorf("the policy was checked without its context: %v", got)
	}
	if got := only(rep, "parameter-tier"); len(got) != 1 || got[0] != "m.yaml:3:23:3:31:/resources/0/parameter/tier" {
		t.Errorf("parameter-tier = %v", got)
	}
	for _, f := range rep.Findings {
		if f.Rule == "principal-wildcard" && f.Resource != "arn:aws:ssm:us-east-1:111122223333:parameter/app" {
			t.Errorf("finding resource = %q", f.Resource)
		}
	}
	if rep.Summary.Files != 3 || rep.Summary.Skipped != 1 || rep.Summary.Targets != 1 {
		t.Errorf("summary = %+v", rep.Summary)
	}
}

func TestManifestMissingPolicyIsAFailure(t *testing.T) {
	dir := write(t, map[string]string{
		"m.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    policy: gone.json\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/b\n    policy: {Statement: []}\n",
	})
	rep := run(t, newEngine(t, Config{}), input.Context{}, filepath.Join(dir, "m.yaml"))
	if len(rep.Failures) != 1 {
		t.Fatalf("failures = %+v", rep.Failures)
	}
	f := rep.Failures[0]
	if f.Start == nil || f.Start.Line != 3 || f.Start.Column != 13 || !strings.Contains(f.Message, "gone.json") {
		t.Errorf("failure = %s", f.Error())
	}
	// The other resource is still checked.
	if got := only(rep, "schema"); len(got) == 0 {
		t.Error("the second resource was not checked")
	}
}

func TestUnparseableFiles(t *testing.T) {
	dir := write(t, map[string]string{
		"tsconfig.json": "{\n  // comment\n  \"compilerOptions\": {}\n}\n",
		"policy.json":   "{\"Statement\": [\n  {\"Effect\": \"Allow\",}\n]}\n",
		"manifest.yaml": "resources:\n  - arn: x\n    policy: \"unclosed\n",
		"notes.yaml":    "key: [unclosed\n",
	})
	rep := run(t, newEngine(t, Config{}), input.Context{}, dir)
	got := only(rep, "invalid-json")
	// The manifest is meant to be one (it starts a resources list): its YAML error is a finding
	// on the line the YAML reader names.
	want := map[string]bool{"policy.json:2:21:2:22:": true, "manifest.yaml:3:5:3:6:": true}
	found := 0
	for _, g := range got {
		if want[g] {
			found++
		}
		if strings.HasPrefix(g, "tsconfig") || strings.HasPrefix(g, "notes") {
			t.Errorf("a file that is not an input was reported: %s", g)
		}
	}
	if found != 2 || len(got) != 2 {
		t.Errorf("invalid-json = %v", got)
	}
	if rep.Summary.Skipped != 2 {
		t.Errorf("skipped = %d, want 2", rep.Summary.Skipped)
	}
}

func TestStdinAndMissingPath(t *testing.T) {
	e := newEngine(t, Config{})
	rep := e.Run(context.Background(), RunOptions{Paths: []string{"-", "/no/such/file.json"}, Stdin: strings.NewReader(widePolicy), Reader: newReader(t, input.Context{})})
	if got := only(rep, "principal-wildcard"); len(got) != 1 || !strings.HasPrefix(got[0], finding.StdinName) {
		t.Errorf("stdin: %v", got)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].File != "/no/such/file.json" {
		t.Errorf("failures = %+v", rep.Failures)
	}
}

// TestStableOrder checks that findings come out in the same order however the workers race.
func TestStableOrder(t *testing.T) {
	files := map[string]string{}
	for i := range 30 {
		files[filepath.Join("d", strconv.Itoa(i)+".json")] = widePolicy
	}
	dir := write(t, files)
	e := newEngine(t, Config{})
	first := run(t, e, input.Context{}, dir)
	for range 3 {
		again := e.Run(context.Background(), RunOptions{Paths: []string{dir}, Reader: newReader(t, input.Context{}), Workers: 4})
		if len(again.Findings) != len(first.Findings) {
			t.Fatalf("%d findings, then %d", len(first.Findings), len(again.Findings))
		}
		for i := range first.Findings {
			a, b := first.Findings[i], again.Findings[i]
			if a.File != b.File || a.Start != b.Start || a.Rule != b.Rule {
				t.Fatalf("order differs at %d: %v vs %v", i, a, b)
			}
		}
	}
	for i := 1; i < len(first.Findings); i++ {
		a, b := first.Findings[i-1], first.Findings[i]
		if a.File > b.File || (a.File == b.File && a.Start.Offset > b.Start.Offset) {
			t.Fatalf("not sorted at %d", i)
		}
	}
}

func TestManifestIgnore(t *testing.T) {
	dir := write(t, map[string]string{
		"m.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n    parameter: {tier: Standard, type: String}\n    ignore: [parameter-tier]\n    policy: {Version: '2012-10-17', Statement: []}\n",
	})
	rep := run(t, newEngine(t, Config{}), input.Context{}, filepath.Join(dir, "m.yaml"))
	if got := only(rep, "parameter-tier"); len(got) != 0 {
		t.Errorf("ignored rule reported: %v", got)
	}
	if len(rep.Suppressed) != 1 || rep.Suppressed[0].Rule != "parameter-tier" || !strings.HasSuffix(rep.Suppressed[0].By, "m.yaml:4") {
		t.Errorf("suppressed = %+v", rep.Suppressed)
	}
}

// TestUnknownValuesAreNotGuessed checks that a value known only at deploy time gets no schema
// finding, and that findings show the unknown part of an ARN in words.
func TestUnknownValuesAreNotGuessed(t *testing.T) {
	e := newEngine(t, Config{})
	res, err := newReader(t, input.Context{}).Read(jsonpos.NewFile("p.json", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "`+input.Unknown+`", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "*"}]}`)))
	if err != nil || len(res.Targets) != 1 {
		t.Fatal(err)
	}
	tg := res.Targets[0]
	tg.ARN = input.Fact{Value: "arn:aws:ssm:" + input.Unknown + ":111122223333:parameter/x", Known: true}
	found, err := e.Check(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if f.Rule == "schema" {
			t.Errorf("schema finding on an unknown value: %s", f.Message)
		}
		if strings.Contains(f.Resource, input.Unknown) || !strings.Contains(f.Resource, "<unknown>") {
			t.Errorf("resource shown as %q", f.Resource)
		}
	}
	if len(found) == 0 {
		t.Fatal("no findings to inspect")
	}
}
