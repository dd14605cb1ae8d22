package linter

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

const tierPolicy = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"},
  "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"}]}`

func findingOf(t *testing.T, rep *finding.Report, rule string) finding.Finding {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no %s finding in %+v", rule, rep.Findings)
	return finding.Finding{}
}

// A fact given by a flag is written nowhere: the finding says which flag gave it and shows no
// excerpt of the policy, which does not hold it.
func TestFactFromAFlag(t *testing.T) {
	dir := write(t, map[string]string{"p.json": tierPolicy})
	ctx := input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Standard"}
	f := findingOf(t, run(t, newEngine(t, Config{}), ctx, filepath.Join(dir, "p.json")), "parameter-tier")
	if f.Note != "tier from --tier" || !f.Source.Empty() {
		t.Errorf("note %q, excerpt %+v: want the flag named and no excerpt", f.Note, f.Source)
	}
	if f.Help == "" || strings.Contains(f.Message, "put-parameter") {
		t.Errorf("message %q, help %q: want the fix apart from the message", f.Message, f.Help)
	}
}

// A fact written in a manifest is pointed at, with its line: no note is needed.
func TestFactFromAManifest(t *testing.T) {
	dir := write(t, map[string]string{"ssmpolicy.yaml": `resources:
  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app
    parameter: {tier: Standard, type: String}
    policy: p.json
`, "p.json": tierPolicy})
	f := findingOf(t, run(t, newEngine(t, Config{}), input.Context{}, dir), "parameter-tier")
	if f.Note != "" || f.Start.Line != 3 || !strings.Contains(f.Source.Text, "tier: Standard") {
		t.Errorf("note %q at line %d, excerpt %q: want the manifest's tier line", f.Note, f.Start.Line, f.Source.Text)
	}
}

// TestExcerptsAreBounded checks that findings on a long line keep a window of it, not the
// line: a megabyte line with many findings would otherwise be held once per finding.
func TestExcerptsAreBounded(t *testing.T) {
	stmt := `{"Effect": "Allow", "Principal": "*", "Action": "ssm:*", "Resource": "*"}`
	var stmts []string
	for range 200 {
		stmts = append(stmts, stmt)
	}
	policy := `{"Version": "2012-10-17", "Statement": [` + strings.Join(stmts, ", ") + `]}`
	dir := write(t, map[string]string{"p.json": policy})
	rep := run(t, newEngine(t, Config{}), input.Context{}, filepath.Join(dir, "p.json"))
	if len(rep.Findings) < 200 {
		t.Fatalf("%d findings", len(rep.Findings))
	}
	for _, f := range rep.Findings {
		if n := len(f.Source.Text) + len(f.Source.Tail); n > finding.MaxExcerpt {
			t.Fatalf("%s at %d:%d keeps %d bytes of a %d-byte line", f.Rule, f.Start.Line, f.Start.Column, n, len(policy))
		}
	}
}
