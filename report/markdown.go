package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Markdown writes a summary for people: a table of findings that links each to its line and
// its rule's page, the counts per level, the suppressed findings and the errors. It is the
// GitHub job summary, and fits a merge request comment or a wiki page as well.
type Markdown struct {
	// WorkDir is where relative paths start.
	WorkDir string
	// Source links file:line to the hosted file; without it links are relative paths,
	// which resolve where the Markdown sits at the repository root.
	Source *SourceLinks
	// Limit caps the bytes of the tables (0: none); rows past it are counted, not shown.
	Limit int
}

// SourceLinks says where the checked files can be read on the web.
type SourceLinks struct {
	// Base is the URL that a path relative to Root is appended to.
	Base string
	// Root is the local directory Base stands for.
	Root string
}

// GitHubSource links to the commit a GitHub Actions job checked, read from the variables the
// runner sets; nil outside Actions.
func GitHubSource(getenv func(string) string) *SourceLinks {
	server, repo, sha, ws := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"), getenv("GITHUB_SHA"), getenv("GITHUB_WORKSPACE")
	if server == "" || repo == "" || sha == "" || ws == "" {
		return nil
	}
	return &SourceLinks{Base: strings.TrimSuffix(server, "/") + "/" + repo + "/blob/" + sha + "/", Root: ws}
}

// Publish implements Reporter.
func (m Markdown) Publish(w io.Writer, rep *finding.Report) error { return publish(m.Stream(w), rep) }

// Stream implements Reporter. The table of findings is written a row at a time as they come;
// the counts, which are known only at the end, follow it, then the suppressed findings (held
// until then, and within the Limit when there is one) and the errors.
func (m Markdown) Stream(w io.Writer) Stream {
	return &markdownStream{m: m, w: bufio.NewWriter(w), budget: m.Limit}
}

type markdownStream struct {
	m      Markdown
	w      *bufio.Writer
	budget int
	// findings counts the findings; hidden those past the Limit, not shown.
	findings, hidden int
	suppressed       []string
	suppressedHidden int
}

func (s *markdownStream) Begin(Meta) error {
	_, err := s.w.WriteString("### ssmpolicy\n")
	return err
}

// fits takes a row's bytes from the budget, and reports whether the row is shown. Once one row
// does not fit, none after it is shown, so that the table has no holes.
func (s *markdownStream) fits(row string, hidden int) bool {
	if s.m.Limit == 0 {
		return true
	}
	if hidden > 0 || len(row) > s.budget {
		return false
	}
	s.budget -= len(row)
	return true
}

func (s *markdownStream) Finding(f finding.Finding) error {
	if s.findings == 0 {
		s.w.WriteString("\n| Location | Level | Rule | Message |\n| --- | --- | --- | --- |\n")
	}
	s.findings++
	msg := mdText(f.Message)
	if f.Note != "" {
		msg += "<br>note: " + mdText(f.Note)
	}
	if f.Help != "" {
		msg += "<br>help: " + mdText(f.Help)
	}
	row := fmt.Sprintf("| %s | %s | %s | %s |\n", s.m.location(f.File, f.Start.Line, f.Start.Column),
		f.Level, ruleLink(f.Rule, f.Docs), msg)
	if !s.fits(row, s.hidden) {
		s.hidden++
		return nil
	}
	_, err := s.w.WriteString(row)
	return err
}

func (s *markdownStream) Suppressed(f finding.Suppressed) error {
	row := fmt.Sprintf("| %s | %s | %s | %s |\n", s.m.location(f.File, f.Start.Line, f.Start.Column),
		mdText(f.Rule), mdText(f.Reason), mdText(f.By))
	if s.m.Limit > 0 && (s.suppressedHidden > 0 || len(row) > s.budget) {
		s.suppressedHidden++ // counted at once: the budget left decides now, not at End
		return nil
	}
	s.budget -= len(row)
	s.suppressed = append(s.suppressed, row)
	return nil
}

