package linter

import "sync/atomic"

// Progress counts what a run has done so far, for a progress line that another goroutine
// reads while the run goes on. The counters are updated atomically; a nil *Progress counts
// nothing.
type Progress struct {
	files, targets, findings atomic.Int64
}

func (p *Progress) add(files, targets, findings int) {
	if p == nil {
		return
	}
	p.files.Add(int64(files))
	p.targets.Add(int64(targets))
	p.findings.Add(int64(findings))
}

// Counts returns the files read, the targets checked and the findings kept so far.
func (p *Progress) Counts() (files, targets, findings int64) {
	return p.files.Load(), p.targets.Load(), p.findings.Load()
}
