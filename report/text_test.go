package report

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// findingIn places a finding of rule on the first occurrence of sub in f, with its excerpt
// cut as the engine cuts it.
func findingIn(t testing.TB, f *jsonpos.File, sub, rule string) finding.Finding {
	t.Helper()
	i := strings.Index(string(f.Src), sub)
	if i < 0 {
		t.Fatalf("%q not in %s", sub, f.Name)
	}
	start, end := f.Pos(i), f.Pos(i+len(sub))
	return finding.Finding{Rule: rule, Level: finding.Warning, File: f.Name, Message: "m", Start: start, End: end,
		Source: finding.ExcerptOf(f, start, end)}
}

// textOf writes findings as text at width.
func textOf(t testing.TB, width int, fs ...finding.Finding) string {
	t.Helper()
	rep := &finding.Report{Findings: fs}
	rep.Finish()
	return string(publishT(t, Text{Width: width}, rep))
}

// sourceLines returns the excerpt and marker lines of text output (those with the gutter).
func sourceLines(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " | ") || strings.HasSuffix(l, " |") {
			got = append(got, l)
		}
	}
	return got
}

// markedText is the text of the excerpt line above the markers: the cells the carets sit under.
func markedText(t *testing.T, out string) string {
	t.Helper()
	lines := sourceLines(out)
	if len(lines) != 2 {
		t.Fatalf("want an excerpt and a marker line, got %q", lines)
	}
	text, marks := lines[0], lines[1]
	start := strings.IndexByte(marks, '^')
	end := strings.LastIndexByte(marks, '^') + 1
	// Cells and bytes differ once a wide character or … is met: walk the text by cells.
	var b strings.Builder
	cell := 0
	for _, r := range text {
		w := runewidth.RuneWidth(r)
		if cell >= start && cell < end {
			b.WriteRune(r)
		}
		cell += w
	}
	return b.String()
}

func TestTextMarksTheSpan(t *testing.T) {
	f := jsonpos.NewFile("p.json", []byte("{\n\t\"Principal\": {\"AWS\": \"名前*\"},\n}\n"))
	out := textOf(t, 0, findingIn(t, f, `"名前*"`, "principal-wildcard"))
	if got := markedText(t, out); got != `"名前*"` {
		t.Errorf("the markers are under %q, want the span; output:\n%s", got, out)
	}
	if strings.Contains(out, "\t") {
		t.Errorf("a tab reached the output, where it would move the markers:\n%s", out)
	}
}

// TestTextLongLineIsCut checks a one-line plan: the excerpt is a window around the span,
// within the width, with … where text is left out.
func TestTextLongLineIsCut(t *testing.T) {
	line := `{"resource_changes": [` + strings.Repeat(`{"address": "aws_ssm_parameter.p"}, `, 500) +
		`{"policy": "{\"Principal\": \"*\"}"}, ` + strings.Repeat(`{"address": "aws_ssm_parameter.q"}, `, 500) + `{}]}`
	f := jsonpos.NewFile("plan.json", []byte(line))
	for _, width := range []int{0, 80, 200} {
		out := textOf(t, width, findingIn(t, f, `\"*\"`, "principal-wildcard"))
		want := width
		if want == 0 {
			want = DefaultWidth
		}
		for _, l := range sourceLines(out) {
			if w := runewidth.StringWidth(l); w > want {
				t.Errorf("width %d: a line of %d cells: %q", width, w, l)
			}
		}
		src := sourceLines(out)[0]
		if !strings.Contains(src, "…") || !strings.HasSuffix(src, "…") || !strings.Contains(src, `"{\"Principal\": \"*\"}"`) {
			t.Errorf("width %d: excerpt %q is not a window around the span", width, src)
		}
		if got := markedText(t, out); got != `\"*\"` {
			t.Errorf("width %d: markers under %q", width, got)
		}
	}
}

// TestTextLongSpanByStartAndEnd checks a span longer than the window: its start and its end
// are shown, joined by …, and marked.
func TestTextLongSpanByStartAndEnd(t *testing.T) {
	policy := `"{\"Statement\": [` + strings.Repeat(`{\"Effect\": \"Allow\"}, `, 300) + `{}]}"`
	f := jsonpos.NewFile("plan.json", []byte(`{"policy": `+policy+`, "after": 1}`))
	out := textOf(t, 0, findingIn(t, f, policy, "policy-size"))
	src := sourceLines(out)[0]
	if runewidth.StringWidth(src) > DefaultWidth {
		t.Errorf("a line of %d cells", runewidth.StringWidth(src))
	}
	marked := markedText(t, out)
	if !strings.HasPrefix(marked, `"{\"Statement\": [`) || !strings.HasSuffix(marked, `{}]}"`) || !strings.Contains(marked, "…") {
		t.Errorf("marked %q: want the span's start and end joined by …\n%s", marked, out)
	}
	if !strings.Contains(src, `"policy": `) || !strings.Contains(src, `, "after": 1`) {
		t.Errorf("no context around the span: %q", src)
	}
}

