package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Seeded SecureString values: no output of any run may contain them.
const (
	secretDB     = "s3cr3t-VALUE-db-password-2f8e41"
	secretLegacy = "s3cr3t-VALUE-legacy-token-93ab07"
)

const partner = "444455556666"

// world is one test's fake AWS, seeded parameters and working directory. Runs go through
// RunEnv in process, with the real SDK clients pointed at the fake by --endpoint-url and
// credentials from the environment.
type world struct {
	t    *testing.T
	fake *awsfake.Server
	dir  string
	// out collects everything every run printed, for the secrets assertions.
	out *bytes.Buffer

	db     awsfake.Parameter // SecureString, Advanced, customer key alias/app-secrets
	web    awsfake.Parameter // String, Standard
	legacy awsfake.Parameter // SecureString, Advanced, AWS managed key behind alias/legacy
	api    awsfake.Parameter // String, Advanced
	cfg    awsfake.Parameter // String, Advanced
	appKey awsfake.Key
}

// isolateAWS keeps the developer's AWS setup out of a test, and nothing can reach AWS: fake
// credentials and region from the environment, nothing else.
func isolateAWS(t *testing.T) {
	t.Helper()
	awsfake.Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.SecretAccessKey)
	t.Setenv("AWS_REGION", awsfake.DefaultRegion)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	isolateAWS(t)
	w := &world{t: t, fake: awsfake.StartTest(t), dir: t.TempDir(), out: &bytes.Buffer{}}
	t.Chdir(w.dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.appKey, err = w.fake.AddKey(awsfake.Key{Aliases: []string{"alias/app-secrets"}})
	must(err)
	// An AWS managed key whose alias does not say so: only KMS's KeyManager tells.
	_, err = w.fake.AddKey(awsfake.Key{Manager: awsfake.KeyManagerAWS, Aliases: []string{"alias/legacy"}})
	must(err)
	w.db, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretDB})
	must(err)
	w.web, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/web", Tier: awsfake.TierStandard, Value: "value-of-web"})
	must(err)
	w.legacy, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/legacy", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/legacy", Value: secretLegacy})
	must(err)
	w.api, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/api", Tier: awsfake.TierAdvanced, Value: "value-of-api"})
	must(err)
	w.cfg, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/cfg", Tier: awsfake.TierAdvanced, Value: "value-of-cfg"})
	must(err)
	return w
}

// result is what one run did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// runOpts is how a run's surroundings differ from a pipeline's.
type runOpts struct {
	stdin    string
	terminal bool // standard input is a terminal
	ctx      context.Context
}

// run runs `ssmpolicy CMD --endpoint-url FAKE ARGS...` in the world's directory.
func (w *world) run(args ...string) result {
	w.t.Helper()
	return w.runWith(runOpts{}, args...)
}

func (w *world) runWith(o runOpts, args ...string) result {
	w.t.Helper()
	env, out, errb := testEnv(w.dir, o.stdin)
	env.StdinIsTerminal = func() bool { return o.terminal }
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	full := append([]string{args[0], "--endpoint-url", w.fake.URL()}, args[1:]...)
	code := RunEnv(ctx, full, env)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	fmt.Fprintf(w.out, "$ ssmpolicy %s\n%s\n", strings.Join(full, " "), r)
	assertNoSecrets(w.t, r.String())
	return r
}

// assertNoSecrets fails the test if s holds a seeded SecureString value or the fake secret key.
func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretDB, secretLegacy, awsfake.SecretAccessKey} {
		if strings.Contains(s, secret) {
			t.Fatalf("output holds a secret (%.10s...):\n%s", secret, s)
		}
	}
}

// write writes a file under the world's directory.
func (w *world) write(name, content string) string {
	w.t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return name
}

// sharePolicy is a policy that passes every check: the partner account reads the parameter
// with exactly the actions of a RAM managed permission.
func sharePolicy(arn string, accounts ...string) string {
	if len(accounts) == 0 {
		accounts = []string{partner}
	}
	b, _ := json.MarshalIndent(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "PartnerReads", "Effect": "Allow",
			"Principal": map[string]any{"AWS": accounts},
			"Action":    []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"},
			"Resource":  arn,
		}},
	}, "", "  ")
	return string(b) + "\n"
}

// entry is one resource of a manifest.
type entry struct {
	arn                string
	tier, typ, keyID   string
	policyFile, policy string // a file name, or an inline JSON string
}

