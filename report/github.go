package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// GitHub writes GitHub Actions workflow commands: one annotation per finding, shown on the
// changed lines of a pull request, and appends the Markdown summary to the job summary.
type GitHub struct {
	// WorkDir makes paths absolute. The runner turns an absolute path under the workspace
	// into the repository path an annotation needs, while a relative one is taken as relative
	// to the repository root: wrong whenever the check ran in a subdirectory.
	WorkDir string
	// StepSummary is the GITHUB_STEP_SUMMARY file; empty writes no summary.
	StepSummary string
	// Summary renders the job summary.
	Summary Markdown
}

// stepSummaryLimit keeps the summary's tables under the 1 MiB GitHub accepts for one step,
// with room for the rest of the page.
const stepSummaryLimit = 900 << 10

// githubCommand maps our levels onto the three annotation levels.
func githubCommand(l finding.Level) string {
	switch l {
	case finding.Error:
		return "error"
	case finding.SecurityWarning, finding.Warning:
		return "warning"
	}
	return "notice"
}

// Publish implements Reporter.
func (g GitHub) Publish(w io.Writer, rep *finding.Report) error { return publish(g.Stream(w), rep) }

// Stream implements Reporter: an annotation per finding as it comes, the job summary streamed
// beside them, and the failures' annotations at the end.
func (g GitHub) Stream(w io.Writer) Stream { return &githubStream{g: g, w: bufio.NewWriter(w)} }

type githubStream struct {
	g GitHub
	w *bufio.Writer
	// summary writes the job summary to file; a failure to write it is reported at End,
	// after the annotations, which matter more.
	summary Stream
	file    *os.File
	err     error
}

func (s *githubStream) Begin(meta Meta) error {
	if s.g.StepSummary == "" {
		return nil
	}
	// Appended, never truncated: earlier steps of the job may have written their own part.
	f, err := os.OpenFile(s.g.StepSummary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		s.err = err
		return nil
	}
	sum := s.g.Summary
	sum.Limit = stepSummaryLimit
	s.file, s.summary = f, sum.Stream(f)
	s.summaryDo(func(st Stream) error { return st.Begin(meta) })
	return nil
}

// summaryDo passes a piece of the report on to the job summary, until writing it fails.
func (s *githubStream) summaryDo(do func(Stream) error) {
	if s.summary != nil && s.err == nil {
		s.err = do(s.summary)
	}
}

func (s *githubStream) Finding(f finding.Finding) error {
	var props []property
	if path := s.g.path(f.File); path != "" {
		props = append(props, property{"file", path})
		props = append(props, lineProps(f)...)
	}
	title := f.Rule
	if isResource(f.File) {
		title += " " + f.File + f.Pointer // no file to attach it to: say where it is
	}
	props = append(props, property{"title", title})
	writeCommand(s.w, githubCommand(f.Level), props, annotationText(f))
	s.summaryDo(func(st Stream) error { return st.Finding(f) })
	return nil
}

// annotationText is the message of a finding's annotation, with the note and the help on
// lines of their own.
func annotationText(f finding.Finding) string {
	msg := f.Message
	if f.Note != "" {
		msg += "\nnote: " + f.Note
	}
	if f.Help != "" {
		msg += "\nhelp: " + f.Help
	}
	return msg
}

func (s *githubStream) Suppressed(f finding.Suppressed) error {
	s.summaryDo(func(st Stream) error { return st.Suppressed(f) })
	return nil
}

func (s *githubStream) End(sum finding.Summary, failures []finding.Failure) error {
	for _, fl := range failures {
		var props []property
		if path := s.g.path(fl.File); path != "" {
			props = append(props, property{"file", path})
			if fl.Start != nil && fl.Start.Line > 0 {
				props = append(props, property{"line", strconv.Itoa(fl.Start.Line)})
				if fl.Start.Column > 0 {
					props = append(props, property{"col", strconv.Itoa(fl.Start.Column)})
				}
			}
		}
		props = append(props, property{"title", "ssmpolicy"})
		writeCommand(s.w, "error", props, fl.Message)
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	s.summaryDo(func(st Stream) error { return st.End(sum, failures) })
	if s.file != nil {
		if err := s.file.Close(); err != nil && s.err == nil {
			s.err = err
		}
	}
	if s.err != nil {
		return fmt.Errorf("job summary: %w", s.err)
	}
	return nil
}

// path is the file property of an annotation: absolute, or empty for standard input.
func (g GitHub) path(file string) string {
	return locate(g.WorkDir, file).abs
}

// lineProps places an annotation. GitHub drops columns from an annotation spanning several
// lines, so such a one names the lines only; on one line, endColumn is the last character
// (inclusive, as GitHub reads it) where our End is the one after.
func lineProps(f finding.Finding) []property {
	if f.Start.Line < 1 {
		return nil
	}
	props := []property{{"line", strconv.Itoa(f.Start.Line)}}
	switch {
	case f.End.Line > f.Start.Line:
		props = append(props, property{"endLine", strconv.Itoa(f.End.Line)})
	case f.Start.Column > 0:
		props = append(props, property{"col", strconv.Itoa(f.Start.Column)})
		if f.End.Line == f.Start.Line {
			props = append(props,
				property{"endLine", strconv.Itoa(f.End.Line)},
				property{"endColumn", strconv.Itoa(max(f.Start.Column, f.End.Column-1))})
		}
	}
	return props
}

type property struct{ key, value string }

// writeCommand writes `::cmd k=v,k=v::message`, as @actions/core's issueCommand does.
func writeCommand(w *bufio.Writer, cmd string, props []property, msg string) {
	w.WriteString("::")
	w.WriteString(cmd)
	for i, p := range props {
		if i == 0 {
			w.WriteByte(' ')
		} else {
			w.WriteByte(',')
		}
		w.WriteString(p.key)
		w.WriteByte('=')
		w.WriteString(escapeProperty(p.value))
	}
	w.WriteString("::")
	w.WriteString(escapeData(msg))
	w.WriteByte('\n')
}

// The escapes of the Actions toolkit (toolkit/packages/core/src/command.ts): the runner
// unescapes exactly these, so a message keeps its % and its line breaks, and a property its
// : and , without ending early. Other control characters have no escape the runner reads, and
// the log shows ESC raw as the start of a colour sequence: they are written as \x1b first.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(escapeKeepLines.escape(s)) }
func escapeProperty(s string) string { return propertyEscaper.Replace(escapeKeepLines.escape(s)) }
