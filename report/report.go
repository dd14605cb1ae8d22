// Package report renders a finding.Report in each output format behind one small interface.
package report

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// Reporter writes a report in one format, in one call (Publish) or as the findings arrive
// (Stream).
type Reporter interface {
	Publisher
	// Stream returns a writer of one report to w.
	Stream(w io.Writer) Stream
}

// Publisher writes a whole report: the one-call form of Stream, and all that a writer of
// several outputs (standard output and files) offers.
type Publisher interface {
	Publish(w io.Writer, rep *finding.Report) error
}

// Stream writes one report piece by piece, so that a run can write its findings as they
// arrive without holding them all: Begin once, then the findings and suppressed findings in
// the order of the report (by file, then position), then End once with the counts and the
// failures. Text, json, github, junit and markdown write each finding as it comes (junit holds
// one file's, to count its test suite); json and markdown hold the suppressed findings, which
// they list after the findings, until End; sarif holds the whole log until End.
type Stream interface {
	Begin(meta Meta) error
	Finding(f finding.Finding) error
	Suppressed(s finding.Suppressed) error
	End(sum finding.Summary, failures []finding.Failure) error
}

// Meta is what is known of a report before its first finding.
type Meta struct {
	// Version is the version of the report's JSON shape.
	Version int
	// Config lists the configuration files the run uses and the rules they turn off: all of
	// them are read before the first file is checked.
	Config []finding.ConfigUsed
}

// publish writes rep through s: the findings and suppressed findings merged in file and
// position order, as a run streams them.
func publish(s Stream, rep *finding.Report) error {
	if err := s.Begin(Meta{Version: rep.Version, Config: rep.Config}); err != nil {
		return err
	}
	fs, ss := rep.Findings, rep.Suppressed
	for len(fs) > 0 || len(ss) > 0 {
		var err error
		if len(ss) == 0 || len(fs) > 0 && !suppressedFirst(fs[0], ss[0]) {
			err, fs = s.Finding(fs[0]), fs[1:]
		} else {
			err, ss = s.Suppressed(ss[0]), ss[1:]
		}
		if err != nil {
			return err
		}
	}
	return s.End(rep.Summary, rep.Failures)
}

func suppressedFirst(f finding.Finding, s finding.Suppressed) bool {
	return cmp.Or(cmp.Compare(s.File, f.File), cmp.Compare(s.Start.Offset, f.Start.Offset)) < 0
}

// Options are what some formats need besides the findings.
type Options struct {
	// Color turns on ANSI colours in text output.
	Color bool
	// Width is the width of the terminal text output goes to; 0 when it is not a terminal
	// (source excerpts are then kept within DefaultWidth columns).
	Width int
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
		return Text{Color: opts.Color, Width: opts.Width, Quiet: opts.Quiet}, nil
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