// manifest writes a manifest (and the entries' policy files) and returns its name.
func (w *world) manifest(name string, entries ...entry) string {
	w.t.Helper()
	var b strings.Builder
	b.WriteString("resources:\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "  - arn: %s\n", e.arn)
		if e.tier != "" || e.typ != "" || e.keyID != "" {
			b.WriteString("    parameter:\n")
			for _, kv := range [][2]string{{"tier", e.tier}, {"type", e.typ}, {"keyId", e.keyID}} {
				if kv[1] != "" {
					fmt.Fprintf(&b, "      %s: %s\n", kv[0], kv[1])
				}
			}
		}
		if e.policyFile != "" {
			w.write(filepath.Join(filepath.Dir(name), e.policyFile), e.policy)
			fmt.Fprintf(&b, "    policy: %s\n", e.policyFile)
		} else {
			fmt.Fprintf(&b, "    policy: %q\n", strings.TrimSpace(e.policy))
		}
	}
	return w.write(name, b.String())
}

// checkJSON is the part of `check -o json` the tests read.
type checkJSON struct {
	Findings []finding.Finding `json:"findings"`
	Errors   []finding.Failure `json:"errors"`
}

func decodeCheck(t *testing.T, r result) checkJSON {
	t.Helper()
	var c checkJSON
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, r)
	}
	return c
}

func findingsOf(c checkJSON, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range c.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// lineOf returns the 1-based line of the first line of file holding text.
func (w *world) lineOf(file, text string) int {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, file))
	if err != nil {
		w.t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	w.t.Fatalf("%s has no line with %q", file, text)
	return 0
}

// TestLiveFactsWin: the manifest calls a Standard parameter Advanced; --live reports the
// mismatch at the manifest's tier line and parameter-tier from AWS's value, there too. A
// SecureString under an AWS managed key whose alias does not say so is caught by KeyManager.
func TestLiveFactsWin(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml",
		entry{arn: w.web.ARN, tier: "Advanced", typ: "String", policyFile: "web.json", policy: sharePolicy(w.web.ARN)},
		entry{arn: w.legacy.ARN, tier: "Advanced", typ: "SecureString", keyID: "alias/legacy", policyFile: "legacy.json", policy: sharePolicy(w.legacy.ARN)},
	)

	// Without --live the files are believed: nothing to report.
	if r := w.run("check", m); r.code != 0 {
		t.Fatalf("offline check:\n%s", r)
	}
	if n := w.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("check without --live made %d AWS calls", n)
	}

	r := w.run("check", "--live", "-o", "json", m)
	if r.code != ExitFindings {
		t.Fatalf("want exit 1:\n%s", r)
	}
	c := decodeCheck(t, r)
	tierLine := w.lineOf(m, "tier: Advanced")

	mm := findingsOf(c, "context-mismatch")
	if len(mm) != 1 {
		t.Fatalf("context-mismatch findings %+v, want 1\n%s", mm, r)
	}
	if mm[0].Level != finding.Warning || mm[0].File != m || mm[0].Start.Line != tierLine ||
		mm[0].Message != "the manifest says tier Advanced, AWS says Standard: the checks used AWS's" {
		t.Fatalf("context-mismatch %+v, want at %s:%d", mm[0], m, tierLine)
	}
	pt := findingsOf(c, "parameter-tier")
	if len(pt) != 1 || pt[0].Start.Line != tierLine || !strings.Contains(pt[0].Message, "Standard") || pt[0].Resource != w.web.ARN {
		t.Fatalf("parameter-tier %+v, want one at line %d from the live Standard", pt, tierLine)
	}
	sk := findingsOf(c, "securestring-key")
	if len(sk) != 1 || sk[0].Resource != w.legacy.ARN || !strings.Contains(sk[0].Message, "KeyManager is AWS") ||
		sk[0].Start.Line != w.lineOf(m, "keyId: alias/legacy") {
		t.Fatalf("securestring-key %+v, want one from KeyManager at the keyId line", sk)
	}
	if len(c.Findings) != 3 {
		t.Fatalf("findings %+v, want exactly those three", c.Findings)
	}
	if n := w.fake.Count(awsfake.OpDescribeParameters); n != 2 {
		t.Fatalf("%d DescribeParameters, want 2", n)
	}

	// The text output points at the manifest line too.
	r = w.run("check", "--live", m)
	want := fmt.Sprintf("%s:%d:", m, tierLine)
	if !strings.Contains(r.stdout, want+"13: warning context-mismatch: the manifest says tier Advanced, AWS says Standard") {
		t.Fatalf("text output lacks the mismatch at %s:\n%s", want, r)
	}
}

