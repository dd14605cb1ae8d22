package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// Markdown writes a summary for people: counts per level, a table of findings that links
// each to its line and its rule's page, the suppressed findings and the errors. It is the
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
func (m Markdown) Publish(w io.Writer, rep *finding.Report) error {
	bw := bufio.NewWriter(w)
	s := rep.Summary
	var counts []string
	for _, l := range finding.Levels() {
		counts = append(counts, fmt.Sprintf("%d %s", s.Count(l), l))
	}
	if n := len(rep.Failures); n > 0 {
		counts = append(counts, fmt.Sprintf("check incomplete: %d %s", n, plural(n, "error", "errors")))
	}
	fmt.Fprintf(bw, "### ssmpolicy: %s\n\n", strings.Join(counts, " · "))
	fmt.Fprintf(bw, "%s.\n", mdText(Text{}.summary(rep)))

	budget := m.Limit
	if n := len(rep.Findings); n > 0 {
		bw.WriteString("\n| Location | Level | Rule | Message |\n| --- | --- | --- | --- |\n")
		if rest := n - m.rows(bw, &budget, n, func(i int) string {
			f := rep.Findings[i]
			return fmt.Sprintf("| %s | %s | %s | %s |\n", m.location(f.File, f.Start.Line, f.Start.Column),
				f.Level, ruleLink(f.Rule, f.Docs), mdText(f.Message))
		}); rest > 0 {
			fmt.Fprintf(bw, "\n%d more %s not shown here: the annotations and the SARIF log have them all.\n", rest, plural(rest, "finding", "findings"))
		}
	}

	if n := len(rep.Suppressed); n > 0 {
		fmt.Fprintf(bw, "\n<details><summary>%d suppressed %s</summary>\n\n", n, plural(n, "finding", "findings"))
		bw.WriteString("| Location | Rule | Reason | Suppressed by |\n| --- | --- | --- | --- |\n")
		if rest := n - m.rows(bw, &budget, n, func(i int) string {
			f := rep.Suppressed[i]
			return fmt.Sprintf("| %s | %s | %s | %s |\n", m.location(f.File, f.Start.Line, f.Start.Column),
				f.Rule, mdText(f.Reason), mdText(f.By))
		}); rest > 0 {
			fmt.Fprintf(bw, "\n%d more not shown here.\n", rest)
		}
		bw.WriteString("\n</details>\n")
	}

	if len(rep.Failures) > 0 {
		bw.WriteString("\n#### Errors\n\nThe check could not do all of its job (exit code 2):\n\n")
		for _, fl := range rep.Failures {
			if fl.File != "" {
				line, col := 0, 0
				if fl.Start != nil {
					line, col = fl.Start.Line, fl.Start.Column
				}
				fmt.Fprintf(bw, "- %s: %s\n", m.location(fl.File, line, col), mdText(fl.Message))
			} else {
				fmt.Fprintf(bw, "- %s\n", mdText(fl.Message))
			}
		}
	}
	return bw.Flush()
}

// rows writes the n rows that row makes while they fit in the budget (all of them without a
// Limit), and returns how many it wrote.
func (m Markdown) rows(w *bufio.Writer, budget *int, n int, row func(int) string) int {
	for i := range n {
		r := row(i)
		if m.Limit > 0 {
			if len(r) > *budget {
				return i
			}
			*budget -= len(r)
		}
		w.WriteString(r)
	}
	return n
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
	return "[" + mdText(rule) + "](" + linkEscaper.Replace(docs) + ")"
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

func mdText(s string) string { return mdEscaper.Replace(s) }
