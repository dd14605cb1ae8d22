package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Policy text, file names and custom rules' messages are written by whoever wrote the input,
// and a pull request can carry anything. Written raw, ESC starts a terminal control sequence
// (recolour, move the cursor, clear the screen, set the window title), CR returns to the start
// of the line to overwrite it, and a line break forges a line of output: a finding that is not
// there, or a workflow command in a CI log. So every format shows such characters by their
// escapes, as Go writes them in a string literal: \x1b, \r, \n, \u202e.

// controlSet says which characters a format leaves to its own escaping.
type controlSet struct {
	// lf and cr keep "\n" and "\r" as they are: the format writes them its own way (a
	// workflow command's %0A, Markdown's <br>, an XML character reference).
	lf, cr bool
	// tab keeps "\t".
	tab bool
}

var (
	// escapeAll is for text on a terminal and in logs: no control character is left.
	escapeAll = controlSet{}
	// escapeKeepLines is for formats that escape line breaks themselves.
	escapeKeepLines = controlSet{lf: true, cr: true, tab: true}
	// escapeKeepLF is for XML, whose readers show a line feed as a line break and may show a
	// carriage return as a return to the start of the line.
	escapeKeepLF = controlSet{lf: true, tab: true}
)

// needsEscape reports whether r is shown by its escape: C0 and C1 control characters, DEL,
// the line and paragraph separators (read as line breaks by some viewers), the bidirectional
// formatting characters, which can make text read in another order than it is written, and
// the two noncharacters XML 1.0 cannot hold.
func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029, r == 0xfffe, r == 0xffff:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escape returns s with the control characters that set does not keep written as escapes, and
// bytes that are not UTF-8 as \xNN. Text that needs none comes back as it is.
func (set controlSet) escape(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case set.keeps(r) || !needsEscape(r):
			b.WriteString(s[i : i+size])
		default:
			b.WriteString(escapeRune(r))
		}
		i += size
	}
	return b.String()
}

func (set controlSet) keeps(r rune) bool {
	return set.lf && r == '\n' || set.cr && r == '\r' || set.tab && r == '\t'
}

// escapeRune is the escape of a character that needsEscape.
func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// plain escapes text for a terminal or a log.
func plain(s string) string { return escapeAll.escape(s) }

// jsonEscapeRest writes, in encoded JSON, the characters needsEscape names that encoding/json
// leaves raw (DEL, the C1 controls, the bidirectional formatting characters) as \u escapes:
// the same strings to a JSON reader, and nothing a terminal acts on when a script prints them.
// Such characters occur in JSON text only inside strings, so replacing them is safe.
func jsonEscapeRest(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r < 0x7f || size == 1 && r == utf8.RuneError || !needsEscape(r) {
			out = append(out, b[i:i+size]...)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}