// TestLiveFillsMissingFacts: a manifest without facts gets them from AWS; no context-missing,
// no mismatch; a raw policy file with --resource-arn too.
func TestLiveFillsMissingFacts(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", entry{arn: w.db.ARN, policyFile: "db.json", policy: sharePolicy(w.db.ARN)})
	if r := w.run("check", "-o", "json", m); r.code != 0 || len(findingsOf(decodeCheck(t, r), "context-missing")) != 1 {
		t.Fatalf("offline: want one context-missing (a warning):\n%s", r)
	}
	r := w.run("check", "--live", "-o", "json", m)
	if c := decodeCheck(t, r); r.code != 0 || len(c.Findings) != 0 {
		t.Fatalf("with --live the facts are known and good:\n%s", r)
	}

	// A flag that AWS contradicts: the mismatch names the flag, at the policy's start.
	p := w.write("web.json", sharePolicy(w.web.ARN))
	r = w.run("check", "--live", "-o", "json", "--resource-arn", w.web.ARN, "--tier", "Advanced", p)
	c := decodeCheck(t, r)
	mm := findingsOf(c, "context-mismatch")
	if r.code != ExitFindings || len(mm) != 1 || mm[0].Message != "--tier says tier Advanced, AWS says Standard: the checks used AWS's" ||
		mm[0].File != p || mm[0].Start.Line != 1 || len(findingsOf(c, "parameter-tier")) != 1 {
		t.Fatalf("flag mismatch:\n%s", r)
	}
}

// TestLiveKeySpellings: the same key written another way is no mismatch; another key is.
func TestLiveKeySpellings(t *testing.T) {
	w := newWorld(t)
	// The key ARN is what DescribeKey returned for the parameter's alias: no second call.
	m := w.manifest("ssmpolicy.yaml",
		entry{arn: w.db.ARN, tier: "Advanced", typ: "SecureString", keyID: w.appKey.ARN, policyFile: "db.json", policy: sharePolicy(w.db.ARN)})
	r := w.run("check", "--live", "-o", "json", m)
	if c := decodeCheck(t, r); r.code != 0 || len(c.Findings) != 0 || w.fake.Count(awsfake.OpDescribeKey) != 1 {
		t.Fatalf("the key ARN of alias/app-secrets is the same key:\n%s", r)
	}
	// The bare key id is resolved with DescribeKey.
	w.fake.ResetCalls()
	m = w.manifest("id.yaml",
		entry{arn: w.db.ARN, tier: "Advanced", typ: "SecureString", keyID: w.appKey.KeyID, policyFile: "db.json", policy: sharePolicy(w.db.ARN)})
	r = w.run("check", "--live", "-o", "json", m)
	if c := decodeCheck(t, r); r.code != 0 || len(c.Findings) != 0 {
		t.Fatalf("the key id of alias/app-secrets is the same key:\n%s", r)
	}
	if n := w.fake.Count(awsfake.OpDescribeKey); n != 2 {
		t.Fatalf("%d DescribeKey, want 2 (the parameter's key and the manifest's spelling)", n)
	}

	other, err := w.fake.AddKey(awsfake.Key{Aliases: []string{"alias/other"}})
	if err != nil {
		t.Fatal(err)
	}
	m = w.manifest("other.yaml",
		entry{arn: w.db.ARN, tier: "Advanced", typ: "SecureString", keyID: "alias/other", policyFile: "db.json", policy: sharePolicy(w.db.ARN)})
	r = w.run("check", "--live", "-o", "json", m)
	mm := findingsOf(decodeCheck(t, r), "context-mismatch")
	if len(mm) != 1 || mm[0].Message != "the manifest says key alias/other, AWS says alias/app-secrets: the checks used AWS's" ||
		mm[0].Start.Line != w.lineOf(m, "keyId:") {
		t.Fatalf("another key (%s) is a mismatch:\n%s", other.KeyID, r)
	}
}

// TestLiveMissingParameter: a parameter AWS does not have is a finding, not a crash.
func TestLiveMissingParameter(t *testing.T) {
	w := newWorld(t)
	arn := awsfake.ParameterARN("aws", awsfake.DefaultRegion, awsfake.DefaultAccount, "/app/nope")
	m := w.manifest("ssmpolicy.yaml", entry{arn: arn, tier: "Advanced", typ: "String", policyFile: "nope.json", policy: sharePolicy(arn)})
	r := w.run("check", "--live", "-o", "json", m)
	c := decodeCheck(t, r)
	nf := findingsOf(c, "resource-not-found")
	if r.code != ExitFindings || len(nf) != 1 || nf[0].Level != finding.Error || nf[0].Start.Line != w.lineOf(m, "arn:") ||
		!strings.Contains(nf[0].Message, "AWS has no parameter /app/nope in region us-east-1") || len(c.Errors) != 0 {
		t.Fatalf("want one resource-not-found at the arn line and exit 1:\n%s", r)
	}
}

