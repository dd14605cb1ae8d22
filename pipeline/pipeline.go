// Package pipeline turns the findings the checks make into the findings a report shows: an
// ordered list of small processors, each doing one thing. Stages that work on one target's
// findings run as soon as that target is checked; stages that need the whole run run once at
// the end, the order of the output last.
//
// The standard pipeline is
//
//	per target: levels → target ignores → configuration suppressions
//	per run:    expiry → dedupe → sort
package pipeline

import (
	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// Batch is findings on their way through the pipeline: those of one target (Target nil for a
// file's problems outside any target), or at the end those of the whole run.
type Batch struct {
	Target     *input.Target
	Findings   []finding.Finding
	Suppressed []finding.Suppressed
}

// Processor is one stage. Per-target stages are called concurrently, one batch each.
type Processor interface {
	// Name says what the stage is, for errors and tests.
	Name() string
	// Process changes the batch in place: it may drop, change, move to Suppressed or add
	// findings.
	Process(b *Batch)
}

// Pipeline is the ordered list of stages. It is safe for concurrent use when its per-target
// stages are.
type Pipeline struct {
	perTarget []Processor
	perRun    []Processor
}

// New makes a pipeline: perTarget stages run in order on each target's findings, then perRun
// stages run in order, once, on all the findings of the run.
func New(perTarget, perRun []Processor) *Pipeline {
	return &Pipeline{perTarget: perTarget, perRun: perRun}
}

// Standard is the pipeline of a check: the levels of this run, the ignores written with each
// target, and the configuration's ignore entries (nil when there is no configuration).
func Standard(levels *Levels, ignores *config.Suppressor) *Pipeline {
	perTarget := []Processor{levels, TargetIgnores{}}
	var perRun []Processor
	if ignores != nil {
		perTarget = append(perTarget, Suppressions{ignores})
		perRun = append(perRun, Expiry{Expired: ignores.Expired, Levels: levels})
	}
	perRun = append(perRun, Dedupe{}, Sort{})
	return New(perTarget, perRun)
}

// Names lists the stages in the order they run.
func (p *Pipeline) Names() []string {
	var out []string
	for _, s := range append(append([]Processor{}, p.perTarget...), p.perRun...) {
		out = append(out, s.Name())
	}
	return out
}

// ProcessTarget runs the per-target stages on one target's findings.
func (p *Pipeline) ProcessTarget(b *Batch) {
	for _, s := range p.perTarget {
		s.Process(b)
	}
}

// Finish runs the per-run stages on the report's findings, then counts them into its summary.
func (p *Pipeline) Finish(rep *finding.Report) {
	b := &Batch{Findings: rep.Findings, Suppressed: rep.Suppressed}
	for _, s := range p.perRun {
		s.Process(b)
	}
	rep.Findings, rep.Suppressed = b.Findings, b.Suppressed
	rep.Summarize()
}
