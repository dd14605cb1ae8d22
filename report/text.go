package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Text writes, for each finding, `file:line:col: level rule: message`, the source line with
// the span marked, and the lines that follow it: where a fact came from (note), how to fix it
// (help) and the rule's page (see). A summary line ends the output. Failures are not written
// here: they go to standard error (WriteFailures), and the summary counts them.
type Text struct {
	Color bool
	// Width is the terminal's width; 0 means DefaultWidth.
	Width int
	// Quiet leaves out the summary line.
	Quiet bool
}

const (
	reset = "\x1b[0m"
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
	cyan  = "\x1b[36m"
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
func (t Text) Publish(w io.Writer, rep *finding.Report) error { return publish(t.Stream(w), rep) }

// Stream implements Reporter: each finding is written as it comes.
func (t Text) Stream(w io.Writer) Stream { return &textStream{t: t, w: bufio.NewWriter(w)} }

type textStream struct {
	t      Text
	w      *bufio.Writer
	config []finding.ConfigUsed
}

func (s *textStream) Begin(m Meta) error {
	s.config = m.Config
	return nil
}
func (s *textStream) Suppressed(finding.Suppressed) error { return nil }

func (s *textStream) Finding(f finding.Finding) error {
	t := s.t
	fmt.Fprintf(s.w, "%s %s %s %s\n",
		t.paint(bold, fmt.Sprintf("%s:%d:%d:", plain(f.File), f.Start.Line, f.Start.Column)),
		t.paint(levelColor[f.Level], f.Level.String()),
		t.paint(bold, plain(f.Rule)+":"), fixMark(f)+plain(f.Message))
	num := strconv.Itoa(f.Start.Line)
	pad := strings.Repeat(" ", len(num))
	if !f.Source.Empty() {
		width := t.Width
		if width <= 0 {
			width = DefaultWidth
		}
		src := layout(f.Source, f.Start, f.End, width-len(num)-4) // " 12 | "
		fmt.Fprintf(s.w, " %s %s %s\n", t.paint(dim, num), t.paint(dim, "|"), src.text)
		fmt.Fprintf(s.w, " %s %s %s%s\n", pad, t.paint(dim, "|"), strings.Repeat(" ", src.pad),
			t.paint(levelColor[f.Level], strings.Repeat("^", src.marks)))
	}
	context := ""
	if f.Context != "" {
		context = "facts from " + f.Context
	}
	for _, l := range [][2]string{{"note", context}, {"note", f.Note}, {"help", f.Help}, {"see", f.Docs}} {
		if l[1] != "" {
			fmt.Fprintf(s.w, " %s %s %s\n", pad, t.paint(bold+cyan, "= "+l[0]+":"), plain(l[1]))
		}
	}
	return nil
}

func (s *textStream) End(sum finding.Summary, failures []finding.Failure) error {
	if !s.t.Quiet {
		fmt.Fprintln(s.w, summaryLine(sum, failures)+configSummary(s.config, sum.Disabled))
	}
	return s.w.Flush()
}

// summaryLine says what a run saw, one thing per word: findings by level; files, targets,
// suppressed and skipped; and, apart from the findings, what could not be checked.
func summaryLine(s finding.Summary, failures []finding.Failure) string {
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
	if f := failedSummary(failures); f != "" {
		out += "; " + f
	}
	return out
}

// failedSummary counts what the failures kept from being checked: the files they name, and
// whether something else stopped the run. Empty when nothing failed.
func failedSummary(failures []finding.Failure) string {
	files := map[string]bool{}
	other := false
	for _, fl := range failures {
		if fl.File != "" {
			files[fl.File] = true
		} else {
			other = true
		}
	}
	var parts []string
	if n := len(files); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s could not be checked", n, plural(n, "file", "files")))
	}
	if other {
		parts = append(parts, "the check did not finish")
	}
	return strings.Join(parts, "; ")
}

// WriteFailures writes each failure on its own line, `ssmpolicy: file:line:col: message`, as
// the tool writes its errors to standard error.
func WriteFailures(w io.Writer, failures []finding.Failure) error {
	bw := bufio.NewWriter(w)
	for _, fl := range failures {
		fmt.Fprintf(bw, "ssmpolicy: %s\n", plain(fl.Error()))
	}
	return bw.Flush()
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

// configSummary names the configuration files the run used, and counts the rules they
// turned off: a configuration that silences rules must not do so unseen.
func configSummary(config []finding.ConfigUsed, disabled int) string {
	if len(config) == 0 {
		return ""
	}
	files := make([]string, len(config))
	for i, c := range config {
		files[i] = plain(c.File)
	}
	out := "; config " + strings.Join(files, ", ")
	if disabled > 0 {
		out += fmt.Sprintf(" (%d %s off)", disabled, plural(disabled, "rule", "rules"))
	}
	return out
}
