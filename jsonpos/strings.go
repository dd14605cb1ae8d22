package jsonpos

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file decodes quoted strings and their escapes, for JSON and for YAML's double-quoted
// scalars, which share JSON's escapes and add their own.

// str reads a string starting at the opening quote and returns its decoded text.
func (p *parser) str() (string, error) {
	open := p.pos
	p.pos++
	// Fast path: no escapes, all ASCII printable.
	i := p.pos
	for i < len(p.src) {
		c := p.src[i]
		if c == '"' {
			s := string(p.src[p.pos:i])
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		i++
	}
	buf := make([]byte, 0, i-p.pos+16)
	buf = append(buf, p.src[p.pos:i]...)
	p.pos = i
	for {
		if p.pos >= len(p.src) {
			return "", p.errorf(open, "unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c == '\\':
			r, n, err := p.escape(p.pos)
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
			p.pos += n
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return "", p.errorf(p.pos, "unterminated string: line break inside a string")
			}
			return "", p.errorf(p.pos, "control character %U inside a string: write it as an escape", rune(c))
		case c < 0x80:
			buf = append(buf, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.src[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf(p.pos, "invalid UTF-8 inside a string")
			}
			buf = append(buf, p.src[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
}

// escape decodes the backslash escape at i; it returns the rune and the escape's length.
func (p *parser) escape(i int) (rune, int, error) {
	return decodeEscape(p.src, i, false, p.errorf)
}

// decodeEscape decodes a JSON escape (or, with yaml set, a YAML double-quoted one) at src[i].
func decodeEscape(src []byte, i int, yaml bool, errorf func(int, string, ...any) error) (rune, int, error) {
	if i+1 >= len(src) {
		return 0, 0, errorf(i, "unterminated escape")
	}
	switch c := src[i+1]; c {
	case '"', '\\', '/':
		return rune(c), 2, nil
	case 'b':
		return '\b', 2, nil
	case 'f':
		return '\f', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'u':
		r, ok := hex4(src, i+2)
		if !ok {
			return 0, 0, errorf(i, `invalid \u escape: expected four hex digits`)
		}
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(src, i+8); ok && i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, 12, nil
				}
			}
			return utf8.RuneError, 6, nil
		}
		return r, 6, nil
	}
	if yaml {
		switch c := src[i+1]; c {
		case '0':
			return 0, 2, nil
		case 'a':
			return '\a', 2, nil
		case 'v':
			return '\v', 2, nil
		case 'e':
			return 0x1b, 2, nil
		case ' ', '\t':
			return rune(c), 2, nil
		case 'N':
			return 0x85, 2, nil
		case '_':
			return 0xA0, 2, nil
		case 'x':
			if i+3 < len(src) {
				if v, err := strconv.ParseUint(string(src[i+2:i+4]), 16, 8); err == nil {
					return rune(v), 4, nil
				}
			}
		case 'U':
			if i+9 < len(src) {
				if v, err := strconv.ParseUint(string(src[i+2:i+10]), 16, 32); err == nil {
					return rune(v), 10, nil
				}
			}
		}
	}
	return 0, 0, errorf(i, "invalid escape %q", string(src[i:i+2]))
}

func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
