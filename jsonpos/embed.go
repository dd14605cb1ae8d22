package jsonpos

import (
	"unicode/utf8"
)

// stringMap records, for each byte of a decoded string, the span of source text it was read
// from. Escapes map several source bytes to one character; YAML folding maps a line break and
// its indentation to one space.
type stringMap struct {
	starts, ends []int
	// end is where the string's text ends in the source (before a closing quote).
	end int
}

// align walks the decoded value of a scalar and the source text from offset from (the first
// byte after an opening quote or a block header) side by side. Source bytes that produced no
// decoded character (indentation, folded line breaks, quotes) are passed over. With record
// unset it only finds where the text ends.
func align(src []byte, from int, decoded string, style StringStyle, record bool) (stringMap, bool) {
	var m stringMap
	if record {
		m.starts = make([]int, len(decoded))
		m.ends = make([]int, len(decoded))
	}
	// Fast path: the text is written as is, as most keys and values are.
	if style != Block && from+len(decoded) <= len(src) && string(src[from:from+len(decoded)]) == decoded {
		if record {
			// Every byte, not every rune: a character of several bytes maps byte by byte.
			for k := 0; k < len(decoded); k++ {
				m.starts[k], m.ends[k] = from+k, from+k+1
			}
		}
		m.end = from + len(decoded)
		return m, true
	}
	i, j := 0, from
	put := func(size, rawStart, rawEnd int) {
		if record {
			for k := 0; k < size; k++ {
				m.starts[i+k], m.ends[i+k] = rawStart, rawEnd
			}
		}
		i += size
		m.end = rawEnd
	}
	for i < len(decoded) {
		if j >= len(src) {
			return m, false
		}
		dr, dsize := utf8.DecodeRuneInString(decoded[i:])
		switch {
		case style == DoubleQuoted && src[j] == '\\':
			if j+1 < len(src) && (src[j+1] == '\n' || src[j+1] == '\r') {
				j += 2 // an escaped line break joins two lines and yields nothing
				continue
			}
			r, n, err := decodeEscape(src, j, true, func(int, string, ...any) error { return errSkip })
			if err != nil {
				return m, false
			}
			if r == dr || (r == utf8.RuneError && dr == utf8.RuneError) {
				put(dsize, j, j+n)
			}
			j += n
			continue
		case style == SingleQuoted && src[j] == '\'' && j+1 < len(src) && src[j+1] == '\'' && dr == '\'':
			put(1, j, j+2)
			j += 2
			continue
		}
		rr, rsize := utf8.DecodeRune(src[j:])
		if rr == dr {
			put(dsize, j, j+rsize)
			j += rsize
			continue
		}
		if (dr == ' ' || dr == '\n') && (rr == '\n' || rr == '\r') {
			// a folded line break
			put(dsize, j, j+rsize)
			j += rsize
			continue
		}
		j += rsize
	}
	if i == 0 {
		m.end = from
	}
	return m, true
}

type skipError struct{}

func (skipError) Error() string { return "bad escape" }

var errSkip error = skipError{}

// contentStart is the first source byte of a string scalar's text: after an opening quote, or
// after the header line of a block scalar.
func contentStart(src []byte, n *Node) int {
	i := n.Span.Start
	switch n.Raw {
	case DoubleQuoted, SingleQuoted:
		return i + 1
	case Block:
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return min(i+1, len(src)) // an empty block at the end of the file has no next line
	}
	return i
}

// ParseEmbedded reads a JSON document held in the string node n of file: a policy written as
// a JSON string inside a template, a manifest or a Terraform plan. Spans in the result, and
// the offset of a syntax error, are offsets into file, so findings point into the text the
// user edits.
func ParseEmbedded(file *File, n *Node) (*Parsed, error) {
	spans := SourceMap(file, n)
	end := contentStart(file.Src, n) // an empty string: positions past the end land here
	if len(spans) > 0 {
		end = spans[len(spans)-1].End
	}
	return ParseMapped([]byte(n.Text), spans, end)
}
