// Package jsonpos holds documents as trees whose every node knows the exact byte span it was
// read from, and turns those spans into line and column positions. It reads JSON itself (so it
// sees duplicate keys and reports syntax errors at the exact byte) and converts YAML nodes, and it
// maps a document held as a string inside another document back to the outer file.
package jsonpos

import (
	"sort"
	"unicode/utf8"
)

// checkEvery is how many nodes the readers read between two looks at their context.
const checkEvery = 4096

// Pos is one point in a file. Lines and columns count from 1; columns count characters (runes),
// offsets count bytes from the start of the file.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// Span is a half-open byte range [Start, End) in a file.
type Span struct {
	Start, End int
}

// markEvery is the spacing, in bytes, of the rune marks a File keeps: converting between byte
// offsets and columns then costs at most this many bytes of decoding, however long the line
// (a minified template or a one-line flow mapping can be a megabyte on one line).
const markEvery = 128

// File is a source text with an index of its line starts.
type File struct {
	Name string
	Src  []byte
	// lineStarts[i] is the byte offset at which line i+1 begins.
	lineStarts []int
	// marks[k] is the first rune boundary at or after byte k*markEvery, and runes[k] the number
	// of runes before it (invalid bytes count one rune each, as utf8.DecodeRune reads them).
	marks, runes []int
}

// NewFile indexes src. Lines end at "\n"; a "\r" before it belongs to the line end, so CRLF
// files get the same columns as LF files.
func NewFile(name string, src []byte) *File {
	starts := make([]int, 1, 64)
	marks := make([]int, 0, len(src)/markEvery+1)
	runes := make([]int, 0, len(src)/markEvery+1)
	count := 0
	for i := 0; i < len(src); {
		for i >= len(marks)*markEvery {
			marks = append(marks, i)
			runes = append(runes, count)
		}
		b := src[i]
		if b < utf8.RuneSelf {
			if b == '\n' {
				starts = append(starts, i+1)
			}
			i++
		} else {
			_, size := utf8.DecodeRune(src[i:])
			i += size
		}
		count++
	}
	return &File{Name: name, Src: src, lineStarts: starts, marks: marks, runes: runes}
}

// runeIndex is the number of runes before byte offset (a rune cut by offset counts as one).
func (f *File) runeIndex(offset int) int {
	k := offset / markEvery
	if k >= len(f.marks) {
		k = len(f.marks) - 1
	}
	for k > 0 && f.marks[k] > offset {
		k--
	}
	if k < 0 || f.marks[k] > offset {
		return utf8.RuneCount(f.Src[:offset])
	}
	return f.runes[k] + utf8.RuneCount(f.Src[f.marks[k]:offset])
}

// Pos converts a byte offset into a position. Offsets past the end are clamped to the end.
func (f *File) Pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > len(f.Src) {
		offset = len(f.Src)
	}
	line := sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > offset }) - 1
	start := f.lineStarts[line]
	var col int
	if offset-start <= markEvery {
		col = 1 + utf8.RuneCount(f.Src[start:offset])
	} else {
		col = 1 + f.runeIndex(offset) - f.runeIndex(start)
	}
	if line == 0 && hasBOM(f.Src) && offset >= 3 {
		col-- // a byte order mark is not a character the user sees
	}
	return Pos{Line: line + 1, Column: col, Offset: offset}
}

// Offset converts a 1-based line and rune column back into a byte offset (YAML reports
// positions as line and column). Out-of-range values are clamped.
func (f *File) Offset(line, column int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lineStarts) {
		return len(f.Src)
	}
	off := f.lineStarts[line-1]
	if line == 1 && hasBOM(f.Src) {
		off = 3
	}
	if column > markEvery {
		off = f.skipToMark(line, off, column)
		column -= f.runeIndex(off) - f.runeIndex(f.lineStartOrBOM(line))
	}
	for c := 1; c < column && off < len(f.Src) && f.Src[off] != '\n'; c++ {
		if f.Src[off] < utf8.RuneSelf {
			off++
			continue
		}
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
	}
	return off
}

func (f *File) lineStartOrBOM(line int) int {
	if line == 1 && hasBOM(f.Src) {
		return 3
	}
	return f.lineStarts[line-1]
}

// skipToMark returns the last rune mark on line at or before column (counted from off, the
// first character of the line), or off when there is none: Offset decodes from there.
func (f *File) skipToMark(line, off, column int) int {
	want := f.runeIndex(off) + column - 1
	lineEnd := len(f.Src)
	if line < len(f.lineStarts) {
		lineEnd = f.lineStarts[line] - 1 // the "\n"
	}
	k := sort.Search(len(f.runes), func(i int) bool { return f.runes[i] > want }) - 1
	if k < 0 || f.marks[k] <= off {
		return off
	}
	if f.marks[k] > lineEnd {
		return lineEnd // the column is past the end of the line
	}
	return f.marks[k]
}

// LineText returns the text of a 1-based line without its line end.
func (f *File) LineText(line int) string {
	if line < 1 || line > len(f.lineStarts) {
		return ""
	}
	start := f.lineStarts[line-1]
	end := len(f.Src)
	if line < len(f.lineStarts) {
		end = f.lineStarts[line] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	if end < start {
		end = start
	}
	return string(f.Src[start:end])
}

func hasBOM(src []byte) bool {
	return len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF
}

// EncodingError reports text written in UTF-16 (or UTF-32): with a byte order mark, or ASCII with
// every other byte zero; nil for anything else. ParseJSON and ParseYAML return it too. The YAML library would decode it, but the positions it reports would
// then not be offsets into the file, and JSON exchanged between systems is UTF-8 (RFC 8259): the
// file is reported at its start rather than checked with positions that are wrong.
func EncodingError(src []byte) error {
	why := ""
	switch {
	case len(src) >= 2 && (src[0] == 0xFF && src[1] == 0xFE || src[0] == 0xFE && src[1] == 0xFF):
		why = "it starts with a UTF-16 byte order mark"
	case len(src) >= 4 && src[0] == 0 && src[1] == 0 && src[2] == 0xFE && src[3] == 0xFF:
		why = "it starts with a UTF-32 byte order mark"
	case len(src) >= 4 && (asciiZero(src[0], src[1]) && asciiZero(src[2], src[3]) || asciiZero(src[1], src[0]) && asciiZero(src[3], src[2])):
		why = "every other byte is zero"
	default:
		return nil
	}
	return &SyntaxError{Offset: 0, Msg: "the text is UTF-16 or UTF-32 (" + why + "): inputs must be UTF-8, the encoding JSON is exchanged in (RFC 8259); save the file as UTF-8"}
}

func asciiZero(a, b byte) bool { return a != 0 && a < utf8.RuneSelf && b == 0 }