// TestTextOutputIsBounded is the amplification case: a megabyte one-line plan with 400
// findings must not print the line 400 times.
func TestTextOutputIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"resource_changes": [`)
	for i := range 400 {
		fmt.Fprintf(&b, `{"policy": "{\"Principal\": \"*\"}", "pad%d": "%s"}, `, i, strings.Repeat("x", 2700))
	}
	b.WriteString(`{}]}`)
	src := b.String()
	f := jsonpos.NewFile("plan.json", []byte(src))
	var fs []finding.Finding
	for i := 0; ; {
		j := strings.Index(src[i:], `\"*\"`)
		if j < 0 {
			break
		}
		start, end := f.Pos(i+j), f.Pos(i+j+len(`\"*\"`))
		fs = append(fs, finding.Finding{Rule: "principal-wildcard", Level: finding.SecurityWarning, File: "plan.json",
			Message: "grants everyone", Start: start, End: end, Source: finding.ExcerptOf(f, start, end)})
		if n := len(fs[len(fs)-1].Source.Text) + len(fs[len(fs)-1].Source.Tail); n > finding.MaxExcerpt {
			t.Fatalf("a finding keeps %d bytes of the line", n)
		}
		i += j + 1
	}
	if len(src) < 1<<20 || len(fs) != 400 {
		t.Fatalf("fixture: %d bytes, %d findings", len(src), len(fs))
	}
	out := textOf(t, 0, fs...)
	if perFinding := len(out) / len(fs); perFinding > 600 {
		t.Errorf("%d bytes of output per finding (%d in all) for a %d-byte line", perFinding, len(out), len(src))
	}
}

