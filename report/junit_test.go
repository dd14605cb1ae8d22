package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func readJUnit(t *testing.T, rep *finding.Report) junitSuites {
	t.Helper()
	var doc junitSuites
	if err := xml.Unmarshal(publishT(t, JUnit{}, rep), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestJUnitCountsFindings checks that each finding is a testcase of its own, in the suite of
// its file, so that a CI system counts the findings and not the targets.
func TestJUnitCountsFindings(t *testing.T) {
	rep := fixtureReport()
	doc := readJUnit(t, rep)
	want := map[string][4]int{ // tests, failures, errors, skipped
		"/elsewhere/shared policy.json": {2, 2, 0, 0},
		"<stdin>":                       {1, 1, 0, 0},
		"manifest.yaml":                 {2, 2, 0, 0},
		"plan.json":                     {1, 1, 0, 0},
		"policies/über.json":            {4, 3, 0, 1},
	}
	if len(doc.Suites) != len(want) {
		t.Fatalf("%d suites, want one per file (%d)", len(doc.Suites), len(want))
	}
	cases, names := 0, map[string]bool{}
	for _, s := range doc.Suites {
		if got := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}; got != want[s.Name] {
			t.Errorf("suite %s: tests, failures, errors, skipped = %v, want %v", s.Name, got, want[s.Name])
		}
		for _, c := range s.Cases {
			cases++
			names[s.Name+" "+c.Name] = true
			if c.Failure != nil && !strings.Contains(c.Failure.Body, c.Failure.Type+": ") {
				t.Errorf("failure body %q does not name its rule", c.Failure.Body)
			}
		}
	}
	if n := len(rep.Findings) + len(rep.Suppressed); cases != n || len(names) != n {
		t.Errorf("%d testcases (%d names), want one per finding, suppressed included (%d)", cases, len(names), n)
	}
	if !names["policies/über.json schema at 4:7"] {
		t.Errorf("testcases are not named by rule and position: %v", names)
	}
}

func TestJUnitSuppressedAndClean(t *testing.T) {
	rep := &finding.Report{Suppressed: []finding.Suppressed{{Rule: "principal-self", File: "a.json", Reason: "ours", By: ".ssmpolicy.yaml:3"}}}
	rep.Finish()
	doc := readJUnit(t, rep)
	if len(doc.Suites) != 1 || doc.Suites[0].Skipped != 1 || doc.Suites[0].Cases[0].Skipped == nil ||
		!strings.Contains(doc.Suites[0].Cases[0].Skipped.Message, "ours") {
		t.Errorf("a file with only suppressed findings: %+v", doc)
	}

	clean := &finding.Report{Summary: finding.Summary{Files: 2, Targets: 2}}
	clean.Finish()
	doc = readJUnit(t, clean)
	if len(doc.Suites) != 1 || doc.Suites[0].Tests != 1 || doc.Suites[0].Failures != 0 || doc.Suites[0].Cases[0].SystemOut == "" {
		t.Errorf("a clean run: %+v", doc)
	}
}

// TestJUnitControlCharacters checks that text XML 1.0 cannot hold still reaches the reader:
// encoding/xml alone would turn ESC into U+FFFD.
func TestJUnitControlCharacters(t *testing.T) {
	rep := &finding.Report{Findings: []finding.Finding{{Rule: "custom-x", Level: finding.Error, File: "a\x01.json",
		Message: "bad\x1b[2J\x00 one\nline two", Start: pos(1, 1, 0), End: pos(1, 2, 1)}}}
	rep.Finish()
	out := string(publishT(t, JUnit{}, rep))
	if strings.ContainsAny(out, "\x1b\x00\x01\ufffd") {
		t.Errorf("control characters reach the XML:\n%q", out)
	}
	doc := readJUnit(t, rep)
	f := doc.Suites[0].Cases[0].Failure
	if doc.Suites[0].Name != `a\x01.json` || f.Message != `bad\x1b[2J\x00 one`+"\nline two" {
		t.Errorf("suite %q, message %q", doc.Suites[0].Name, f.Message)
	}
}
