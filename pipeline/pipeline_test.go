package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func builtin(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func levels(t *testing.T, overrides map[string]finding.Level) *Levels {
	t.Helper()
	l, err := NewLevels(builtin(t), overrides)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// at is a finding of rule in file at byte offset off of line 1.
func at(file string, off int, rule string) finding.Finding {
	return finding.Finding{File: file, Rule: rule, Message: rule + " fired",
		Start: jsonpos.Pos{Line: 1, Column: off + 1, Offset: off}, End: jsonpos.Pos{Line: 1, Column: off + 2, Offset: off + 1}}
}

// describe lists findings as "file:offset:rule:level".
func describe(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d:%s:%s", f.File, f.Start.Offset, f.Rule, f.Level))
	}
	return out
}

func rulesOf(fs []finding.Suppressed) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// configAt parses a configuration written in dir.
func configAt(t *testing.T, dir, src string) *config.Config {
	t.Helper()
	c, err := config.Parse(filepath.Join(dir, config.FileName), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStandardOrder(t *testing.T) {
	l := levels(t, nil)
	with := Standard(l, (&config.Config{}).Suppressor(time.Now()))
	if got := with.Names(); !slices.Equal(got, []string{"levels", "target ignores", "configuration suppressions", "expiry", "dedupe", "sort"}) {
		t.Errorf("stages %v", got)
	}
	if got := Standard(l, nil).Names(); !slices.Equal(got, []string{"levels", "target ignores", "dedupe", "sort"}) {
		t.Errorf("stages without a configuration %v", got)
	}
}

// TestStandardPipeline runs the stages together: a rule turned off is not listed as
// suppressed, a finding a target ignores is suppressed once though the configuration would
// too, repeats are dropped, and the report comes out sorted and counted.
func TestStandardPipeline(t *testing.T) {
	dir := t.TempDir()
	c := configAt(t, dir, "rules:\n  version: ignore\nignore:\n  - rule: version\n    reason: old\n  - rule: parameter-tier\n    reason: everywhere\n  - rule: sid-format\n    reason: gone\n    expires: 2020-01-01\n")
	l := levels(t, c.Levels)
	p := Standard(l, c.Suppressor(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))

	file := filepath.Join(dir, "m.yaml")
	m := jsonpos.NewFile(file, []byte("resources:\n  - ignore: [parameter-tier]\n"))
	tg := &input.Target{Ignore: []input.IgnoreEntry{{Rule: "parameter-tier", Loc: input.Location{File: m, Span: jsonpos.Span{Start: 13}}}}}
	rep := &finding.Report{}
	for _, b := range []*Batch{
		{Target: tg, Findings: []finding.Finding{at(file, 9, "principal-wildcard"), at(file, 3, "parameter-tier"), at(file, 4, "version")}},
		{Findings: []finding.Finding{at(file, 9, "principal-wildcard"), at(file, 1, "duplicate-key")}},
	} {
		p.ProcessTarget(b)
		rep.Findings = append(rep.Findings, b.Findings...)
		rep.Suppressed = append(rep.Suppressed, b.Suppressed...)
	}
	p.Finish(rep)
	for i := range rep.Findings {
		rep.Findings[i].File = filepath.Base(rep.Findings[i].File)
	}
	want := []string{config.FileName + ":119:suppression-expired:warning", "m.yaml:1:duplicate-key:error", "m.yaml:9:principal-wildcard:security-warning"}
	if got := describe(rep.Findings); !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if len(rep.Suppressed) != 1 || rep.Suppressed[0].Rule != "parameter-tier" || rep.Suppressed[0].By != file+":2" {
		t.Errorf("suppressed %+v", rep.Suppressed)
	}
	if s := rep.Summary; s.Findings != 3 || s.Suppressed != 1 || s.Error != 1 || s.SecurityWarning != 1 || s.Warning != 1 || rep.Version != 1 {
		t.Errorf("summary %+v", s)
	}
}
