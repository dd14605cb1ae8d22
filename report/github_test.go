package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// unescapeV2 undoes the escapes the way the Actions runner reads a `::` command
// (ActionCommand.TryParseV2): each escape back to its character, %25 last.
func unescapeV2(s string, property bool) string {
	pairs := []string{"%0D", "\r", "%0A", "\n"}
	if property {
		pairs = append(pairs, "%3A", ":", "%2C", ",")
	}
	for i := 0; i < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return strings.ReplaceAll(s, "%25", "%")
}

func TestGitHubEscaping(t *testing.T) {
	for _, c := range []struct{ in, data, prop string }{
		{"100%", "100%25", "100%25"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A is not a newline", "%250A is not a newline", "%250A is not a newline"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{"für 名前", "für 名前", "für 名前"},
		{"\x1b[2J\x07bell", `\x1b[2J\x07bell`, `\x1b[2J\x07bell`},
		{"rtl\u202eod", `rtl\u202eod`, `rtl\u202eod`},
	} {
		if got := escapeData(c.in); got != c.data {
			t.Errorf("escapeData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := escapeProperty(c.in); got != c.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", c.in, got, c.prop)
		}
		if strings.ContainsAny(c.in, "\x1b\u202e") {
			continue // shown by their escapes: no way back, by design
		}
		if back := unescapeV2(escapeData(c.in), false); back != c.in {
			t.Errorf("data %q comes back as %q", c.in, back)
		}
		if back := unescapeV2(escapeProperty(c.in), true); back != c.in {
			t.Errorf("property %q comes back as %q", c.in, back)
		}
	}
}

func TestGitHubCommands(t *testing.T) {
	rep := &finding.Report{Findings: []finding.Finding{
		{Rule: "principal-wildcard", Level: finding.SecurityWarning, File: "dir/a,b:c.json",
			Message: "100% open:\nto all, really", Start: pos(3, 5, 20), End: pos(3, 9, 24)},
		{Rule: "schema", Level: finding.Error, File: "/src/project/x.json",
			Message: "spans lines", Start: pos(2, 3, 5), End: pos(4, 2, 30)},
		{Rule: "principal-self", Level: finding.Suggestion, File: finding.StdinName,
			Message: "from stdin", Start: pos(1, 1, 0), End: pos(1, 1, 0)},
	}}
	rep.Finish()
	got := string(publishT(t, GitHub{WorkDir: workDir}, rep))
	want := "::error file=/src/project/x.json,line=2,endLine=4,title=schema::spans lines\n" +
		"::notice title=principal-self::from stdin\n" +
		"::warning file=/src/project/dir/a%2Cb%3Ac.json,line=3,col=5,endLine=3,endColumn=8,title=principal-wildcard::100%25 open:%0Ato all, really\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGitHubStepSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(path, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := fixtureReport()
	r := newReporterWith(t, "github", Options{WorkDir: workDir, StepSummary: path})
	out := publishT(t, r, rep)
	if strings.Contains(string(out), "###") {
		t.Error("the summary went to standard output")
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md := string(publishT(t, newReporterWith(t, "markdown", Options{WorkDir: workDir}), rep))
	if string(got) != "earlier step\n"+md {
		t.Errorf("summary file:\n%s\nwant the earlier content, then:\n%s", got, md)
	}

	bad := newReporterWith(t, "github", Options{WorkDir: workDir, StepSummary: filepath.Join(t.TempDir(), "no", "such", "dir")})
	if err := bad.Publish(&strings.Builder{}, rep); err == nil {
		t.Error("an unwritable summary file went unreported")
	}
}