func (s *markdownStream) End(sum finding.Summary, failures []finding.Failure) error {
	bw := s.w
	if s.hidden > 0 {
		fmt.Fprintf(bw, "\n%d more %s not shown here: the annotations and the SARIF log have them all.\n", s.hidden, plural(s.hidden, "finding", "findings"))
	}
	var counts []string
	for _, l := range finding.Levels() {
		counts = append(counts, fmt.Sprintf("%d %s", sum.Count(l), l))
	}
	if len(failures) > 0 {
		counts = append(counts, "check incomplete")
	}
	fmt.Fprintf(bw, "\n**%s**\n\n%s.\n", strings.Join(counts, " · "), mdText(summaryLine(sum, failures)))

	if n := len(s.suppressed) + s.suppressedHidden; n > 0 {
		fmt.Fprintf(bw, "\n<details><summary>%d suppressed %s</summary>\n\n", n, plural(n, "finding", "findings"))
		bw.WriteString("| Location | Rule | Reason | Suppressed by |\n| --- | --- | --- | --- |\n")
		for _, row := range s.suppressed {
			bw.WriteString(row)
		}
		if s.suppressedHidden > 0 {
			fmt.Fprintf(bw, "\n%d more not shown here.\n", s.suppressedHidden)
		}
		bw.WriteString("\n</details>\n")
	}

	if len(failures) > 0 {
		bw.WriteString("\n#### Errors\n\nThe check could not do all of its job (exit code 2):\n\n")
		for _, fl := range failures {
			if fl.File != "" {
				line, col := 0, 0
				if fl.Start != nil {
					line, col = fl.Start.Line, fl.Start.Column
				}
				fmt.Fprintf(bw, "- %s: %s\n", s.m.location(fl.File, line, col), mdText(fl.Message))
			} else {
				fmt.Fprintf(bw, "- %s\n", mdText(fl.Message))
			}
		}
	}
	return bw.Flush()
}

// location is file:line:col, linked to the line when the file can be found.
func (m Markdown) location(file string, line, col int) string {
	text := file
	if line > 0 {
		text += ":" + strconv.Itoa(line)
		if col > 0 {
			text += ":" + strconv.Itoa(col)
		}
	}
	text = mdText(text)
	target := m.target(file)
	if target == "" {
		return text
	}
	if line > 0 {
		target += "#L" + strconv.Itoa(line)
	}
	return "[" + text + "](" + target + ")"
}

// target is the URL of file, or "" when there is none to give.
func (m Markdown) target(file string) string {
	p := locate(m.WorkDir, file)
	if p.abs == "" {
		return ""
	}
	if m.Source != nil {
		rel := locate(m.Source.Root, p.abs).rel
		if rel == "" {
			return ""
		}
		return m.Source.Base + linkEscaper.Replace(escapePath(rel))
	}
	if p.rel == "" {
		return ""
	}
	return linkEscaper.Replace(escapePath(p.rel))
}

func ruleLink(rule, docs string) string {
	if docs == "" {
		return mdText(rule)
	}
	return "[" + mdText(rule) + "](" + linkEscaper.Replace(escapeAll.escape(docs)) + ")"
}

var (
	// mdEscaper keeps text literal in a table cell: Markdown's punctuation is backslash-escaped
	// (CommonMark allows it before any ASCII punctuation), so `*` stays a star and <stdin> is
	// not taken for an HTML tag and dropped; a | would end the cell and a line break the row,
	// so line breaks become <br>.
	mdEscaper = strings.NewReplacer(
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
		"|", `\|`, "~", `\~`, "&", `\&`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>")
	// linkEscaper keeps a URL inside its (...).
	linkEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
)

// mdText escapes text for a table cell. Control characters are written as \x1b first (a
// rendered page would drop them, a raw one would keep ESC for the terminal that shows it).
func mdText(s string) string { return mdEscaper.Replace(escapeKeepLines.escape(s)) }
