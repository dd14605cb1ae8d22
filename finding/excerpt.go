package finding

import (
	"bytes"
	"unicode/utf8"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Excerpt is what a finding keeps of the line its span starts on, for the reporters that show
// the source: never the whole line, which in a one-line Terraform plan is megabytes, but the
// text around the start of the span and, when the span ends far along the same line, the text
// around its end. An excerpt holds at most MaxExcerpt bytes.
type Excerpt struct {
	// Text is the line from column Column on; it holds the start of the span.
	Text   string
	Column int
	// Tail, when set, is the text around the end of a span that runs past Text, from column
	// TailColumn; what lies between Text and Tail is left out.
	Tail       string
	TailColumn int
	// More says that the line goes on after the last text kept.
	More bool
}

// The windows an excerpt keeps, in bytes: enough for a window as wide as a wide terminal, and
// a few hundred bytes per finding however long the line.
const (
	keepBefore     = 96  // before the start of the span
	keepHead       = 224 // from the start of the span
	keepTailBefore = 96  // before the end of a long span
	keepTailAfter  = 64  // after it

	// MaxExcerpt bounds the bytes an excerpt holds.
	MaxExcerpt = keepBefore + keepHead + keepTailBefore + keepTailAfter
)

// Empty reports whether the excerpt holds no text to show (an empty line shows nothing).
func (e Excerpt) Empty() bool { return e.Text == "" && e.Tail == "" }

// ExcerptOf cuts the excerpt of the span [start, end) out of f.
func ExcerptOf(f *jsonpos.File, start, end jsonpos.Pos) Excerpt {
	if f == nil || start.Line < 1 {
		return Excerpt{}
	}
	return ExcerptAt(f.Src, f.Offset(start.Line, 1), start, end)
}

// ExcerptAt cuts the excerpt of the span [start, end) out of src, where the span's first line
// begins at byte lineStart (after a byte order mark on the first line). It reads only the
// bytes it keeps and those up to the next line break within its windows, so that findings on
// a long line cost no more than findings on a short one.
func ExcerptAt(src []byte, lineStart int, start, end jsonpos.Pos) Excerpt {
	s := start.Offset
	if lineStart < 0 || s < lineStart || s > len(src) || start.Column < 1 {
		return Excerpt{}
	}
	a := forwardToRune(src, max(lineStart, s-keepBefore), s)
	if bytes.IndexByte(src[a:s], '\n') >= 0 {
		return Excerpt{} // the offset is not on the line: a position from another text
	}
	b, atEOL := lineCut(src, s, keepHead)
	ex := Excerpt{Column: start.Column - utf8.RuneCount(src[a:s])}
	last := b
	if e := end.Offset; end.Line == start.Line && e > b && e <= len(src) && !atEOL && end.Column > start.Column {
		// end.Line says no line break comes between b and e: only the bytes kept are read.
		t0 := forwardToRune(src, max(b, e-keepTailBefore), e)
		t1, _ := lineCut(src, e, keepTailAfter)
		switch {
		case bytes.IndexByte(src[t0:e], '\n') >= 0:
			// a position from another text: keep the head alone
		case t0 == b:
			b, last = t1, t1 // the tail joins the head: one piece
		default:
			ex.Tail, ex.TailColumn = string(src[t0:t1]), end.Column-utf8.RuneCount(src[t0:e])
			last = t1
		}
	}
	ex.Text = string(src[a:b])
	ex.More = !lineEndsAt(src, last)
	return ex
}

// forwardToRune moves i forward to the start of a character, not past limit.
func forwardToRune(src []byte, i, limit int) int {
	for i < limit && !utf8.RuneStart(src[i]) {
		i++
	}
	return i
}

// lineCut is where a window of at most limit bytes from offset from ends: at the line's end
// (before "\n" or "\r\n"), or earlier on a character boundary. atEOL says the line ends there.
func lineCut(src []byte, from, limit int) (cut int, atEOL bool) {
	stop := min(len(src), from+limit)
	if i := bytes.IndexByte(src[from:stop], '\n'); i >= 0 {
		cut = from + i
		if cut > from && src[cut-1] == '\r' {
			cut--
		}
		return cut, true
	}
	cut = stop
	for cut > from && cut < len(src) && !utf8.RuneStart(src[cut]) {
		cut--
	}
	if cut > from && cut == len(src) && src[cut-1] == '\r' {
		cut--
	}
	return cut, lineEndsAt(src, cut)
}

// lineEndsAt reports whether nothing of the line follows offset i.
func lineEndsAt(src []byte, i int) bool {
	switch {
	case i >= len(src), src[i] == '\n':
		return true
	case src[i] == '\r':
		return i+1 == len(src) || src[i+1] == '\n'
	}
	return false
}
