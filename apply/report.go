package apply

import (
	"encoding/json"
	"fmt"
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
	// Races counts the creates that met an identical create of another writer.
	Races int `json:"races"`
	// Promotion counts the promotion states of the results (of the plan in a dry run); absent
	// without --promote.
	Promotion map[PromotionState]int `json:"promotion,omitempty"`
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
	out.Summary.Races = o.Races()
	count := func(p *Promotion) {
		if p == nil {
			return
		}
		if out.Summary.Promotion == nil {
			out.Summary.Promotion = map[PromotionState]int{}
		}
		out.Summary.Promotion[p.State]++
	}
	if o.Executed {
		for _, r := range o.Results {
			count(r.Promotion)
		}
	} else {
		for _, c := range o.Plan.Changes {
			count(c.Promotion)
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

// Lines of `apply -o jsonl`: one JSON object per line, each with a "type", written as the run
// goes so that a run that is killed leaves a record of what it did.
const (
	LineFinding = "finding" // a finding of the checks
	LinePlan    = "plan"    // a change of the plan
	LineResult  = "result"  // a target's result, as soon as it is known
	LineSummary = "summary" // the last line: the summary and the notes
)

// WriteLine writes v (a finding.Finding, Change, Result or ReportSummary) as one JSON line of
// the given type.
func WriteLine(w io.Writer, typ string, v any) error {
	var line any
	switch x := v.(type) {
	case finding.Finding:
		line = struct {
			Type string `json:"type"`
			finding.Finding
		}{typ, x}
	case Change:
		line = struct {
			Type string `json:"type"`
			Change
		}{typ, x}
	case Result:
		line = struct {
			Type string `json:"type"`
			Result
		}{typ, x}
	case Summary:
		line = struct {
			Type string `json:"type"`
			Summary
		}{typ, x}
	default:
		return fmt.Errorf("write line: cannot write a %T", v)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(line)
}

// Summary is the last line of `apply -o jsonl`: the report's summary and the notes.
type Summary struct {
	ReportSummary
	Notes []string `json:"notes"`
}

// Summary is the outcome's summary line.
func (o *Outcome) Summary() Summary {
	return Summary{ReportSummary: o.Report().Summary, Notes: append([]string{}, o.Notes...)}
}
