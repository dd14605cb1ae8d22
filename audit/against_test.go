package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func loadIndex(t *testing.T) *audit.Index {
	t.Helper()
	reader, err := input.NewReader(input.Context{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("testdata/against") // manifests name their policy files relative to themselves
	ix, fails := audit.LoadIndex(reader, []string{"."})
	if len(fails) > 0 {
		t.Fatalf("index: %v", fails)
	}
	return ix
}

// TestAuditAgainst: compared with the repository, a policy equal in meaning is no finding,
// a changed one is share-drift naming what it grants beyond the file, one no file describes
// is share-outside-repo, a declaration's ignore list applies to the deployed policy, and a
// templated declaration describes the resource without being compared.
func TestAuditAgainst(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	arns := map[string]string{}
	for _, name := range []string{"same", "drifted", "public", "templated", "stray"} {
		p, err := f.AddParameter(awsfake.Parameter{Name: "/app/" + name, Tier: awsfake.TierAdvanced})
		if err != nil {
			t.Fatal(err)
		}
		arns[name] = p.ARN
		principal := `{"AWS":"arn:aws:iam::` + consumer + `:root"}`
		actions := []string(nil)
		switch name {
		case "drifted":
			principal = `{"AWS":["` + consumer + `","` + outsider + `"]}`
			actions = []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory"}
		case "public":
			principal = `"*"`
		}
		if _, err := f.AddPolicy(p.ARN, policyFor(p.ARN, principal, actions...)); err != nil {
			t.Fatal(err)
		}
		for _, sh := range f.Home().SharesOf(p.ARN) {
			if err := f.Home().PromoteShare(sh.ARN); err != nil {
				t.Fatal(err)
			}
		}
	}
	ix := loadIndex(t)
	if ix.Files != 4 {
		t.Errorf("read %d files, want 4 (the manifest, two policies, the template)", ix.Files)
	}
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")},
		audit.Options{Engine: engine(t, consumer), Against: ix})
	if len(res.Report.Failures) > 0 {
		t.Fatal(res.Report.Failures)
	}
	want := map[string][]string{
		"same": nil, "templated": nil, "public": nil,
		"drifted": {"principal-account-not-allowed", rules.ShareDrift},
		"stray":   {rules.ShareOutsideRepo},
	}
	for name, rs := range want {
		if got := findingsOn(res.Report, arns[name]); !slices.Equal(got, rs) {
			t.Errorf("%s: findings %v, want %v", name, got, rs)
		}
	}
	drift := only(t, res.Report, rules.ShareDrift)
	for _, part := range []string{"manifest.yaml:16", "principals 999999999999", "actions ssm:GetParameterHistory"} {
		if !strings.Contains(drift.Message, part) {
			t.Errorf("drift message lacks %q: %s", part, drift.Message)
		}
	}
	if stray := only(t, res.Report, rules.ShareOutsideRepo); stray.Start.Line != 1 || stray.Start.Column != 1 {
		t.Errorf("share-outside-repo at %+v, want the start of the policy", stray.Start)
	}
	sup := res.Report.Suppressed
	if len(sup) != 1 || sup[0].Rule != "principal-wildcard" || !strings.HasPrefix(sup[0].By, "manifest.yaml:") {
		t.Errorf("suppressed %+v, want principal-wildcard by the manifest entry", sup)
	}
	if row := rowOf(t, res, arns["stray"]); row.DescribedBy == nil || len(row.DescribedBy) != 0 {
		t.Errorf("stray describedBy %v, want []", row.DescribedBy)
	}
	if row := rowOf(t, res, arns["templated"]); len(row.DescribedBy) != 1 || !strings.HasPrefix(row.DescribedBy[0], "template.yaml:") {
		t.Errorf("templated describedBy %v", row.DescribedBy)
	}
}

func only(t *testing.T, rep *finding.Report, rule string) finding.Finding {
	t.Helper()
	var out []finding.Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s findings, want 1: %+v", len(out), rule, out)
	}
	return out[0]
}

// TestLoadIndexFailures: a path that does not exist is a failure, not an empty index.
func TestLoadIndexFailures(t *testing.T) {
	reader, err := input.NewReader(input.Context{})
	if err != nil {
		t.Fatal(err)
	}
	_, fails := audit.LoadIndex(reader, []string{filepath.Join(t.TempDir(), "missing")})
	if len(fails) != 1 || !strings.Contains(fails[0].Message, "--against") {
		t.Errorf("failures %v", fails)
	}
}

// TestAuditConfigSuppression: a configuration ignore entry matches a deployed policy by its
// resource ARN, wherever the configuration file is.
func TestAuditConfigSuppression(t *testing.T) {
	isolate(t)
	f := awsfake.StartTest(t)
	p, err := f.AddParameter(awsfake.Parameter{Name: "/legacy/token", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddPolicy(p.ARN, policyFor(p.ARN, `"*"`)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), ".ssmpolicy.yaml")
	if err := os.WriteFile(path, []byte("ignore:\n  - rule: principal-wildcard\n    files: [\"arn:aws:ssm:*:111122223333:parameter/legacy/**\"]\n    reason: legacy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res := audit.Run(context.Background(), []audit.Scope{scope(t, f, owner, "us-east-1")},
		audit.Options{Engine: engine(t), Ignores: cfg.Suppressor(time.Now())})
	if got := findingsOn(res.Report, p.ARN); slices.Contains(got, "principal-wildcard") {
		t.Errorf("findings %v: the ignore entry did not apply", got)
	}
	if len(res.Report.Suppressed) != 1 || res.Report.Suppressed[0].Reason != "legacy" {
		t.Errorf("suppressed %+v", res.Report.Suppressed)
	}
}
