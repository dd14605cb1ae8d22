package report

import (
	"encoding/xml"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func TestJUnitCounts(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(publish(t, JUnit{}, fixtureReport()), &doc); err != nil {
		t.Fatal(err)
	}
	// manifest.yaml: one target (arnName) with two findings; über.json: one target (arnDB)
	// with three, and the suppressed one on it; the file outside and stdin: one each.
	want := map[string][3]int{ // tests, failures, errors
		"/elsewhere/shared policy.json": {1, 1, 0},
		"<stdin>":                       {1, 1, 0},
		"manifest.yaml":                 {1, 1, 0},
		"policies/über.json":            {1, 1, 0},
	}
	if len(doc.Suites) != len(want) {
		t.Fatalf("%d suites, want %d", len(doc.Suites), len(want))
	}
	failures := 0
	for _, s := range doc.Suites {
		if got := [3]int{s.Tests, s.Failures, s.Errors}; got != want[s.Name] {
			t.Errorf("suite %s: tests, failures, errors = %v, want %v", s.Name, got, want[s.Name])
		}
		for _, c := range s.Cases {
			failures += len(c.Failures)
		}
	}
	if failures != len(fixtureReport().Findings) {
		t.Errorf("%d failure elements, want one per finding", failures)
	}
	if doc.Tests != 4 || doc.Failures != 4 || doc.Errors != 0 {
		t.Errorf("testsuites: tests %d failures %d errors %d", doc.Tests, doc.Failures, doc.Errors)
	}
}

func TestJUnitSuppressedOnlyAndClean(t *testing.T) {
	rep := &finding.Report{Suppressed: []finding.Suppressed{{Rule: "principal-self", File: "a.json", Reason: "ours", By: ".ssmpolicy.yaml:3"}}}
	rep.Finish()
	var doc junitSuites
	if err := xml.Unmarshal(publish(t, JUnit{}, rep), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 1 || doc.Failures != 0 || doc.Suites[0].Cases[0].SystemOut == "" {
		t.Errorf("a file with only suppressed findings: %+v", doc)
	}

	clean := &finding.Report{Summary: finding.Summary{Files: 2, Targets: 2}}
	clean.Finish()
	doc = junitSuites{}
	if err := xml.Unmarshal(publish(t, JUnit{}, clean), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 1 || doc.Failures != 0 || doc.Errors != 0 {
		t.Errorf("a clean run: %+v", doc)
	}
}
