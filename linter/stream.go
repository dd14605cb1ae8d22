package linter

import (
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/report"
)

// reorderWindow is how many jobs may be sent and not yet taken in order: what the output
// holds back while a slow target is checked is the findings of at most this many jobs.
const reorderWindow = 256

// writer writes the findings the orderer hands it to a report.Stream: the repeats of a finding
// dropped (the per-run dedupe stage, which needs only the finding before, as repeats come
// together in output order), counted into the summary.
type writer struct {
	out     report.Stream
	configs func() []finding.ConfigUsed
	begun   bool
	err     error
	last    finding.Key
	any     bool
	sum     finding.Summary
}

func (w *writer) begin() {
	if !w.begun {
		w.begun = true
		w.err = w.out.Begin(report.Meta{Version: 1, Config: w.configs()})
	}
}

func (w *writer) finding(f finding.Finding) {
	if k := f.Key(); w.any && k == w.last {
		return
	} else {
		w.last, w.any = k, true
	}
	w.sum.Add(f)
	w.begin()
	if w.err == nil {
		w.err = w.out.Finding(f)
	}
}

func (w *writer) suppressed(s finding.Suppressed) {
	w.sum.Suppressed++
	w.begin()
	if w.err == nil {
		w.err = w.out.Suppressed(s)
	}
}

// end writes the end of the report (and its beginning, when nothing was found).
func (w *writer) end(rep *finding.Report) {
	w.begin()
	if w.err == nil {
		w.err = w.out.End(rep.Summary, rep.Failures)
	}
}

// collector is the report.Stream that keeps the whole report, for Run.
type collector struct {
	config     []finding.ConfigUsed
	findings   []finding.Finding
	suppressed []finding.Suppressed
}

func (c *collector) Begin(m report.Meta) error { c.config = m.Config; return nil }
func (c *collector) Finding(f finding.Finding) error {
	c.findings = append(c.findings, f)
	return nil
}
func (c *collector) Suppressed(s finding.Suppressed) error {
	c.suppressed = append(c.suppressed, s)
	return nil
}
func (c *collector) End(finding.Summary, []finding.Failure) error { return nil }
