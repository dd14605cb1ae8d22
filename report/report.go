// Package report renders a finding.Report in each output format behind one small interface.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// Reporter writes a report in one format.
type Reporter interface {
	Publish(w io.Writer, rep *finding.Report) error
}

// Options are what some formats need besides the findings.
type Options struct {
	// Color turns on ANSI colours in text output.
	Color bool
	// Quiet leaves the summary line out of text output.
	Quiet bool
	// Rules is the catalogue, for formats that describe the rules (SARIF).
	Rules *rules.Set
	// Version is the tool's version, for formats that name the tool.
	Version string
	// WorkDir is the directory relative paths are resolved against: SARIF's %SRCROOT%, the
	// absolute paths of GitHub annotations, the links of the Markdown summary. Empty means the
	// process's working directory.
	WorkDir string
	// StepSummary is the file GitHub Actions renders as the job summary (GITHUB_STEP_SUMMARY);
	// the github format appends its Markdown summary there when it is set.
	StepSummary string
	// Source, when set, turns file:line in Markdown into links to the hosted source.
	Source *SourceLinks
}

// Formats lists the output formats, in the order the help shows them. The list is new on
// every call, so that no caller can change the formats another sees.
func Formats() []string { return []string{"text", "json", "sarif", "github", "junit", "markdown"} }

// New returns the reporter for format.
func New(format string, opts Options) (Reporter, error) {
	if !slices.Contains(Formats(), format) {
		return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	dir := opts.WorkDir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("working directory: %w", err)
		}
		dir = wd
	}
	md := Markdown{WorkDir: dir, Source: opts.Source}
	switch format {
	case "text":
		return Text{Color: opts.Color, Quiet: opts.Quiet}, nil
	case "json":
		return JSON{}, nil
	case "sarif":
		return SARIF{Rules: opts.Rules, Version: opts.Version, WorkDir: dir}, nil
	case "github":
		return GitHub{WorkDir: dir, StepSummary: opts.StepSummary, Summary: md}, nil
	case "junit":
		return JUnit{}, nil
	case "markdown":
		return md, nil
	}
	return nil, fmt.Errorf("output format %q has no reporter", format)
}

// JSON writes the report as one JSON object, the shape scripts rely on.
type JSON struct{}

// Publish implements Reporter.
func (JSON) Publish(w io.Writer, rep *finding.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}
