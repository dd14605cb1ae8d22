package pipeline

import (
	"slices"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Dedupe drops a finding made twice: the same rule and message at the same place of the same
// resource (two manifest entries naming one policy file for one resource, say). One is kept.
type Dedupe struct{}

// Name implements Processor.
func (Dedupe) Name() string { return "dedupe" }

// Process implements Processor.
func (Dedupe) Process(b *Batch) {
	seen := make(map[finding.Key]bool, len(b.Findings))
	b.Findings = slices.DeleteFunc(b.Findings, func(f finding.Finding) bool {
		k := f.Key()
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// Sort puts findings and suppressed findings in the order they are written (finding.Compare),
// so that output is the same however the workers raced. It is the last stage.
type Sort struct{}

// Name implements Processor.
func (Sort) Name() string { return "sort" }

// Process implements Processor.
func (Sort) Process(b *Batch) {
	slices.SortFunc(b.Findings, finding.Compare)
	slices.SortFunc(b.Suppressed, finding.CompareSuppressed)
}
