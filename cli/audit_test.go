package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// auditWorld is a fake organisation: two owner accounts in two regions, seeded with shared
// parameters and the planted problems, a role to audit each account through, and a working
// directory with the configuration, the accounts file and a manifest of what is shared.
type auditWorld struct {
	t    *testing.T
	fake *awsfake.Server
	dir  string
	seed awsfake.SeedReport
	// drifted is a clean parameter whose policy was changed in AWS after the manifest was
	// written; unlisted one that no manifest names.
	drifted, unlisted string
}

const second = "222233334444"

// auditReads are the only operations an audit may call.
var auditReads = []string{
	awsfake.OpGetCallerIdentity, awsfake.OpAssumeRole, awsfake.OpGetResourceShares, awsfake.OpListResources,
	awsfake.OpDescribeParameters, awsfake.OpGetResourcePolicies, awsfake.OpDescribeKey,
}

func newAuditWorld(t *testing.T) *auditWorld {
	t.Helper()
	isolateAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", "")
	w := &auditWorld{t: t, fake: awsfake.StartTest(t, awsfake.WithStrictAccessKeys()), dir: t.TempDir()}
	t.Chdir(w.dir)
	spec := awsfake.DefaultSeedSpec(120)
	spec.Accounts, spec.Regions, spec.Role = []string{awsfake.DefaultAccount, second}, []string{"us-east-1", "eu-west-1"}, "SsmPolicyAudit"
	var err error
	if w.seed, err = w.fake.Seed(spec); err != nil {
		t.Fatal(err)
	}

	// The manifest describes every seeded policy as it was deployed, re-encoded (keys sorted,
	// indented) so that only a comparison as parsed JSON finds them equal.
	var entries []map[string]any
	for _, acct := range spec.Accounts {
		for _, region := range spec.Regions {
			st := w.fake.At(acct, region)
			for _, sh := range st.Shares() {
				for _, p := range st.Policies(sh.ResourceARN) {
					var doc any
					if err := json.Unmarshal([]byte(p.Document), &doc); err != nil {
						t.Fatal(err)
					}
					entries = append(entries, map[string]any{"arn": sh.ResourceARN, "policy": doc})
				}
			}
		}
	}
	manifest, err := json.MarshalIndent(map[string]any{"resources": entries}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	w.write("infra/manifest.json", string(manifest))

	// Then AWS moves on: a clean policy gains an action, and a parameter is shared by hand.
	w.drifted = w.seed.Clean[0]
	acct, region := arnAccount(w.drifted), arnRegion(w.drifted)
	st := w.fake.At(acct, region)
	pol := st.Policies(w.drifted)[0]
	changed := strings.Replace(pol.Document, `"ssm:GetParameters"]`, `"ssm:GetParameters","ssm:GetParameterHistory"]`, 1)
	if _, err := st.WritePolicy(w.drifted, pol.ID, changed); err != nil {
		t.Fatal(err)
	}
	p, err := w.fake.At(second, "us-east-1").AddParameter(awsfake.Parameter{Name: "/byhand/token", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	w.unlisted = p.ARN
	home := w.fake.At(second, "us-east-1")
	if _, err := home.AddPolicy(p.ARN, sharePolicy(p.ARN, partner)); err != nil {
		t.Fatal(err)
	}
	for _, sh := range home.SharesOf(p.ARN) {
		if err := home.PromoteShare(sh.ARN); err != nil {
			t.Fatal(err)
		}
	}

	w.write(".ssmpolicy.yaml", fmt.Sprintf("accounts:\n  allowed: [%q, %q, %q]\n", partner, awsfake.DefaultAccount, second))
	w.write("accounts.txt", "# the organisation\n"+awsfake.DefaultAccount+" home\n"+second+" second\n")
	return w
}

func arnAccount(arn string) string { return strings.Split(arn, ":")[4] }
func arnRegion(arn string) string  { return strings.Split(arn, ":")[3] }

func (w *auditWorld) write(name, content string) {
	w.t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs `ssmpolicy audit --endpoint-url FAKE ARGS...` in process.
func (w *auditWorld) run(args ...string) result {
	w.t.Helper()
	env, out, errb := testEnv(w.dir, "")
	full := append([]string{"audit", "--endpoint-url", w.fake.URL()}, args...)
	code := RunEnv(context.Background(), full, env)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if strings.Contains(r.String(), awsfake.SecretAccessKey) {
		w.t.Fatalf("output holds the secret key:\n%s", r)
	}
	return r
}

func (w *auditWorld) orgArgs(more ...string) []string {
	return append([]string{"--role-arn", "arn:aws:iam::{account}:role/SsmPolicyAudit", "--accounts", "accounts.txt",
		"--region", "us-east-1", "--region", "eu-west-1", "--against", "infra"}, more...)
}

func rulesOn(doc audit.Document, arn string) []string {
	var out []string
	for _, f := range doc.Findings {
		if f.Resource == arn {
			out = append(out, f.Rule)
		}
	}
	return out
}

// TestAuditEndToEnd is issue 16's "done when": through the real SDK clients, assuming a role
// in each account of an --accounts file, in two regions, against a manifest, the audit finds
// every planted problem (wildcard principal, unpromoted share, AWS managed key, account
// outside the allow list), the drift and the share made outside the repository, nothing on
// the clean resources, and calls nothing that writes.
func TestAuditEndToEnd(t *testing.T) {
	w := newAuditWorld(t)
	r := w.run(w.orgArgs("-o", "json")...)
	if r.code != ExitFindings {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r)
	}
	var doc audit.Document
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not the audit JSON: %v\n%s", err, r)
	}
	if len(doc.Errors) > 0 {
		t.Fatalf("errors: %+v", doc.Errors)
	}
	want := map[string]string{
		awsfake.ProblemWildcardPrincipal: "principal-wildcard",
		awsfake.ProblemUnpromotedShare:   rules.ShareNotPromoted,
		awsfake.ProblemAWSManagedKey:     "securestring-key",
		awsfake.ProblemOutsideAccount:    "principal-account-not-allowed",
	}
	planted := map[string]bool{}
	for _, p := range w.seed.Planted {
		planted[p.Problem] = true
		if got := rulesOn(doc, p.ARN); !slices.Contains(got, want[p.Problem]) {
			t.Errorf("%s (%s): findings %v, want %s", p.ARN, p.Problem, got, want[p.Problem])
		}
	}
	if len(planted) != len(want) {
		t.Fatalf("the seed planted only %v", planted)
	}
	if got := rulesOn(doc, w.drifted); !slices.Equal(got, []string{rules.ShareDrift}) {
		t.Errorf("drifted %s: findings %v", w.drifted, got)
	}
	if got := rulesOn(doc, w.unlisted); !slices.Equal(got, []string{rules.ShareOutsideRepo}) {
		t.Errorf("unlisted %s: findings %v", w.unlisted, got)
	}
	for _, arn := range w.seed.Clean[1:] {
		if got := rulesOn(doc, arn); len(got) > 0 {
			t.Errorf("clean %s: findings %v", arn, got)
		}
	}
	for _, f := range doc.Findings {
		if f.Rule == rules.ShareDrift && !strings.Contains(f.Message, "actions ssm:GetParameterHistory") {
			t.Errorf("drift message: %s", f.Message)
		}
	}

	if len(doc.Scopes) != 4 || len(doc.Inventory) != w.seed.Policies+1 {
		t.Errorf("%d scopes, %d rows; want 4 and %d", len(doc.Scopes), len(doc.Inventory), w.seed.Policies+1)
	}
	for _, s := range doc.Scopes {
		if !s.Complete || !strings.HasPrefix(s.Via, "role arn:aws:iam::"+s.Account+":role/SsmPolicyAudit") {
			t.Errorf("scope %+v", s)
		}
	}
	for _, c := range w.fake.Calls() {
		if !slices.Contains(auditReads, c.Operation) {
			t.Errorf("audit called %s %s: not a read", c.Service, c.Operation)
		}
	}
	if n := w.fake.Count(awsfake.OpAssumeRole); n != 2 {
		t.Errorf("%d AssumeRole calls, want one per account", n)
	}
	if n := w.fake.Count(awsfake.OpPutResourcePolicy) + w.fake.Count(awsfake.OpDeleteResourcePolicy); n != 0 {
		t.Errorf("%d writes", n)
	}
}

// TestAuditFormats: the text inventory comes first, then the findings; SARIF locates each
// finding by resource ARN and JSON pointer; markdown is a report with the inventory.
func TestAuditFormats(t *testing.T) {
	w := newAuditWorld(t)
	text := w.run(w.orgArgs()...)
	lines := strings.Split(text.stdout, "\n")
	if text.code != ExitFindings || !strings.HasPrefix(lines[0], "ssmpolicy audit of 2 accounts in 2 regions (4 accounts and regions)") ||
		!strings.HasPrefix(lines[2], "RESOURCE ") {
		t.Fatalf("text:\n%s", text)
	}
	if !strings.Contains(text.stdout, "warning share-drift:") || !strings.Contains(text.stdout, " created from policy ") {
		t.Errorf("text lacks the drift finding or an unpromoted row:\n%s", text.stdout)
	}

	sarif := w.run(w.orgArgs("-o", "sarif")...)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Properties map[string]string `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarif.stdout), &log); err != nil || sarif.code != ExitFindings {
		t.Fatalf("sarif: %v\n%s", err, sarif)
	}
	wildcards := 0
	for _, res := range log.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if !strings.HasPrefix(uri, "arn:aws:ssm:") || res.Properties["resource"] != uri {
			t.Errorf("%s located at %q (resource %q)", res.RuleID, uri, res.Properties["resource"])
		}
		if res.RuleID == "principal-wildcard" {
			wildcards++
			if res.Properties["pointer"] != "/Statement/0/Principal" {
				t.Errorf("principal-wildcard pointer %q", res.Properties["pointer"])
			}
		}
	}
	if wildcards == 0 {
		t.Error("no principal-wildcard result in the SARIF log")
	}

	md := w.run(w.orgArgs("-o", "markdown")...)
	for _, part := range []string{"## SSM resource policies shared", "| Resource | Region | Accounts granted | Actions | Share | Findings |", "### ssmpolicy\n"} {
		if !strings.Contains(md.stdout, part) {
			t.Errorf("markdown lacks %q", part)
		}
	}
}

// TestAuditExitCodes: 0 for a clean account, 1 with findings at or above --fail-on, 2 when
// the audit could not do its job or was called wrongly.
func TestAuditExitCodes(t *testing.T) {
	isolateAWS(t)
	fake := awsfake.StartTest(t)
	dir := t.TempDir()
	t.Chdir(dir)
	run := func(args ...string) result {
		env, out, errb := testEnv(dir, "")
		code := RunEnv(context.Background(), append([]string{"audit", "--endpoint-url", fake.URL()}, args...), env)
		return result{code: code, stdout: out.String(), stderr: errb.String()}
	}
	p, err := fake.AddParameter(awsfake.Parameter{Name: "/app/cfg", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.AddPolicy(p.ARN, sharePolicy(p.ARN, partner)); err != nil {
		t.Fatal(err)
	}
	// The share is not promoted: a warning, below the default --fail-on.
	if r := run(); r.code != ExitOK || !strings.Contains(r.stdout, "1 finding (1 warning)") {
		t.Errorf("clean at the default --fail-on:\n%s", r)
	}
	if r := run("--fail-on", "warning"); r.code != ExitFindings {
		t.Errorf("--fail-on warning:\n%s", r)
	}
	fake.DenyAccess(awsfake.OpDescribeParameters, 10)
	if r := run(); r.code != ExitError || !strings.Contains(r.stderr, "AccessDenied") {
		t.Errorf("listing denied:\n%s", r)
	}
	for _, args := range [][]string{
		{"--accounts", "a.txt"},
		{"--role-arn", "arn:aws:iam::{account}:role/R"},
		{"--role-arn", "arn:aws:iam::123:role/R"},
		{"--concurrency", "0"},
		{"--role-arn", "arn:aws:iam::111122223333:role/R", "--session-name", "x"},
		{"--resource-arn", p.ARN},
		{"-o", "yaml"},
		{"extra-argument"},
	} {
		if r := run(args...); r.code != ExitError || r.stderr == "" {
			t.Errorf("%v: exit %d, want 2 with a message:\n%s", args, r.code, r)
		}
	}
	var buf bytes.Buffer
	env, _, _ := testEnv(dir, "")
	env.Stdout = &buf
	if code := RunEnv(context.Background(), []string{"audit", "--endpoint-url", fake.URL(), "-o", "json", "--accounts", "a.txt"}, env); code != ExitError {
		t.Errorf("early failure in JSON: exit %d", code)
	}
	var early finding.Report
	if err := json.Unmarshal(buf.Bytes(), &early); err != nil || len(early.Failures) != 1 {
		t.Errorf("an early failure in -o json is still a JSON document: %v\n%s", err, buf.String())
	}
}

// TestAuditProfiles: each --profile is an account, read from the shared configuration files.
func TestAuditProfiles(t *testing.T) {
	isolateAWS(t)
	fake := awsfake.StartTest(t, awsfake.WithStrictAccessKeys())
	for _, acct := range []string{awsfake.DefaultAccount, second} {
		if _, err := fake.At(acct, "eu-west-1").AddParameter(awsfake.Parameter{Name: "/p/" + acct, Tier: awsfake.TierAdvanced}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	t.Chdir(dir)
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte("[profile one]\nregion = eu-west-1\n[profile two]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte(fmt.Sprintf("[one]\naws_access_key_id = %s\naws_secret_access_key = x\n[two]\naws_access_key_id = %s\naws_secret_access_key = x\n",
		awsfake.AccessKeyFor(awsfake.DefaultAccount), awsfake.AccessKeyFor(second))), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	os.Unsetenv("AWS_REGION")
	env, out, errb := testEnv(dir, "")
	code := RunEnv(context.Background(), []string{"audit", "--endpoint-url", fake.URL(), "--profile", "one", "--profile", "two", "-o", "json"}, env)
	var doc audit.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errb)
	}
	var got []string
	for _, s := range doc.Scopes {
		got = append(got, s.Via+" "+s.Account+" "+s.Region)
		if s.Parameters != 1 {
			t.Errorf("%s: %d parameters listed, want its own 1", s.Via, s.Parameters)
		}
	}
	if !slices.Equal(got, []string{"profile one 111122223333 eu-west-1", "profile two 222233334444 eu-west-1"}) {
		t.Errorf("scopes %v", got)
	}
}
