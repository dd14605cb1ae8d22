// Package finding holds what a check reports: levels, findings, suppressed findings and the
// report every output format renders.
package finding

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Level orders findings the way Access Analyzer orders its finding types. Ignore turns a rule
// off; it is never the level of a reported finding.
type Level int

// The levels, from least to most severe.
const (
	Ignore Level = iota
	Suggestion
	Warning
	SecurityWarning
	Error
)

var levelNames = [...]string{"ignore", "suggestion", "warning", "security-warning", "error"}

// Levels lists the levels of reported findings, most severe first.
func Levels() []Level { return []Level{Error, SecurityWarning, Warning, Suggestion} }

func (l Level) String() string {
	if l < Ignore || l > Error {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level name; "ignore" is accepted only where allowIgnore is set.
func ParseLevel(s string, allowIgnore bool) (Level, error) {
	for i, name := range levelNames {
		if name == s && (i != int(Ignore) || allowIgnore) {
			return Level(i), nil
		}
	}
	if allowIgnore {
		return 0, fmt.Errorf("unknown level %q (want error, security-warning, warning, suggestion or ignore)", s)
	}
	return 0, fmt.Errorf("unknown level %q (want error, security-warning, warning or suggestion)", s)
}

// MarshalJSON writes the level by name.
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a level by name.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseLevel(s, true)
	*l = v
	return err
}

// Finding is one problem at one place.
type Finding struct {
	Rule     string      `json:"rule"`
	Level    Level       `json:"level"`
	Message  string      `json:"message"`
	File     string      `json:"file"`
	Start    jsonpos.Pos `json:"start"`
	End      jsonpos.Pos `json:"end"`
	Pointer  string      `json:"pointer"`
	Resource string      `json:"resource,omitempty"`
	Docs     string      `json:"docs"`
	// Help says how to fix what the message describes, when the rule knows; empty otherwise.
	Help string `json:"help,omitempty"`
	// Note says where a fact the finding rests on came from when that is not the place the
	// finding points at: "tier from --tier", "tier from --live". Empty otherwise.
	Note string `json:"note,omitempty"`
	// Context is the manifest entry that gave a policy file its facts when the file was
	// checked without that manifest ("infra/manifest.yaml:4:5"); "" otherwise.
	Context string `json:"context,omitempty"`
	// Fixable is set when `check --fix` would fix the finding with an edit it is certain of.
	Fixable bool `json:"fixable,omitempty"`

	// Sid is the Sid of the statement the finding is in, for suppressions scoped to a Sid.
	Sid string `json:"-"`
	// Source is the part of the start line that reporters show; empty when the finding has
	// no source to show (it is about a fact given by a flag).
	Source Excerpt `json:"-"`
}

// Suppressed is a finding that an ignore entry silenced, with who silenced it and why.
type Suppressed struct {
	Rule    string      `json:"rule"`
	Level   Level       `json:"level"`
	Message string      `json:"message"`
	File    string      `json:"file"`
	Start   jsonpos.Pos `json:"start"`
	End     jsonpos.Pos `json:"end"`
	Pointer string      `json:"pointer"`
	Reason  string      `json:"reason"`
	By      string      `json:"by"`
	Context string      `json:"context,omitempty"`
}

// Suppress records f as silenced by `by` (a file and line) for `reason`.
func (f Finding) Suppress(reason, by string) Suppressed {
	return Suppressed{Rule: f.Rule, Level: f.Level, Message: f.Message, File: f.File, Start: f.Start,
		End: f.End, Pointer: f.Pointer, Reason: reason, By: by, Context: f.Context}
}

// StdinName is the file name findings carry for a document read from standard input. It
// names no file, so no output format turns it into a path or a link.
const StdinName = "<stdin>"

// Failure is an error that kept the tool from doing part of its job (exit code 2): an
// unreadable path, a manifest naming a file that is not there, a failed AWS call.
type Failure struct {
	File    string       `json:"file,omitempty"`
	Start   *jsonpos.Pos `json:"start,omitempty"`
	Message string       `json:"message"`
}

func (f Failure) Error() string {
	switch {
	case f.File != "" && f.Start != nil:
		return fmt.Sprintf("%s:%d:%d: %s", f.File, f.Start.Line, f.Start.Column, f.Message)
	case f.File != "":
		return f.File + ": " + f.Message
	}
	return f.Message
}

// Summary counts what a run saw. Disabled counts the rules that the configuration files
// turned off (`rules: {id: ignore}`).
type Summary struct {
	Files           int `json:"files"`
	Skipped         int `json:"skipped"`
	Targets         int `json:"targets"`
	Findings        int `json:"findings"`
	Suppressed      int `json:"suppressed"`
	Disabled        int `json:"disabled"`
	Error           int `json:"error"`
	SecurityWarning int `json:"security-warning"`
	Warning         int `json:"warning"`
	Suggestion      int `json:"suggestion"`
	// Fixable counts the findings --fix would fix.
	Fixable int `json:"fixable,omitempty"`
	// Hidden counts the findings below --min-level: counted above, not listed.
	Hidden int `json:"hidden,omitempty"`
}

// Count returns the number of findings at level l.
func (s Summary) Count(l Level) int {
	switch l {
	case Error:
		return s.Error
	case SecurityWarning:
		return s.SecurityWarning
	case Warning:
		return s.Warning
	case Suggestion:
		return s.Suggestion
	}
	return 0
}

// Report is the outcome of one run, as every output format renders it. Config lists the
// configuration files the run used, in the order of their names.
type Report struct {
	Version    int          `json:"version"`
	Config     []ConfigUsed `json:"config"`
	Findings   []Finding    `json:"findings"`
	Suppressed []Suppressed `json:"suppressed"`
	Summary    Summary      `json:"summary"`
	Failures   []Failure    `json:"errors,omitempty"`
}

// ConfigUsed is a configuration file a run used, and the rules it turned off.
type ConfigUsed struct {
	File     string   `json:"file"`
	Disabled []string `json:"disabled"`
}

// Compare is the order findings are written in, so that output is stable run to run: by
// file, then position, then rule.
func Compare(a, b Finding) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Start.Offset, b.Start.Offset),
		cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.End.Offset, b.End.Offset),
		cmp.Compare(a.Message, b.Message), cmp.Compare(a.Resource, b.Resource))
}

