package pipeline

import (
	"fmt"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// Levels gives every finding the level its rule has in this run and the link to its rule's
// page, and drops the findings of rules turned off (and of ids the catalogue does not know). It
// is the first stage, so that a finding of a rule turned off is neither shown nor listed as
// suppressed.
type Levels struct {
	set    *rules.Set
	levels map[string]finding.Level
}

// NewLevels resolves the levels of a run: each rule's default, overridden by overrides (the
// configuration and the command line; finding.Ignore turns a rule off). An override of a rule
// the set does not have is an error.
func NewLevels(set *rules.Set, overrides map[string]finding.Level) (*Levels, error) {
	l := &Levels{set: set, levels: make(map[string]finding.Level, len(set.Rules))}
	for _, r := range set.Rules {
		l.levels[r.ID] = r.Level
	}
	for id, lvl := range overrides {
		if _, ok := set.Get(id); !ok {
			return nil, fmt.Errorf("unknown rule %q", id)
		}
		l.levels[id] = lvl
	}
	return l, nil
}

// Level is the level rule id reports at in this run; finding.Ignore when it is off or unknown.
func (l *Levels) Level(id string) finding.Level { return l.levels[id] }

// Name implements Processor.
func (*Levels) Name() string { return "levels" }

// Process implements Processor.
func (l *Levels) Process(b *Batch) {
	kept := b.Findings[:0]
	for _, f := range b.Findings {
		r, ok := l.set.Get(f.Rule)
		lvl := l.levels[f.Rule]
		if !ok || lvl == finding.Ignore {
			continue
		}
		f.Level, f.Docs = lvl, r.DocsURL
		kept = append(kept, f)
	}
	b.Findings = kept
}