// TestTextControlCharacters checks that what an input's author wrote cannot drive the
// terminal or forge a line: ESC, CR, line breaks and bidirectional overrides are shown by
// their escapes, in the file name, the message, the help and the excerpt.
func TestTextControlCharacters(t *testing.T) {
	f := jsonpos.NewFile("evil\x1b[31m.json", []byte("{\"Sid\": \"a\x1b]0;pwned\x07\rb\u202e\", \"x\": 1}"))
	fd := findingIn(t, f, "\"x\"", "sid-format")
	fd.Message = "fake\n/etc/passwd:1:1: error schema: forged\r\x1b[2K"
	fd.Help = "run \x1b[8mhidden"
	out := textOf(t, 0, fd)
	if strings.ContainsAny(out, "\x1b\r\x07\u202e") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
	for _, want := range []string{`evil\x1b[31m.json:1:`, `fake\n/etc/passwd:1:1: error schema: forged\r\x1b[2K`,
		`= help: run \x1b[8mhidden`, `"a\x1b]0;pwned\x07\rb\u202e"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := markedText(t, out); got != `"x"` {
		t.Errorf("markers under %q after the escapes widened the line", got)
	}
	if lines := strings.Count(out, "\n"); lines != 5 { // header, excerpt, markers, help, summary
		t.Errorf("%d lines, want 5:\n%s", lines, out)
	}
}

func TestTextNoteHelpSee(t *testing.T) {
	fd := finding.Finding{Rule: "parameter-tier", Level: finding.Error, File: "p.json", Message: "Standard tier",
		Help: "raise it", Note: "tier from --tier", Docs: "https://example.com/parameter-tier", Start: pos(1, 1, 0), End: pos(1, 2, 1)}
	out := textOf(t, 0, fd)
	want := "p.json:1:1: error parameter-tier: Standard tier\n" +
		"   = note: tier from --tier\n   = help: raise it\n   = see: https://example.com/parameter-tier\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", out, want)
	}
}

func TestTextSummary(t *testing.T) {
	for _, c := range []struct {
		fails []finding.Failure
		want  string
	}{
		{nil, "no findings in 2 files, 3 targets"},
		{[]finding.Failure{{File: "a.json", Message: "x"}, {File: "a.json", Message: "y"}}, "no findings in 2 files, 3 targets; 1 file could not be checked"},
		{[]finding.Failure{{File: "a.json"}, {File: "b.json"}, {Message: "stopped: context canceled"}},
			"no findings in 2 files, 3 targets; 2 files could not be checked; the check did not finish"},
	} {
		if got := summaryLine(finding.Summary{Files: 2, Targets: 3}, c.fails); got != c.want {
			t.Errorf("summary = %q, want %q", got, c.want)
		}
	}
	if got := summaryLine(finding.Summary{Findings: 7, Error: 3, Warning: 4}, []finding.Failure{{File: "x"}}); strings.Count(got, "error") != 1 {
		t.Errorf("%q uses \"error\" for two things", got)
	}
}

func TestWriteFailures(t *testing.T) {
	var b strings.Builder
	p := jsonpos.Pos{Line: 4, Column: 13}
	if err := WriteFailures(&b, []finding.Failure{{File: "m.yaml", Start: &p, Message: "read policy x\x1b[2J: no such file"}, {Message: "stopped"}}); err != nil {
		t.Fatal(err)
	}
	if want := "ssmpolicy: m.yaml:4:13: read policy x\\x1b[2J: no such file\nssmpolicy: stopped\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestLayoutCases(t *testing.T) {
	mk := func(text string, col int, more bool) finding.Excerpt {
		return finding.Excerpt{Text: text, Column: col, More: more}
	}
	at := func(col int) jsonpos.Pos { return jsonpos.Pos{Line: 1, Column: col} }
	for _, c := range []struct {
		name       string
		ex         finding.Excerpt
		start, end jsonpos.Pos
		width      int
		text       string
		pad, marks int
	}{
		{"fits", mk(`"a": "b"`, 1, false), at(6), at(9), 40, `"a": "b"`, 5, 3},
		{"cut before and after the kept text", mk(`"a": "b"`, 10, true), at(15), at(18), 40, `…"a": "b"…`, 6, 3},
		{"point at the end of the line", mk(`{`, 1, false), at(2), at(2), 40, `{`, 1, 1},
		{"window", mk(strings.Repeat("a", 50)+"XY"+strings.Repeat("b", 50), 1, false), at(51), at(53), 30,
			"…" + strings.Repeat("a", 13) + "XY" + strings.Repeat("b", 13) + "…", 14, 2},
		{"wide characters", mk("名前: *", 1, false), at(5), at(6), 40, "名前: *", 6, 1},
		{"a span to other lines", mk(`  "Principal": {`+strings.Repeat(" ", 40), 1, true), at(16), jsonpos.Pos{Line: 3, Column: 2}, 30,
			`  "Principal": {` + strings.Repeat(" ", 13) + "…", 15, 15},
	} {
		got := layout(c.ex, c.start, c.end, c.width)
		if got.text != c.text || got.pad != c.pad || got.marks != c.marks {
			t.Errorf("%s: got %q pad %d marks %d, want %q pad %d marks %d", c.name, got.text, got.pad, got.marks, c.text, c.pad, c.marks)
		}
		if w := runewidth.StringWidth(got.text); w > max(c.width, minSourceWidth) || !utf8.ValidString(got.text) {
			t.Errorf("%s: %d cells", c.name, w)
		}
	}
}

// FuzzExcerptLayout cuts and lays out excerpts of arbitrary text at arbitrary spans and
// widths: no panic, and never wider than the width.
func FuzzExcerptLayout(f *testing.F) {
	f.Add("{\"Principal\": \"*\"}", 14, 17, 80)
	f.Add("a\tb\x1b[2J名前\r\nnext line", 2, 30, 24)
	f.Add(strings.Repeat("x", 2000)+"\n", 5, 1990, 120)
	f.Fuzz(func(t *testing.T, src string, from, to, width int) {
		file := jsonpos.NewFile("f.json", []byte(src))
		n := len(src) + 1
		from, to = ((from%n)+n)%n, ((to%n)+n)%n
		start, end := file.Pos(from), file.Pos(max(from, to))
		ex := finding.ExcerptOf(file, start, end)
		if len(ex.Text)+len(ex.Tail) > finding.MaxExcerpt {
			t.Fatalf("excerpt of %d bytes", len(ex.Text)+len(ex.Tail))
		}
		width = minSourceWidth + ((width%200)+200)%200
		got := layout(ex, start, end, width)
		if w := runewidth.StringWidth(got.text); w > width {
			t.Fatalf("%d cells in %d: %q", w, width, got.text)
		}
		if got.pad < 0 || got.marks < 1 || got.pad+got.marks > width+1 {
			t.Fatalf("markers at %d, %d in %d", got.pad, got.marks, width)
		}
	})
}
