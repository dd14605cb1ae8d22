// Package config reads .ssmpolicy.yaml: rule levels, the accounts policies may name, ignore
// entries with their reasons and expiry dates, and where custom rules live. Every error names
// the file, line and column of the bad key.
package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/safefile"
	"github.com/ssmpolicy/ssmpolicy/schema"
	"github.com/ssmpolicy/ssmpolicy/suggest"
)

// FileName is the configuration file, looked for in the directory of each checked file and its
// parents up to the repository root.
const FileName = ".ssmpolicy.yaml"

// Config is a parsed configuration. The zero value is "no configuration": every default.
type Config struct {
	// File is the path the configuration was read from ("" when there is none).
	File string
	// Dir is the directory paths in the configuration are relative to.
	Dir string
	// AccountsAllowed is nil when the configuration sets no allow-list.
	AccountsAllowed []string
	// Levels maps rule ids to a level or finding.Ignore.
	Levels      map[string]finding.Level
	Ignore      []Entry
	CustomRules []string
	// FailOn is the configured threshold; zero when not set.
	FailOn finding.Level
	// Apply holds the settings of the apply command (`apply:`).
	Apply Apply

	src    *jsonpos.File
	levels map[string]jsonpos.Span // where each rule id of `rules:` is written
}

// Apply is the `apply:` section: defaults for the apply command that its flags override.
type Apply struct {
	// Promote is `promote: true`: promote each parameter's RAM share after its policy is in
	// place, as --promote does.
	Promote bool
}

// Entry is one ignore entry.
type Entry struct {
	Files  []string
	Rule   string
	Sid    string
	Reason string
	// Expires is the last day the entry applies; zero when it does not expire.
	Expires time.Time
	// Line is where the entry starts in the configuration file.
	Line int
	span jsonpos.Span
	file *jsonpos.File
	// ruleSpan is where Rule is written, for errors about it.
	ruleSpan jsonpos.Span
}

// Error is a configuration error at a place in the file.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Find returns the configuration of the project dir is in (see Locate); "" when there is none.
func Find(dir string) string {
	p, _ := Locate(dir)
	return p.File
}

// Load reads and validates the configuration at path. Rule ids are checked later, by
// CheckRules, once the custom rules the configuration names are loaded.
func Load(path string) (*Config, error) {
	src, err := safefile.Read(path, safefile.Limit)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(path, src)
}

// Parse reads a configuration from src; path names it in errors.
func Parse(path string, src []byte) (*Config, error) {
	f := jsonpos.NewFile(path, src)
	c := &Config{File: path, Dir: filepath.Dir(path), src: f, Levels: map[string]finding.Level{}, levels: map[string]jsonpos.Span{}}
	if strings.TrimSpace(string(src)) == "" {
		return c, nil // an empty file is an empty configuration
	}
	parsed, err := jsonpos.ParseYAML(f)
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) && se.Msg == "empty document" {
			return c, nil // comments only
		}
		if errors.As(err, &se) {
			return nil, c.errorAt(jsonpos.Span{Start: se.Offset, End: se.Offset}, "not valid YAML: "+se.Msg)
		}
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	root := parsed.Root
	if len(parsed.Duplicates) > 0 {
		d := parsed.Duplicates[0]
		return nil, c.errorAt(d.Again, fmt.Sprintf("%q is written twice (first at line %d)", d.Key, f.Pos(d.First.Start).Line))
	}
	if root.Kind == jsonpos.Null {
		return c, nil
	}
	s, err := schema.Load("config")
	if err != nil {
		return nil, err
	}
	if vs := s.Validate(root); len(vs) > 0 {
		sort.SliceStable(vs, func(i, j int) bool {
			return root.SpanAt(vs[i].Path, vs[i].OnKey).Start < root.SpanAt(vs[j].Path, vs[j].OnKey).Start
		})
		var msgs []string
		for _, v := range vs {
			msgs = append(msgs, c.errorAt(root.SpanAt(v.Path, v.OnKey), v.Message).Error())
		}
		return nil, &Errors{List: msgs}
	}
	if acc := root.Get("accounts"); acc != nil {
		if allowed := acc.Get("allowed"); allowed != nil {
			c.AccountsAllowed = []string{}
			for _, it := range allowed.Items {
				c.AccountsAllowed = append(c.AccountsAllowed, it.Text)
			}
		}
	}
	if rules := root.Get("rules"); rules != nil {
		for _, m := range rules.Members {
			lvl, _ := finding.ParseLevel(m.Value.Text, true)
			c.Levels[m.Key] = lvl
			c.levels[m.Key] = m.KeySpan
		}
	}
	if fo := root.Get("fail_on"); fo != nil {
		c.FailOn, _ = finding.ParseLevel(fo.Text, false)
	}
	if ap := root.Get("apply"); ap != nil {
		if p := ap.Get("promote"); p != nil {
			c.Apply.Promote = p.Bool
		}
	}
	if cr := root.Get("custom_rules"); cr != nil {
		for _, it := range cr.Items {
			c.CustomRules = append(c.CustomRules, c.resolve(it.Text))
		}
	}
	if ig := root.Get("ignore"); ig != nil {
		for _, it := range ig.Items {
			e, err := c.entry(it)
			if err != nil {
				return nil, err
			}
			c.Ignore = append(c.Ignore, e)
		}
	}
	return c, nil
}

