package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// JUnit writes JUnit XML, the test report GitLab, Jenkins, Azure Pipelines and most CI
// systems display: a testsuite per file, a testcase per target with findings (named by its
// resource ARN, or by the file when the target has none), a <failure> per finding, and an
// <error> per problem that kept the check from finishing.
//
// A target without findings cannot be shown as a passing testcase: the report counts
// targets but does not list them. A file whose findings were all suppressed is known,
// though, and appears as one passing testcase that lists the suppressions in system-out.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Errors    []junitProblem `xml:"error"`
	Failures  []junitProblem `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// Publish implements Reporter.
func (JUnit) Publish(w io.Writer, rep *finding.Report) error {
	suites := map[string]*junitSuite{}
	suite := func(name string) *junitSuite {
		s, ok := suites[name]
		if !ok {
			s = &junitSuite{Name: name}
			suites[name] = s
		}
		return s
	}
	// Findings come sorted by file, then position, so each target's testcase gathers its
	// failures in the order of the file.
	cases := map[[2]string]*junitCase{}
	var order [][2]string
	for _, f := range rep.Findings {
		key := [2]string{f.File, cmp.Or(f.Resource, f.File)}
		c, ok := cases[key]
		if !ok {
			c = &junitCase{Name: key[1], Classname: f.File}
			cases[key] = c
			order = append(order, key)
		}
		body := fmt.Sprintf("%s:%d:%d: %s %s: %s\npointer: %s", f.File, f.Start.Line, f.Start.Column,
			f.Level, f.Rule, f.Message, cmp.Or(f.Pointer, "(document)"))
		if f.Resource != "" {
			body += "\nresource: " + f.Resource
		}
		if f.Docs != "" {
			body += "\ndocs: " + f.Docs
		}
		c.Failures = append(c.Failures, junitProblem{Type: f.Rule, Message: f.Message, Body: body})
	}
	for _, key := range order {
		s := suite(key[0])
		s.Cases = append(s.Cases, *cases[key])
	}

	var quiet []string
	bySuppressedFile := map[string][]string{}
	for _, f := range rep.Suppressed {
		if _, ok := suites[f.File]; !ok && len(bySuppressedFile[f.File]) == 0 {
			quiet = append(quiet, f.File)
		}
		bySuppressedFile[f.File] = append(bySuppressedFile[f.File],
			fmt.Sprintf("%s:%d:%d: %s suppressed (%s) by %s", f.File, f.Start.Line, f.Start.Column, f.Rule, f.Reason, cmp.Or(f.By, "the configuration")))
	}
	for _, file := range quiet {
		suite(file).Cases = append(suite(file).Cases, junitCase{
			Name: file, Classname: file, SystemOut: strings.Join(bySuppressedFile[file], "\n") + "\n",
		})
	}

	for _, fl := range rep.Failures {
		name := cmp.Or(fl.File, "ssmpolicy")
		s := suite(name)
		s.Cases = append(s.Cases, junitCase{Name: name, Classname: name,
			Errors: []junitProblem{{Type: "error", Message: fl.Message, Body: fl.Error()}}})
	}

	if len(suites) == 0 {
		// A clean run is one passing test rather than an empty report, which some CI systems
		// show as "no tests found".
		suite("ssmpolicy").Cases = []junitCase{{Name: "ssmpolicy check", Classname: "ssmpolicy",
			SystemOut: Text{}.summary(rep) + "\n"}}
	}

	out := junitSuites{Name: "ssmpolicy"}
	names := make([]string, 0, len(suites))
	for name := range suites {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s := suites[name]
		for _, c := range s.Cases {
			s.Tests++
			switch {
			case len(c.Errors) > 0:
				s.Errors++
			case len(c.Failures) > 0:
				s.Failures++
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Suites = append(out.Suites, *s)
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
