package finding

import (
	"encoding/json"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func TestLevels(t *testing.T) {
	for _, l := range Levels() {
		got, err := ParseLevel(l.String(), false)
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l, got, err)
		}
	}
	if _, err := ParseLevel("ignore", false); err == nil {
		t.Error("ignore accepted where a reported level is needed")
	}
	if l, err := ParseLevel("ignore", true); err != nil || l != Ignore {
		t.Errorf("ignore: %v %v", l, err)
	}
	if _, err := ParseLevel("fatal", true); err == nil {
		t.Error("unknown level accepted")
	}
	if !(Error > SecurityWarning && SecurityWarning > Warning && Warning > Suggestion && Suggestion > Ignore) {
		t.Error("levels are not ordered as Access Analyzer orders finding types")
	}
	b, _ := json.Marshal(SecurityWarning)
	if string(b) != `"security-warning"` {
		t.Errorf("JSON = %s", b)
	}
}

func at(file string, off int, rule string, l Level) Finding {
	return Finding{File: file, Rule: rule, Level: l, Start: jsonpos.Pos{Line: 1, Column: off + 1, Offset: off}, End: jsonpos.Pos{Line: 1, Column: off + 2, Offset: off + 1}}
}

// TestFinish checks the order findings are written in (file, position, rule), that exact
// repeats are dropped, and that the summary counts by level.
func TestFinish(t *testing.T) {
	r := &Report{Findings: []Finding{
		at("b.json", 5, "version", Warning),
		at("a.json", 9, "schema", Error),
		at("a.json", 2, "principal-wildcard", SecurityWarning),
		at("a.json", 2, "action-wildcard", SecurityWarning),
		at("a.json", 2, "action-wildcard", SecurityWarning), // the same finding twice
		at("b.json", 1, "principal-self", Suggestion),
	}}
	r.Finish()
	want := []string{"a.json:2:action-wildcard", "a.json:2:principal-wildcard", "a.json:9:schema", "b.json:1:principal-self", "b.json:5:version"}
	if len(r.Findings) != len(want) {
		t.Fatalf("%d findings, want %d", len(r.Findings), len(want))
	}
	for i, f := range r.Findings {
		if got := f.File + ":" + itoa(f.Start.Offset) + ":" + f.Rule; got != want[i] {
			t.Errorf("finding %d = %s, want %s", i, got, want[i])
		}
	}
	s := r.Summary
	if s.Findings != 5 || s.Error != 1 || s.SecurityWarning != 2 || s.Warning != 1 || s.Suggestion != 1 || r.Version != 1 {
		t.Errorf("summary = %+v", s)
	}
	if !r.Fails(Warning) || r.Fails(Error+1) {
		t.Error("Fails does not compare with the threshold")
	}
	empty := &Report{}
	empty.Finish()
	b, _ := json.Marshal(empty)
	if string(b) != `{"version":1,"config":[],"findings":[],"suppressed":[],"summary":{"files":0,"skipped":0,"targets":0,"findings":0,"suppressed":0,"disabled":0,"error":0,"security-warning":0,"warning":0,"suggestion":0}}` {
		t.Errorf("empty report JSON = %s", b)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
