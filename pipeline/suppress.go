package pipeline

import (
	"fmt"
	"slices"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
)

// TargetIgnores applies the ignore list written with a target (a manifest entry's `ignore`, a
// template resource's Metadata): its findings of those rules are suppressed, by the line that
// says so.
type TargetIgnores struct{}

// Name implements Processor.
func (TargetIgnores) Name() string { return "target ignores" }

// Process implements Processor.
func (TargetIgnores) Process(b *Batch) {
	if b.Target == nil || len(b.Target.Ignore) == 0 {
		return
	}
	b.Findings = slices.DeleteFunc(b.Findings, func(f finding.Finding) bool {
		for _, ig := range b.Target.Ignore {
			if ig.Rule != f.Rule {
				continue
			}
			by := ""
			if ig.Loc.File != nil {
				by = fmt.Sprintf("%s:%d", ig.Loc.File.Name, ig.Loc.File.Pos(ig.Loc.Span.Start).Line)
			}
			b.Suppressed = append(b.Suppressed, f.Suppress("ignored for this resource where it is declared", by))
			return true
		}
		return false
	})
}

// Suppressions applies the configuration's ignore entries that are still in force.
type Suppressions struct {
	Ignores *config.Suppressor
}

// Name implements Processor.
func (Suppressions) Name() string { return "configuration suppressions" }

// Process implements Processor.
func (s Suppressions) Process(b *Batch) {
	b.Findings = slices.DeleteFunc(b.Findings, func(f finding.Finding) bool {
		sup, ok := s.Ignores.Suppress(f)
		if ok {
			b.Suppressed = append(b.Suppressed, sup)
		}
		return ok
	})
}

// Expiry reports the configuration's ignore entries past their date (suppression-expired), at
// the level the run gives that rule; none when the rule is off. Their findings are the
// configuration's own, so no ignore entry or target suppresses them.
type Expiry struct {
	Expired []finding.Finding
	Levels  *Levels
}

// Name implements Processor.
func (Expiry) Name() string { return "expiry" }

// Process implements Processor.
func (e Expiry) Process(b *Batch) {
	if len(e.Expired) == 0 {
		return
	}
	own := &Batch{Findings: slices.Clone(e.Expired)}
	e.Levels.Process(own)
	b.Findings = append(b.Findings, own.Findings...)
}
