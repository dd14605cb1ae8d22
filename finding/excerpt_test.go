package finding

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// span returns the positions of the first occurrence of sub in src, as jsonpos computes them.
func span(t *testing.T, f *jsonpos.File, sub string) (jsonpos.Pos, jsonpos.Pos) {
	t.Helper()
	i := strings.Index(string(f.Src), sub)
	if i < 0 {
		t.Fatalf("%q not in the source", sub)
	}
	return f.Pos(i), f.Pos(i + len(sub))
}

func TestExcerptShortLineIsWhole(t *testing.T) {
	f := jsonpos.NewFile("p.json", []byte("{\n  \"Principal\": \"*\",\r\n}\n"))
	start, end := span(t, f, `"*"`)
	ex := ExcerptOf(f, start, end)
	want := Excerpt{Text: `  "Principal": "*",`, Column: 1}
	if ex != want {
		t.Errorf("excerpt = %+v, want %+v", ex, want)
	}
}

func TestExcerptSkipsByteOrderMark(t *testing.T) {
	f := jsonpos.NewFile("p.json", []byte("\ufeff{\"Version\": 1}"))
	start, end := span(t, f, "1")
	ex := ExcerptOf(f, start, end)
	if ex.Text != `{"Version": 1}` || ex.Column != 1 {
		t.Errorf("excerpt = %+v, want the line without its byte order mark", ex)
	}
}

// TestExcerptLongLineIsBounded checks what a finding keeps of a megabyte line: a window
// around the span, on character boundaries, whose columns match the file's.
func TestExcerptLongLineIsBounded(t *testing.T) {
	pad := strings.Repeat("é", 300_000) // two bytes each: windows must not split one
	src := `{"a": "` + pad + `", "Principal": "*", "b": "` + pad + `"}`
	f := jsonpos.NewFile("plan.json", []byte(src))
	start, end := span(t, f, `"*"`)
	ex := ExcerptOf(f, start, end)
	if n := len(ex.Text) + len(ex.Tail); n > MaxExcerpt {
		t.Fatalf("excerpt holds %d bytes, more than %d", n, MaxExcerpt)
	}
	if !utf8.ValidString(ex.Text) || ex.Tail != "" || !ex.More {
		t.Fatalf("excerpt = %+v", ex)
	}
	i := strings.Index(ex.Text, `"*"`)
	if i < 0 {
		t.Fatalf("the span is not in the excerpt %q", ex.Text)
	}
	if col := ex.Column + utf8.RuneCountInString(ex.Text[:i]); col != start.Column {
		t.Errorf("the span is at column %d of the excerpt, want %d", col, start.Column)
	}
}

// TestExcerptLongSpanKeepsBothEnds checks a span longer than the windows on one line: its
// start and its end are kept, with their columns, and the middle is left out.
func TestExcerptLongSpanKeepsBothEnds(t *testing.T) {
	policy := `"{\"Statement\": [` + strings.Repeat(`{\"Effect\": \"Allow\"}, `, 2000) + `{}]}"`
	src := `{"policy": ` + policy + `, "after": 1}`
	f := jsonpos.NewFile("plan.json", []byte(src))
	start, end := span(t, f, policy)
	ex := ExcerptOf(f, start, end)
	if n := len(ex.Text) + len(ex.Tail); n > MaxExcerpt {
		t.Fatalf("excerpt holds %d bytes, more than %d", n, MaxExcerpt)
	}
	if !strings.HasPrefix(ex.Text, `{"policy": "{\"Statement\"`) || ex.Column != 1 {
		t.Errorf("head = %q at %d", ex.Text, ex.Column)
	}
	if !strings.HasSuffix(ex.Tail, `{}]}", "after": 1}`) || ex.More {
		t.Errorf("tail = %q, more %v", ex.Tail, ex.More)
	}
	endInTail := strings.Index(ex.Tail, `, "after"`)
	if col := ex.TailColumn + utf8.RuneCountInString(ex.Tail[:endInTail]); col != end.Column {
		t.Errorf("the span ends at column %d of the tail, want %d", col, end.Column)
	}
}

// A span over several lines keeps its first line only.
func TestExcerptMultiLineSpan(t *testing.T) {
	f := jsonpos.NewFile("p.json", []byte("{\n  \"Principal\": {\n    \"AWS\": \"*\"\n  }\n}"))
	i := strings.Index(string(f.Src), "{\n    ")
	ex := ExcerptOf(f, f.Pos(i), f.Pos(i+25))
	if ex.Text != `  "Principal": {` || ex.Tail != "" || ex.More {
		t.Errorf("excerpt = %+v", ex)
	}
}

func TestExcerptOfNothing(t *testing.T) {
	if ex := ExcerptOf(nil, jsonpos.Pos{Line: 1, Column: 1}, jsonpos.Pos{}); !ex.Empty() {
		t.Errorf("no file gave %+v", ex)
	}
	f := jsonpos.NewFile("empty.json", nil)
	if ex := ExcerptOf(f, f.Pos(0), f.Pos(0)); !ex.Empty() {
		t.Errorf("an empty file gave %+v", ex)
	}
	// An offset that is not on the line named (a position from another text) keeps nothing.
	g := jsonpos.NewFile("p.json", []byte("ab\ncd"))
	if ex := ExcerptAt(g.Src, 0, jsonpos.Pos{Line: 1, Column: 5, Offset: 4}, jsonpos.Pos{}); !ex.Empty() {
		t.Errorf("a position past the line gave %+v", ex)
	}
}
