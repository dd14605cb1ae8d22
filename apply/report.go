package apply

import (
	"encoding/json"
	"io"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Report is the JSON object `apply -o json` writes; docs/apply.md documents it.
type Report struct {
	Version    int                  `json:"version"`
	DryRun     bool                 `json:"dryRun"`
	Findings   []finding.Finding    `json:"findings"`
	Suppressed []finding.Suppressed `json:"suppressed"`
	Errors     []finding.Failure    `json:"errors,omitempty"`
	Plan       []Change             `json:"plan"`
	Results    []Result             `json:"results"`
	Summary    ReportSummary        `json:"summary"`
}

// ReportSummary is the check summary plus the counts of the plan and the results.
type ReportSummary struct {
	finding.Summary
	Plan        ActionCounts `json:"plan"`
	Results     ActionCounts `json:"results"`
	Applied     int          `json:"applied"`
	Interrupted bool         `json:"interrupted"`
	ExitCode    int          `json:"exitCode"`
}

// ActionCounts counts changes or results by action.
type ActionCounts struct {
	Create   int `json:"create"`
	Update   int `json:"update"`
	NoChange int `json:"no-change"`
	Refused  int `json:"refused"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
}

func (c *ActionCounts) add(a Action) {
	switch a {
	case Create:
		c.Create++
	case Update:
		c.Update++
	case NoChange:
		c.NoChange++
	case Refused:
		c.Refused++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	}
}

// Report is the outcome as the JSON report: the checks' findings, the plan, the results and
// the summary with the exit code.
func (o *Outcome) Report() Report {
	out := Report{
		Version: 1, DryRun: o.DryRun,
		Findings: o.rep.Findings, Suppressed: o.rep.Suppressed, Errors: o.rep.Failures,
		Plan: o.Plan.Changes, Results: o.Results,
	}
	if out.Results == nil {
		out.Results = []Result{}
	}
	for _, c := range o.Plan.Changes {
		out.Summary.Plan.add(c.Action)
	}
	for _, r := range o.Results {
		out.Summary.Results.add(r.Action)
		if r.Applied() && o.Executed {
			out.Summary.Applied++
		}
	}
	out.Summary.Summary = o.rep.Summary
	out.Summary.Interrupted, out.Summary.ExitCode = o.Interrupted, o.ExitCode()
	return out
}

// WriteReport writes r as indented JSON, not HTML-escaped, so that messages read as written.
func WriteReport(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
