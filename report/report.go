// Package report renders a finding.Report in each output format behind one small interface.
package report

import (
	"encoding/json"
	"fmt"
	"io"
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
	// Rules is the catalogue, for formats that describe the rules (SARIF).
	Rules *rules.Set
	// Version is the tool's version, for formats that name the tool.
	Version string
}

// Formats lists the output formats, in the order the help shows them.
var Formats = []string{"text", "json", "sarif", "github", "junit", "markdown"}

// New returns the reporter for format.
func New(format string, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return Text{Color: opts.Color}, nil
	case "json":
		return JSON{}, nil
	}
	if slices.Contains(Formats, format) {
		return nil, fmt.Errorf("output format %q is not available in this build", format)
	}
	return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats, ", "))
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