// Errors is several configuration errors, one per line.
type Errors struct{ List []string }

func (e *Errors) Error() string { return strings.Join(e.List, "\n") }

func (c *Config) errorAt(s jsonpos.Span, msg string) error {
	p := c.src.Pos(s.Start)
	return &Error{File: c.File, Line: p.Line, Column: p.Column, Msg: msg}
}

func (c *Config) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

func (c *Config) entry(n *jsonpos.Node) (Entry, error) {
	e := Entry{span: n.Span, file: c.src, Line: c.src.Pos(n.Span.Start).Line}
	if files := n.Get("files"); files != nil {
		for _, it := range files.Items {
			e.Files = append(e.Files, it.Text)
			if _, err := compileGlob(it.Text); err != nil {
				return e, c.errorAt(it.Span, fmt.Sprintf("bad file pattern %q: %v", it.Text, err))
			}
		}
	}
	if m, ok := n.Member("rule"); ok {
		e.Rule, e.ruleSpan = m.Value.Text, m.Value.Span
	}
	if s := n.Get("sid"); s != nil {
		e.Sid = s.Text
	}
	if r := n.Get("reason"); r != nil {
		e.Reason = r.Text
	}
	if x, ok := n.Member("expires"); ok {
		t, err := time.Parse(time.DateOnly, x.Value.Text)
		if err != nil {
			return e, c.errorAt(x.Value.Span, fmt.Sprintf("expires %q is not a date (YYYY-MM-DD)", x.Value.Text))
		}
		e.Expires = t
	}
	switch {
	case e.Rule == "" && len(e.Files) == 0:
		return e, c.errorAt(n.Span, "an ignore entry needs files, rule, or both")
	case e.Rule == "" && e.Sid != "":
		return e, c.errorAt(n.Span, "sid narrows a rule-scoped entry: add the rule it applies to")
	case e.Rule != "" && e.Reason == "":
		return e, c.errorAt(n.Span, fmt.Sprintf("the ignore entry for rule %s needs a reason: say why the finding is acceptable", e.Rule))
	}
	return e, nil
}

// CheckRules checks that every rule id the configuration names exists.
func (c *Config) CheckRules(known func(id string) bool, ids []string) error {
	var msgs []string
	names := make([]string, 0, len(c.levels))
	for id := range c.levels {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		if !known(id) {
			msgs = append(msgs, c.errorAt(c.levels[id], fmt.Sprintf("rules: unknown rule %q%s", id, didYouMean(id, ids))).Error())
		}
	}
	for _, e := range c.Ignore {
		if e.Rule != "" && !known(e.Rule) {
			msgs = append(msgs, c.errorAt(e.ruleSpan, fmt.Sprintf("ignore: unknown rule %q%s", e.Rule, didYouMean(e.Rule, ids))).Error())
		}
	}
	if len(msgs) > 0 {
		return &Errors{List: msgs}
	}
	return nil
}

func didYouMean(id string, ids []string) string {
	if s := suggest.Closest(id, ids); s != "" {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}