// TestLiveOneLookupPerARN: several targets for one parameter, checked by several workers at
// once, make one lookup.
func TestLiveOneLookupPerARN(t *testing.T) {
	w := newWorld(t)
	var names []string
	for i := range 6 {
		names = append(names, w.manifest(fmt.Sprintf("m%d/ssmpolicy.yaml", i),
			entry{arn: w.db.ARN, policyFile: "db.json", policy: sharePolicy(w.db.ARN)},
			entry{arn: w.api.ARN, policyFile: "api.json", policy: sharePolicy(w.api.ARN)}))
	}
	r := w.run(append([]string{"check", "--live", "--workers", "4"}, names...)...)
	if r.code != 0 {
		t.Fatalf("check:\n%s", r)
	}
	if n := w.fake.Count(awsfake.OpDescribeParameters); n != 2 {
		t.Fatalf("%d DescribeParameters for 2 parameters named 12 times, want 2", n)
	}
	if n := w.fake.Count(awsfake.OpDescribeKey); n != 1 {
		t.Fatalf("%d DescribeKey, want 1", n)
	}
}

// TestLiveAWSFailure: a failing AWS call is a run failure (exit 2) that names the target.
func TestLiveAWSFailure(t *testing.T) {
	w := newWorld(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "2") // the retries themselves are tested with throttling
	m := w.manifest("ssmpolicy.yaml", entry{arn: w.api.ARN, policyFile: "api.json", policy: sharePolicy(w.api.ARN)})
	w.fake.FailInternal(awsfake.OpDescribeParameters, 2)
	r := w.run("check", "--live", m)
	want := fmt.Sprintf("ssmpolicy: %s: %s (%s:%d): --live lookup: describe parameter /app/api: InternalServerError", m, w.api.ARN, m, w.lineOf(m, "arn:"))
	if r.code != ExitError || !strings.Contains(r.stderr, want) || !strings.Contains(r.stdout, "1 file could not be checked") {
		t.Fatalf("want exit 2 and %q:\n%s", want, r)
	}

	// No region configured: the ARN names one, and the lookup goes there.
	os.Unsetenv("AWS_REGION")
	w.fake.ResetCalls()
	r = w.run("check", "--live", m)
	if r.code != 0 || w.fake.Count(awsfake.OpDescribeParameters) == 0 {
		t.Fatalf("want the lookup in the ARN's region:\n%s", r)
	}
	t.Setenv("AWS_REGION", awsfake.DefaultRegion)

	// A target of another region is looked up in its own region, with no --region.
	other := awsfake.ParameterARN("aws", "eu-west-1", awsfake.DefaultAccount, "/app/eu")
	m = w.manifest("eu.yaml", entry{arn: other, policyFile: "eu.json", policy: sharePolicy(other)})
	if r := w.run("check", "--live", m); r.code != ExitFindings || !strings.Contains(r.stdout, "resource-not-found") ||
		!strings.Contains(r.stdout, "in region eu-west-1") {
		t.Fatalf("the lookup runs in eu-west-1 (and the fake has no such parameter there):\n%s", r)
	}
}

// TestLiveDebug: --debug traces each call and attempt, and nothing of their content.
func TestLiveDebug(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", entry{arn: w.db.ARN, policyFile: "db.json", policy: sharePolicy(w.db.ARN)})
	w.fake.Throttle(awsfake.OpDescribeParameters, 1)
	r := w.run("check", "--live", "--debug", m)
	if r.code != 0 {
		t.Fatalf("check:\n%s", r)
	}
	for _, want := range []string{
		"aws:   SSM DescribeParameters attempt: HTTP 400 in ",
		"aws:   SSM DescribeParameters attempt: HTTP 200 in ",
		"aws: SSM DescribeParameters ok in ", "(2 attempts)",
		"aws: KMS DescribeKey ok in ", "(1 attempt)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	for _, never := range []string{awsfake.AccessKeyID, "Authorization", "X-Amz", "/app/db", "alias/app-secrets", "{"} {
		if strings.Contains(r.stderr, never) {
			t.Errorf("--debug printed %q", never)
		}
	}
	if t.Failed() {
		t.Log(r)
	}
}
