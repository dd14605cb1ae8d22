package report

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// JUnit writes JUnit XML, the test report GitLab, Jenkins, Azure Pipelines and most CI
// systems display: a testsuite per file and a testcase per finding, named by its rule and
// position (its classname is the resource ARN, or the file when the target has none), holding
// a <failure>. A suppressed finding is a skipped testcase, and each problem that kept the
// check from finishing is a testcase with an <error>, in the suite of its file (or of
// "ssmpolicy"). A clean run is one passing testcase, since CI systems show an empty report as
// "no tests found". Targets without findings are not listed: the report counts them but does
// not name them.
//
// The suites are written one file at a time as the findings come; <testsuites> carries no
// totals, which would be known only at the end (CI systems count the testcases).
type JUnit struct{}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Error     *junitProblem `xml:"error"`
	Failure   *junitProblem `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// Publish implements Reporter.
func (j JUnit) Publish(w io.Writer, rep *finding.Report) error { return publish(j.Stream(w), rep) }

// Stream implements Reporter.
func (JUnit) Stream(w io.Writer) Stream {
	bw := bufio.NewWriter(w)
	enc := xml.NewEncoder(bw)
	enc.Indent("  ", "  ")
	return &junitStream{w: bw, enc: enc}
}

type junitStream struct {
	w   *bufio.Writer
	enc *xml.Encoder
	// suite gathers the testcases of the current file; written when the next file starts.
	suite  *junitSuite
	suites int
}

func (s *junitStream) Begin(Meta) error {
	s.w.WriteString(xml.Header)
	_, err := s.w.WriteString("<testsuites name=\"ssmpolicy\">\n")
	return err
}

// add puts a testcase in the suite of file, writing the suite before when file is another.
func (s *junitStream) add(file string, c junitCase) error {
	if s.suite != nil && s.suite.Name != file {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if s.suite == nil {
		s.suite = &junitSuite{Name: file}
	}
	sc := s.suite
	sc.Tests++
	switch {
	case c.Error != nil:
		sc.Errors++
	case c.Failure != nil:
		sc.Failures++
	case c.Skipped != nil:
		sc.Skipped++
	}
	sc.Cases = append(sc.Cases, c)
	return nil
}

func (s *junitStream) flush() error {
	if s.suite == nil {
		return nil
	}
	s.suite.Name = xmlText(s.suite.Name)
	err := s.enc.Encode(s.suite)
	s.suite = nil
	s.suites++
	return err
}

// xmlText keeps text readable in XML: XML 1.0 cannot hold most control characters (encoding/xml
// would write U+FFFD for them), so they are written as \x1b; line feeds and tabs stay.
func xmlText(s string) string { return escapeKeepLF.escape(s) }

func (s *junitStream) Finding(f finding.Finding) error {
	var body strings.Builder
	fmt.Fprintf(&body, "%s:%d:%d: %s %s: %s", f.File, f.Start.Line, f.Start.Column, f.Level, f.Rule, f.Message)
	if f.Note != "" {
		body.WriteString("\nnote: " + f.Note)
	}
	if f.Help != "" {
		body.WriteString("\nhelp: " + f.Help)
	}
	body.WriteString("\npointer: " + cmp.Or(f.Pointer, "(document)"))
	if f.Resource != "" {
		body.WriteString("\nresource: " + f.Resource)
	}
	if f.Docs != "" {
		body.WriteString("\ndocs: " + f.Docs)
	}
	return s.add(f.File, junitCase{
		Name: xmlText(caseName(f.Rule, f.Start.Line, f.Start.Column)), Classname: xmlText(cmp.Or(f.Resource, f.File)),
		Failure: &junitProblem{Type: xmlText(f.Rule), Message: xmlText(f.Message), Body: xmlText(body.String())},
	})
}

func (s *junitStream) Suppressed(f finding.Suppressed) error {
	return s.add(f.File, junitCase{
		Name: xmlText(caseName(f.Rule, f.Start.Line, f.Start.Column)), Classname: xmlText(f.File),
		Skipped: &junitSkipped{Message: xmlText(fmt.Sprintf("suppressed (%s) by %s: %s", cmp.Or(f.Reason, "no reason given"),
			cmp.Or(f.By, "the configuration"), f.Message))},
	})
}

// caseName names a finding's testcase: its rule and where it is.
func caseName(rule string, line, col int) string {
	return fmt.Sprintf("%s at %d:%d", rule, line, col)
}

func (s *junitStream) End(sum finding.Summary, failures []finding.Failure) error {
	for _, fl := range failures {
		name := cmp.Or(fl.File, "ssmpolicy")
		if err := s.add(name, junitCase{Name: xmlText(name), Classname: xmlText(name),
			Error: &junitProblem{Type: "error", Message: xmlText(fl.Message), Body: xmlText(fl.Error())}}); err != nil {
			return err
		}
	}
	if s.suite == nil && s.suites == 0 {
		s.suite = &junitSuite{Name: "ssmpolicy", Tests: 1, Cases: []junitCase{{Name: "ssmpolicy check", Classname: "ssmpolicy",
			SystemOut: summaryLine(sum, failures) + "\n"}}}
	}
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.enc.Flush(); err != nil {
		return err
	}
	s.w.WriteString("\n</testsuites>\n")
	return s.w.Flush()
}
