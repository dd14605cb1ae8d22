// Package jsonpos holds documents as trees whose every node knows the exact byte span it was
// read from, and turns those spans into line and column positions. It reads JSON itself (so it
// sees duplicate keys and reports syntax errors at the exact byte) and converts YAML nodes, and it
// maps a document held as a string inside another document back to the outer file.
package jsonpos

import (
	"sort"
	"unicode/utf8"
)

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

// File is a source text with an index of its line starts.
type File struct {
	Name string
	Src  []byte
	// lineStarts[i] is the byte offset at which line i+1 begins.
	lineStarts []int
}

// NewFile indexes src. Lines end at "\n"; a "\r" before it belongs to the line end, so CRLF
// files get the same columns as LF files.
func NewFile(name string, src []byte) *File {
	starts := make([]int, 1, 64)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &File{Name: name, Src: src, lineStarts: starts}
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
	col := 1 + utf8.RuneCount(f.Src[start:offset])
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
	for c := 1; c < column && off < len(f.Src) && f.Src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
	}
	return off
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
