package pipeline

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func TestTargetIgnores(t *testing.T) {
	m := jsonpos.NewFile("m.yaml", []byte("resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n    ignore: [parameter-tier]\n"))
	tg := &input.Target{Ignore: []input.IgnoreEntry{{Rule: "parameter-tier", Loc: input.Location{File: m, Span: jsonpos.Span{Start: 80, End: 94}}}}}
	b := &Batch{Target: tg, Findings: []finding.Finding{at("m.yaml", 5, "parameter-tier"), at("m.yaml", 6, "principal-self")}}
	TargetIgnores{}.Process(b)
	if got := describe(b.Findings); len(got) != 1 || !strings.Contains(got[0], "principal-self") {
		t.Errorf("kept %v", got)
	}
	if len(b.Suppressed) != 1 {
		t.Fatalf("suppressed %+v", b.Suppressed)
	}
	s := b.Suppressed[0]
	if s.Rule != "parameter-tier" || s.By != "m.yaml:3" || s.Reason != "ignored for this resource where it is declared" || s.Start.Offset != 5 {
		t.Errorf("suppressed %+v", s)
	}
	// Findings outside any target have no ignore list.
	none := &Batch{Findings: []finding.Finding{at("m.yaml", 5, "parameter-tier")}}
	TargetIgnores{}.Process(none)
	if len(none.Findings) != 1 || len(none.Suppressed) != 0 {
		t.Errorf("outside a target: kept %v, suppressed %v", describe(none.Findings), rulesOf(none.Suppressed))
	}
}

func TestSuppressions(t *testing.T) {
	dir := t.TempDir()
	c := configAt(t, dir, "ignore:\n  - files: [\"legacy/**\"]\n  - rule: principal-self\n    reason: on purpose\n")
	b := &Batch{Findings: []finding.Finding{
		at(filepath.Join(dir, "legacy", "a.json"), 1, "schema"),
		at(filepath.Join(dir, "x.json"), 2, "principal-self"),
		at(filepath.Join(dir, "x.json"), 3, "version"),
	}}
	Suppressions{c.Suppressor(time.Now())}.Process(b)
	if len(b.Findings) != 1 || b.Findings[0].Rule != "version" {
		t.Errorf("kept %v", describe(b.Findings))
	}
	reasons := map[string]string{}
	for _, s := range b.Suppressed {
		reasons[s.Rule] = s.Reason + " @ " + filepath.Base(s.By)
	}
	if reasons["schema"] != "files ignored: legacy/** @ "+config.FileName+":2" || reasons["principal-self"] != "on purpose @ "+config.FileName+":3" {
		t.Errorf("suppressed %v", reasons)
	}
}

func TestExpiry(t *testing.T) {
	dir := t.TempDir()
	c := configAt(t, dir, "ignore:\n  - rule: version\n    reason: old files\n    expires: 2020-01-31\n")
	sup := c.Suppressor(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(sup.Expired) != 1 {
		t.Fatalf("expired = %+v", sup.Expired)
	}
	set := builtin(t)
	docs := func() string { r, _ := set.Get(rules.SuppressionExpired); return r.DocsURL }()
	for _, tc := range []struct {
		override map[string]finding.Level
		want     []string
	}{
		{nil, []string{"a.json:0:schema:error", config.FileName + ":12:suppression-expired:warning"}},
		{map[string]finding.Level{rules.SuppressionExpired: finding.Error}, []string{"a.json:0:schema:error", config.FileName + ":12:suppression-expired:error"}},
		{map[string]finding.Level{rules.SuppressionExpired: finding.Ignore}, []string{"a.json:0:schema:error"}},
	} {
		l := levels(t, tc.override)
		b := &Batch{Findings: []finding.Finding{{File: "a.json", Rule: "schema", Level: finding.Error}}}
		Expiry{Expired: sup.Expired, Levels: l}.Process(b)
		for i := range b.Findings {
			b.Findings[i].File = filepath.Base(b.Findings[i].File)
		}
		if got := describe(b.Findings); !slices.Equal(got, tc.want) {
			t.Errorf("levels %v: %v, want %v", tc.override, got, tc.want)
		}
		if len(b.Findings) == 2 && b.Findings[1].Docs != docs {
			t.Errorf("expired entry docs %q, want %q", b.Findings[1].Docs, docs)
		}
	}
	if sup.Expired[0].Level != finding.Ignore {
		t.Errorf("the configuration's list was changed: %+v", sup.Expired[0])
	}
}
