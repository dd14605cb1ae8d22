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

// spanParts is an excerpt split around its span: the text before it, the span (its start
// and, when the middle of the span was not kept, its end), and the text after it.
type spanParts struct {
	before, span, spanEnd, after []glyph
	// cutBefore and cutAfter say that the line goes on beyond the text kept; gap that text
	// inside the span was not kept; multiLine that the span goes on to other lines.
	cutBefore, cutAfter, gap, multiLine bool
}

func splitSpan(ex finding.Excerpt, start, end jsonpos.Pos) spanParts {
	head := glyphs(ex.Text)
	si := clamp(start.Column-ex.Column, 0, len(head))
	p := spanParts{before: head[:si], cutBefore: ex.Column > 1, cutAfter: ex.More}
	switch {
	case ex.Tail != "":
		tail := glyphs(ex.Tail)
		ti := clamp(end.Column-ex.TailColumn, 0, len(tail))
		p.span, p.spanEnd, p.after, p.gap = head[si:], tail[:ti], tail[ti:], true
	case end.Line > start.Line:
		p.span, p.multiLine = head[si:], true // to the end of the line, and on
	default:
		ei := clamp(end.Column-ex.Column, si, len(head))
		p.span, p.after = head[si:ei], head[ei:]
	}
	return p
}

// layout shows the span [start, end) of ex in at most width cells: the whole excerpt when it
// fits, else a window around the span with … where text is left out; a span too long for the
// window is shown by its start and its end, with … between them, and one that goes on to
// other lines by as much of its start as fits.
func layout(ex finding.Excerpt, start, end jsonpos.Pos, width int) shownSource {
	width = max(width, minSourceWidth)
	p := splitSpan(ex, start, end)
	wb, wa := widthOf(p.before), widthOf(p.after)
	ws := widthOf(p.span) + widthOf(p.spanEnd)
	if p.gap {
		ws++
	}
	var lb, sh, se, ra []glyph // the text shown: before, span (start, end), after
	elide := false             // … between the start and the end of the span
	goesOn := false            // the … after the text stands for the rest of the span
	switch {
	case !p.gap && cell(p.cutBefore)+wb+ws+wa+cell(p.cutAfter) <= width:
		lb, sh, ra = p.before, p.span, p.after
	case !p.gap && !p.multiLine && ws+2 <= width:
		// The span whole, and as much around it as fits: half the room before it, or more
		// when there is little after it.
		room := width - ws - 2
		left := min(wb, max(room/2, room-wa))
		lb, sh, ra = lastCells(p.before, left), p.span, firstCells(p.after, min(wa, room-left))
	case p.multiLine:
		lb = lastCells(p.before, min(wb, width/2))
		sh = firstCells(p.span, width-cell(p.cutBefore || len(lb) < len(p.before))-widthOf(lb)-1)
		p.cutAfter, goesOn = true, true
	default:
		lb = lastCells(p.before, min(wb, longSpanContext))
		ra = firstCells(p.after, min(wa, longSpanContext))
		room := max(2, width-widthOf(lb)-widthOf(ra)-3)
		spanEnd := p.spanEnd
		if !p.gap {
			spanEnd = p.span
		}
		sh = firstCells(p.span, room/2)
		se = lastCells(spanEnd, room-widthOf(sh))
		if !p.gap && len(sh)+len(se) > len(p.span) {
			se = p.span[len(sh):]
		}
		elide = true
	}
	lead := p.cutBefore || len(lb) < len(p.before)
	trail := p.cutAfter || len(ra) < len(p.after)

	var b strings.Builder
	write := func(gs []glyph) {
		for _, g := range gs {
			b.WriteString(g.text)
		}
	}
	if lead {
		b.WriteString(ellipsis)
	}
	write(lb)
	write(sh)
	if elide {
		b.WriteString(ellipsis)
	}
	write(se)
	write(ra)
	if trail {
		b.WriteString(ellipsis)
	}
	marks := widthOf(sh) + cell(elide) + widthOf(se) + cell(goesOn)
	return shownSource{text: b.String(), pad: cell(lead) + widthOf(lb), marks: max(1, marks)}
}

// cell is the width of a … mark that is there when on is set.
func cell(on bool) int {
	if on {
		return 1
	}
	return 0
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
