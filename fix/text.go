package fix

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// lineStart is the offset of the first byte of the line holding offset i.
func lineStart(src []byte, i int) int {
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// newline is the line ending the file uses at offset i: that of the line holding i, else of
// the line before, else "\n".
func newline(src []byte, i int) string {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		if i+j > 0 && src[i+j-1] == '\r' {
			return "\r\n"
		}
		return "\n"
	}
	if j := bytes.LastIndexByte(src[:i], '\n'); j > 0 && src[j-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// blank reports whether b is spaces, tabs and line breaks only.
func blank(b []byte) bool {
	return len(bytes.Trim(b, " \t\r\n")) == 0
}

// blockIndent turns the text before the first key of a YAML block mapping on its line into
// the indentation of a new key written before it: spaces, and the "- " of a sequence entry
// the mapping starts, as spaces. ok is false for anything else (tabs, other text).
func blockIndent(prefix []byte) (string, bool) {
	rest := bytes.TrimLeft(prefix, " ")
	for len(rest) > 0 {
		if rest[0] != '-' || len(rest) < 2 || rest[1] != ' ' {
			return "", false
		}
		rest = bytes.TrimLeft(rest[1:], " ")
	}
	return strings.Repeat(" ", len(prefix)), true
}

// seqPrefix reports whether the text before an item of a YAML block sequence on its line is
// indentation and one "- ", so that a new item line can start with the same text.
func seqPrefix(prefix []byte) bool {
	rest := bytes.TrimLeft(prefix, " ")
	return len(rest) >= 2 && rest[0] == '-' && blank(rest[1:]) && !bytes.ContainsAny(rest[1:], "\t\r\n")
}

// quoteLike writes s as a string in the style of the string node like: plain in YAML when
// like is plain, single-quoted when like is, else double-quoted (valid JSON and YAML). s is an
// action name: letters, digits and one colon, never in need of escapes.
func quoteLike(s string, like *jsonpos.Node) string {
	if like != nil && like.Kind == jsonpos.String {
		switch like.Raw {
		case jsonpos.Plain:
			return s
		case jsonpos.SingleQuoted:
			return "'" + s + "'"
		}
	}
	return strconv.Quote(s)
}
