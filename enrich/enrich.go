// Package enrich completes what the inputs say about each target's resource before the
// checks run. Each stage may fill in or correct a target's facts, and reports what it finds
// as problems of the target, which the checks turn into findings at the place the input wrote
// the fact.
package enrich

import (
	"context"

	"github.com/ssmpolicy/ssmpolicy/input"
)

// Stage is one step of enrichment, run on each target whose policy could be read. An error
// means the run cannot vouch for the target: it is reported as a failure of the run, and the
// target is not checked.
type Stage interface {
	Enrich(ctx context.Context, t *input.Target) error
}

// Run runs the stages on t in order, stopping at the first error.
func Run(ctx context.Context, stages []Stage, t *input.Target) error {
	for _, s := range stages {
		if err := s.Enrich(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
