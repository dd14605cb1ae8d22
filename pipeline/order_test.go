package pipeline

import (
	"slices"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func TestDedupe(t *testing.T) {
	a := at("a.json", 1, "principal-wildcard")
	other := a
	other.Resource = "arn:aws:ssm:us-east-1:111122223333:parameter/b" // the same place, another resource
	moved := a
	moved.End.Offset++
	b := &Batch{Findings: []finding.Finding{a, other, a, moved, a}}
	Dedupe{}.Process(b)
	if len(b.Findings) != 3 || b.Findings[0] != a || b.Findings[1] != other || b.Findings[2] != moved {
		t.Errorf("deduped to %+v", b.Findings)
	}
}

func TestSort(t *testing.T) {
	b := &Batch{
		Findings: []finding.Finding{
			at("b.json", 5, "version"), at("a.json", 9, "schema"), at("a.json", 2, "principal-wildcard"), at("a.json", 2, "action-wildcard"),
		},
		Suppressed: []finding.Suppressed{at("b.json", 1, "x").Suppress("", ""), at("a.json", 3, "y").Suppress("", ""), at("a.json", 3, "a").Suppress("", "")},
	}
	Sort{}.Process(b)
	want := []string{"a.json:2:action-wildcard:ignore", "a.json:2:principal-wildcard:ignore", "a.json:9:schema:ignore", "b.json:5:version:ignore"}
	if got := describe(b.Findings); !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
	if got := rulesOf(b.Suppressed); !slices.Equal(got, []string{"a", "y", "x"}) {
		t.Errorf("suppressed sorted %v", got)
	}
}
