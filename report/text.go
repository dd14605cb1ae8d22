package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Text writes `file:line:col: level rule: message`, the source line with the span marked, and
// a summary line.
type Text struct {
	Color bool
	// Quiet leaves out the summary line.
	Quiet bool
}

const (
	reset = "\x1b[0m"
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
)

var levelColor = map[finding.Level]string{
	finding.Error:           "\x1b[31m",
	finding.SecurityWarning: "\x1b[35m",
	finding.Warning:         "\x1b[33m",
	finding.Suggestion:      "\x1b[36m",
}

func (t Text) paint(code, s string) string {
	if !t.Color || code == "" {
		return s
	}
	return code + s + reset
}

// Publish implements Reporter.
func (t Text) Publish(w io.Writer, rep *finding.Report) error {
	bw := bufio.NewWriter(w)
	for _, fl := range rep.Failures {
		fmt.Fprintf(bw, "%s %s\n", t.paint(levelColor[finding.Error]+bold, "error:"), fl.Error())
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(bw, "%s %s %s %s\n",
			t.paint(bold, fmt.Sprintf("%s:%d:%d:", f.File, f.Start.Line, f.Start.Column)),
			t.paint(levelColor[f.Level], f.Level.String()),
			t.paint(bold, f.Rule+":"), fixMark(f)+f.Message)
		if f.Line != "" {
			t.source(bw, f)
		}
	}
	if !t.Quiet {
		fmt.Fprintln(bw, t.summary(rep))
	}
	return bw.Flush()
}

// source prints the finding's first line and marks its span with carets (to the end of the
// line when the span goes on). Tabs are kept in the margin so the carets line up.
func (t Text) source(w io.Writer, f finding.Finding) {
	line := strings.TrimRight(f.Line, "\r")
	num := fmt.Sprintf("%d", f.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(w, " %s %s %s\n", t.paint(dim, num), t.paint(dim, "|"), line)
	var marker strings.Builder
	col := 1
	for _, r := range line {
		if col >= f.Start.Column {
			break
		}
		if r == '\t' {
			marker.WriteByte('\t')
		} else {
			marker.WriteByte(' ')
		}
		col++
	}
	width := 1
	if f.End.Line == f.Start.Line && f.End.Column > f.Start.Column {
		width = f.End.Column - f.Start.Column
	} else if f.End.Line > f.Start.Line {
		width = max(1, utf8.RuneCountInString(line)-f.Start.Column+1)
	}
	fmt.Fprintf(w, " %s %s %s%s\n", pad, t.paint(dim, "|"), marker.String(), t.paint(levelColor[f.Level], strings.Repeat("^", width)))
}

func (t Text) summary(rep *finding.Report) string {
	s := rep.Summary
	var parts []string
	for _, l := range finding.Levels() {
		if n := s.Count(l); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	head := "no findings"
	if s.Findings > 0 {
		head = fmt.Sprintf("%d %s (%s)", s.Findings, plural(s.Findings, "finding", "findings"), strings.Join(parts, ", "))
	}
	out := fmt.Sprintf("%s in %d %s, %d %s", head, s.Files, plural(s.Files, "file", "files"), s.Targets, plural(s.Targets, "target", "targets"))
	if s.Hidden > 0 {
		out += fmt.Sprintf("; %d below --min-level not shown", s.Hidden)
	}
	if s.Fixable > 0 {
		out += fmt.Sprintf("; %d fixable with --fix", s.Fixable)
	}
	if s.Suppressed > 0 {
		out += fmt.Sprintf("; %d suppressed", s.Suppressed)
	}
	if s.Skipped > 0 {
		out += fmt.Sprintf("; %d %s skipped (not a policy, manifest, template or plan)", s.Skipped, plural(s.Skipped, "file", "files"))
	}
	if n := len(rep.Failures); n > 0 {
		out += fmt.Sprintf("; %d %s", n, plural(n, "error", "errors"))
	}
	return out
}

// fixMark marks a finding --fix would fix, as ruff marks its fixable diagnostics.
func fixMark(f finding.Finding) string {
	if f.Fixable {
		return "[*] "
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
