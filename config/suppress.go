package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gobwas/glob"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// compileGlob compiles a file pattern: * and ? stay within a path segment, ** crosses them.
func compileGlob(pattern string) (*glob.Pattern, error) {
	return glob.Compile(filepath.ToSlash(pattern), '/')
}

// Suppressor applies the ignore entries to findings. It is safe for concurrent use.
type Suppressor struct {
	active []activeEntry
	// dir is the configuration's directory, to which file patterns are relative.
	dir string
	// Expired are the suppression-expired findings for entries past their date, placed on the
	// entry's line; the findings pipeline gives them their level.
	Expired []finding.Finding
}

type activeEntry struct {
	Entry
	globs []*glob.Pattern
	by    string
}

// Suppressor prepares the ignore entries for a run on day today. Entries past their expiry
// date no longer apply; each becomes a suppression-expired finding at its line.
func (c *Config) Suppressor(today time.Time) *Suppressor {
	s := &Suppressor{dir: c.Dir}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, e := range c.Ignore {
		by := fmt.Sprintf("%s:%d", c.File, e.Line)
		if !e.Expires.IsZero() && day.After(e.Expires) {
			what := "files " + strings.Join(e.Files, ", ")
			if e.Rule != "" {
				what = "rule " + e.Rule
			}
			start, end := e.file.Pos(e.span.Start), e.file.Pos(e.span.Start)
			end.Column = len([]rune(e.file.LineText(start.Line))) + 1
			end.Offset = start.Offset + len(strings.TrimLeft(e.file.LineText(start.Line), " \t-"))
			s.Expired = append(s.Expired, finding.Finding{
				Rule: rules.SuppressionExpired, File: c.File, Start: start, End: end,
				Message: fmt.Sprintf("the ignore entry for %s expired on %s: its findings are reported again", what, e.Expires.Format(time.DateOnly)),
				Help:    "fix the findings, or renew the entry after a review",
				Source:  finding.ExcerptOf(e.file, start, end),
			})
			continue
		}
		a := activeEntry{Entry: e, by: by}
		for _, f := range e.Files {
			g, _ := compileGlob(f) // checked when the configuration was read
			a.globs = append(a.globs, g)
		}
		s.active = append(s.active, a)
	}
	return s
}

// Suppress reports whether an entry silences f, and says which and why.
func (s *Suppressor) Suppress(f finding.Finding) (finding.Suppressed, bool) {
	rel := relPath(f.File, s.dir)
	for _, e := range s.active {
		if e.Rule != "" && e.Rule != f.Rule {
			continue
		}
		if e.Sid != "" && e.Sid != f.Sid {
			continue
		}
		if len(e.globs) > 0 && !anyMatch(e.globs, rel) {
			continue
		}
		reason := e.Reason
		if reason == "" {
			reason = "files ignored: " + strings.Join(e.Files, ", ")
		}
		return f.Suppress(reason, e.by), true
	}
	return finding.Suppressed{}, false
}

func anyMatch(globs []*glob.Pattern, p string) bool {
	for _, g := range globs {
		if g.Match(p) {
			return true
		}
	}
	return false
}

// relPath makes a finding's file relative to the configuration's directory, with slashes.
// A finding of a policy read from AWS (audit) is named by its resource ARN, which is matched
// as it is, wherever the configuration lives.
func relPath(file, dir string) string {
	if strings.HasPrefix(file, "arn:") {
		return file
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(absDir, abs)
	if err != nil {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}
