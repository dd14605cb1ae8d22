package report

import (
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// DefaultWidth is the width source excerpts keep to when the output is not a terminal.
const DefaultWidth = 120

const (
	// minSourceWidth is the fewest cells an excerpt gets, however narrow the terminal.
	minSourceWidth = 24
	// longSpanContext is how much text an excerpt shows beside a span too long to show
	// whole, before its start and after its end.
	longSpanContext = 12
	// tabWidth is what a tab is shown as, so that the markers stay under their characters.
	tabWidth = 4
	ellipsis = "…"
)

// cellWidth measures characters in terminal cells: East Asian wide characters take two, and
// ambiguous ones one, whatever the locale, so that output is the same everywhere.
var cellWidth = &runewidth.Condition{}

// glyph is one character of a source line as the excerpt shows it.
type glyph struct {
	text  string
	width int
}

// glyphs splits text into what each character is shown as: control characters by their
// escapes, a tab as spaces, others as themselves.
func glyphs(text string) []glyph {
	out := make([]glyph, 0, len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var g glyph
		switch {
		case r == '\t':
			g = glyph{strings.Repeat(" ", tabWidth), tabWidth}
		case r == utf8.RuneError && size == 1, needsEscape(r):
			g.text = escapeAll.escape(text[i : i+size])
			g.width = len(g.text)
		default:
			g = glyph{text[i : i+size], cellWidth.RuneWidth(r)}
		}
		out = append(out, g)
		i += size
	}
	return out
}

func widthOf(gs []glyph) int {
	w := 0
	for _, g := range gs {
		w += g.width
	}
	return w
}

// firstCells is the longest start of gs that fits in n cells; lastCells the longest end.
func firstCells(gs []glyph, n int) []glyph {
	w := 0
	for i, g := range gs {
		if w+g.width > n {
			return gs[:i]
		}
		w += g.width
	}
	return gs
}

func lastCells(gs []glyph, n int) []glyph {
	w := 0
	for i := len(gs) - 1; i >= 0; i-- {
		if w+gs[i].width > n {
			return gs[i+1:]
		}
		w += gs[i].width
	}
	return gs
}

// shownSource is an excerpt laid out for the terminal: the text, and where the markers go
// under it.
type shownSource struct {
	text string
	// pad is the number of cells before the first marker; marks the number of markers.
	pad, marks int
}

// layout shows the span [start, end) of ex in at most width cells: the whole excerpt when it
// fits, else a window around the span with … where text is left out; a span too long for the
// window is shown by its start and its end, with … between them, and one that goes on to
// other lines by as much of its start as fits.
func layout(ex finding.Excerpt, start, end jsonpos.Pos, width int) shownSource {
	width = max(width, minSourceWidth)
	head := glyphs(ex.Text)
	si := clamp(start.Column-ex.Column, 0, len(head))
	var before, span, spanEnd, after []glyph
	before = head[:si]
	cutBefore, cutAfter := ex.Column > 1, ex.More
	gap := false // text inside the span is left out
	switch {
	case ex.Tail != "":
		tail := glyphs(ex.Tail)
		ti := clamp(end.Column-ex.TailColumn, 0, len(tail))
		span, spanEnd, after, gap = head[si:], tail[:ti], tail[ti:], true
	case end.Line > start.Line:
		span = head[si:] // to the end of the line, and on
	default:
		ei := clamp(end.Column-ex.Column, si, len(head))
		span, after = head[si:ei], head[ei:]
	}
	wb, wa := widthOf(before), widthOf(after)
	ws := widthOf(span) + widthOf(spanEnd)
	if gap {
		ws++
	}
	mark := func(cut bool) int {
		if cut {
			return 1
		}
		return 0
	}

	var b strings.Builder
	write := func(gs []glyph) {
		for _, g := range gs {
			b.WriteString(g.text)
		}
	}
	shown := shownSource{}
	multiLine := !gap && end.Line > start.Line
	switch {
	case !gap && mark(cutBefore)+wb+ws+wa+mark(cutAfter) <= width:
		// All of it.
		if cutBefore {
			b.WriteString(ellipsis)
		}
		write(before)
		write(span)
		write(after)
		if cutAfter {
			b.WriteString(ellipsis)
		}
		shown.pad, shown.marks = mark(cutBefore)+wb, ws
	case !gap && ws+2 <= width:
		// The span whole, and as much around it as fits: half the room before it, or more
		// when there is little after it.
		room := width - ws - 2
		left := min(wb, max(room/2, room-wa))
		right := min(wa, room-left)
		lb, ra := lastCells(before, left), firstCells(after, right)
		lead := cutBefore || len(lb) < len(before)
		if lead {
			b.WriteString(ellipsis)
		}
		write(lb)
		write(span)
		write(ra)
		if cutAfter || len(ra) < len(after) {
			b.WriteString(ellipsis)
		}
		shown.pad, shown.marks = mark(lead)+widthOf(lb), ws
	case multiLine:
		// A span that goes on to other lines: its start, and as much of it as fits.
		lb := lastCells(before, min(wb, width/2))
		lead := cutBefore || len(lb) < len(before)
		sh := firstCells(span, width-mark(lead)-widthOf(lb)-1)
		if lead {
			b.WriteString(ellipsis)
		}
		write(lb)
		write(sh)
		b.WriteString(ellipsis)
		shown.pad, shown.marks = mark(lead)+widthOf(lb), widthOf(sh)+1
	default:
		// A span longer than the window: its start and its end, with a little text on
		// each side.
		lb := lastCells(before, min(wb, longSpanContext))
		ra := firstCells(after, min(wa, longSpanContext))
		room := max(2, width-widthOf(lb)-widthOf(ra)-3)
		if !gap {
			spanEnd = span
		}
		sh := firstCells(span, room/2)
		se := lastCells(spanEnd, room-widthOf(sh))
		if !gap && len(sh)+len(se) > len(span) {
			se = span[len(sh):]
		}
		lead := cutBefore || len(lb) < len(before)
		if lead {
			b.WriteString(ellipsis)
		}
		write(lb)
		write(sh)
		b.WriteString(ellipsis)
		write(se)
		write(ra)
		if cutAfter || len(ra) < len(after) {
			b.WriteString(ellipsis)
		}
		shown.pad, shown.marks = mark(lead)+widthOf(lb), widthOf(sh)+1+widthOf(se)
	}
	shown.text = b.String()
	if shown.marks == 0 {
		shown.marks = 1 // a point, or a span at the end of the line
	}
	return shown
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