// CompareSuppressed is the order suppressed findings are written in.
func CompareSuppressed(a, b Suppressed) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Start.Offset, b.Start.Offset), cmp.Compare(a.Rule, b.Rule))
}

// Key is what makes two findings the same: one reported twice (the same rule with the same
// message at the same place of the same resource) is shown once.
type Key struct {
	File          string
	Start, End    jsonpos.Pos
	Rule, Message string
	Resource      string
}

// Key returns the finding's identity.
func (f Finding) Key() Key {
	return Key{File: f.File, Start: f.Start, End: f.End, Rule: f.Rule, Message: f.Message, Resource: f.Resource}
}

// Finish puts a report made by hand in the order a run writes (a run's own report gets it from
// its findings pipeline): findings sorted with repeats dropped, suppressed findings sorted, and
// the summary counted.
func (r *Report) Finish() {
	slices.SortFunc(r.Findings, Compare)
	r.Findings = slices.CompactFunc(r.Findings, func(a, b Finding) bool { return a.Key() == b.Key() })
	slices.SortFunc(r.Suppressed, CompareSuppressed)
	r.Summarize()
}

// Summarize sets the report's version and counts its findings into the summary. Findings and
// suppressed findings are written as empty lists, never null.
func (r *Report) Summarize() {
	r.Version = 1
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Suppressed == nil {
		r.Suppressed = []Suppressed{}
	}
	if r.Config == nil {
		r.Config = []ConfigUsed{}
	}
	s := &r.Summary
	s.Findings, s.Suppressed = 0, len(r.Suppressed)
	s.Error, s.SecurityWarning, s.Warning, s.Suggestion, s.Fixable = 0, 0, 0, 0, 0
	for _, f := range r.Findings {
		s.Add(f)
	}
}

// Add counts one more finding, f, into the summary.
func (s *Summary) Add(f Finding) {
	s.Findings++
	if f.Fixable {
		s.Fixable++
	}
	switch f.Level {
	case Error:
		s.Error++
	case SecurityWarning:
		s.SecurityWarning++
	case Warning:
		s.Warning++
	case Suggestion:
		s.Suggestion++
	}
}

// Fails reports whether any finding is at or above threshold.
func (r *Report) Fails(threshold Level) bool {
	for _, f := range r.Findings {
		if f.Level >= threshold {
			return true
		}
	}
	return false
}
