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

// levelOf is the level, in this run, of a finding of rule r that the rule marked own
// (finding.Ignore when it did not). A finding at the rule's default level takes the rule's
// level in this run. A finding the rule marked lower keeps its own level, and is never shown
// above the rule's: action-not-promotable set to error makes a share that cannot be promoted an
// error and leaves the two-step promotion a suggestion; set to suggestion, it makes both
// suggestions.
func (l *Levels) levelOf(r *rules.Rule, own finding.Level) finding.Level {
	lvl := l.levels[r.ID]
	if own == finding.Ignore || own >= r.Level || !r.HasLevel(own) {
		return lvl
	}
	return min(own, lvl)
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
		f.Level, f.Docs = l.levelOf(r, f.Level), r.DocsURL
		kept = append(kept, f)
	}
	b.Findings = kept
}
