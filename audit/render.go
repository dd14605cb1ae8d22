package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/report"
)

// JSONVersion is the version of the -o json document; it changes only when the shape does.
const JSONVersion = 1

// Document is the -o json shape (docs/audit.md): what was audited, the inventory, and the
// findings as check's -o json writes them.
type Document struct {
	Version    int                  `json:"version"`
	Time       string               `json:"time"`
	Scopes     []ScopeResult        `json:"scopes"`
	Inventory  []Row                `json:"inventory"`
	Findings   []finding.Finding    `json:"findings"`
	Suppressed []finding.Suppressed `json:"suppressed"`
	Summary    finding.Summary      `json:"summary"`
	Errors     []finding.Failure    `json:"errors,omitempty"`
}

// WriteJSON writes the result as one JSON document (the Document shape), streaming the
// inventory and the findings one element at a time: encoded whole, the document of a large
// account would need several times its size in memory on top of the rows themselves.
func WriteJSON(w io.Writer, res *Result) error {
	j := &jsonWriter{w: bufio.NewWriter(w)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.raw("{\n")
	j.field("version", JSONVersion, false)
	j.field("time", res.Time.UTC().Format("2006-01-02T15:04:05Z"), false)
	j.field("scopes", res.Scopes, false)
	list(j, "inventory", res.Inventory)
	list(j, "findings", res.Report.Findings)
	list(j, "suppressed", res.Report.Suppressed)
	j.field("summary", res.Report.Summary, len(res.Report.Failures) == 0)
	if len(res.Report.Failures) > 0 {
		j.field("errors", res.Report.Failures, true)
	}
	j.raw("}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// jsonWriter writes a JSON object field by field, indented as json.Encoder indents it.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v indented to sit at depth (1: a field of the document, 2: an element of one
// of its lists).
func (j *jsonWriter) value(v any, depth int) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	j.enc.SetIndent(strings.Repeat("  ", depth), "  ")
	if j.err = j.enc.Encode(v); j.err == nil {
		_, j.err = j.w.Write(bytes.TrimRight(j.buf.Bytes(), "\n"))
	}
}

func (j *jsonWriter) field(name string, v any, last bool) {
	j.raw(fmt.Sprintf("  %q: ", name))
	j.value(v, 1)
	j.end(last)
}

func (j *jsonWriter) end(last bool) {
	if last {
		j.raw("\n")
	} else {
		j.raw(",\n")
	}
}

// list writes a field holding a list (never null), one element at a time.
func list[T any](j *jsonWriter, name string, items []T) {
	if len(items) == 0 {
		j.raw(fmt.Sprintf("  %q: [],\n", name))
		return
	}
	j.raw(fmt.Sprintf("  %q: [", name))
	for i, it := range items {
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    ")
		j.value(it, 2)
	}
	j.raw("\n  ],\n")
}

// shareText is a share state as the text table shows it.
func shareText(state string) string { return strings.ReplaceAll(state, "-", " ") }

// WriteText writes the inventory table, then the findings as check writes them (text is the
// check's text reporter), then one summary line of the audit.
func WriteText(w io.Writer, res *Result, text report.Publisher) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, headline(res))
	if len(res.Inventory) > 0 {
		fmt.Fprintln(bw)
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RESOURCE\tREGION\tACCOUNTS GRANTED\tACTIONS\tSHARE\tFINDINGS")
		for _, r := range res.Inventory {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", r.Resource, r.Region, orDash(r.Accounts), orDash(r.Actions), shareText(r.Share), r.Findings)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(res.Report.Findings) > 0 || len(res.Report.Failures) > 0 {
		// The findings exactly as check prints them, without check's summary line (it counts
		// files, and audit reads none): audit's own follows.
		var buf bytes.Buffer
		if err := text.Publish(&buf, res.Report); err != nil {
			return err
		}
		body := strings.TrimRight(buf.String(), "\n")
		if i := strings.LastIndexByte(body, '\n'); i >= 0 {
			fmt.Fprintf(bw, "\n%s\n", body[:i])
		}
	}
	fmt.Fprintf(bw, "\n%s\n", summary(res))
	return bw.Flush()
}

func orDash(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	return strings.Join(list, ",")
}

// headline says what was audited.
func headline(res *Result) string {
	accounts, regions := map[string]bool{}, map[string]bool{}
	params := 0
	for _, s := range res.Scopes {
		accounts[s.Account], regions[s.Region] = true, true
		params += s.Parameters
	}
	policies := 0
	for _, r := range res.Inventory {
		policies += len(r.Policies)
	}
	return fmt.Sprintf("ssmpolicy audit of %s in %s (%s): %s listed, %s with %s",
		count(len(accounts), "account", "accounts"), count(len(regions), "region", "regions"),
		count(len(res.Scopes), "account and region", "accounts and regions"),
		count(params, "Advanced parameter", "Advanced parameters"),
		count(len(res.Inventory), "resource shared", "resources shared"), count(policies, "policy", "policies"))
}

// summary counts the findings by level, as check's summary does.
func summary(res *Result) string {
	s := res.Report.Summary
	var parts []string
	for _, l := range finding.Levels() {
		if n := s.Count(l); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	out := "no findings"
	if s.Findings > 0 {
		out = fmt.Sprintf("%s (%s)", count(s.Findings, "finding", "findings"), strings.Join(parts, ", "))
	}
	out += fmt.Sprintf(" in %s", count(s.Targets, "deployed policy", "deployed policies"))
	if s.Suppressed > 0 {
		out += fmt.Sprintf("; %d suppressed", s.Suppressed)
	}
	if n := len(res.Report.Failures); n > 0 {
		out += fmt.Sprintf("; %s (on standard error): the audit is incomplete", count(n, "failure", "failures"))
	}
	return out
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// WriteMarkdown writes a report to paste into a ticket: what was audited and when, the
// inventory as a table, then the findings as the markdown reporter md writes them.
func WriteMarkdown(w io.Writer, res *Result, md report.Publisher) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## SSM resource policies shared, as of %s\n\n", res.Time.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(bw, "%s.\n\n", mdEscape(headline(res)))
	bw.WriteString("| Account | Region | Via | Advanced parameters | Resources shared | Complete |\n| --- | --- | --- | ---: | ---: | --- |\n")
	for _, s := range res.Scopes {
		done := "yes"
		if !s.Complete {
			done = "**no**"
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %d | %d | %s |\n", mdEscape(s.Account), mdEscape(s.Region), mdEscape(s.Via), s.Parameters, s.Resources, done)
	}
	if len(res.Inventory) > 0 {
		bw.WriteString("\n| Resource | Region | Accounts granted | Actions | Share | Findings |\n| --- | --- | --- | --- | --- | ---: |\n")
		for _, r := range res.Inventory {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %d |\n", mdEscape(r.Resource), mdEscape(r.Region),
				mdEscape(orDash(r.Accounts)), mdEscape(strings.ReplaceAll(orDash(r.Actions), ",", ", ")), shareText(r.Share), r.Findings)
		}
	} else {
		bw.WriteString("\nNo resource carries a resource policy.\n")
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return err
	}
	return md.Publish(w, res.Report)
}

// mdEscape keeps text literal in a table cell.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", `\<`, ">", `\>`, "[", `\[`, "]", `\]`, "\n", " ")

func mdEscape(s string) string { return mdEscaper.Replace(s) }
