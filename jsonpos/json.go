package jsonpos

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth bounds nesting so that hostile input cannot exhaust the stack. IAM policies nest a
// handful of levels; templates a few dozen.
const MaxDepth = 256

// SyntaxError is a document that is not valid JSON (or YAML), at a byte offset of the text
// that was parsed.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Duplicate is a key written twice in one object.
type Duplicate struct {
	Key   string
	Path  Path // path of the object that holds the key
	First Span // the first time the key was written
	Again Span // the repeated key
}

// Parsed is the result of reading one document.
type Parsed struct {
	Root       *Node
	Duplicates []Duplicate
}

// ParseJSON reads one JSON value from src. Spans are offsets into src.
func ParseJSON(src []byte) (*Parsed, error) {
	return ParseJSONContext(context.Background(), src)
}

// ParseJSONContext is ParseJSON that gives up, with an error wrapping ctx.Err(), once ctx is
// done: the reader's time budget for one file.
func ParseJSONContext(ctx context.Context, src []byte) (*Parsed, error) {
	if err := EncodingError(src); err != nil {
		return nil, err
	}
	p := &parser{src: src, ctx: ctx}
	if hasBOM(src) {
		p.pos = 3
	}
	p.skipSpace()
	root, err := p.value(nil, 0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf(p.pos, "unexpected %s after the end of the document", p.describe(p.pos))
	}
	return &Parsed{Root: root, Duplicates: p.dups}, nil
}

type parser struct {
	src   []byte
	pos   int
	dups  []Duplicate
	ctx   context.Context
	nodes int
}

func (p *parser) errorf(at int, format string, args ...any) error {
	return &SyntaxError{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// describe names the byte at i the way a person would read it in an error message.
func (p *parser) describe(i int) string {
	if i >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[i:])
	switch {
	case r == '\n' || r == '\r':
		return "line break"
	case r == utf8.RuneError:
		return "invalid UTF-8"
	case r < 0x20:
		return fmt.Sprintf("control character %U", r)
	}
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(path Path, depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, p.errorf(p.pos, "nesting deeper than %d levels", MaxDepth)
	}
	if p.nodes++; p.nodes%checkEvery == 0 {
		if err := p.ctx.Err(); err != nil {
			return nil, fmt.Errorf("stopped at byte %d: %w", p.pos, err)
		}
	}
	if p.pos >= len(p.src) {
		return nil, p.errorf(p.pos, "unexpected end of file: expected a value")
	}
	start := p.pos
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(path, depth)
	case c == '[':
		return p.array(path, depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Node{Kind: String, Span: Span{start, p.pos}, Text: s, Raw: DoubleQuoted}, nil
	case c == 't':
		return p.literal("true", &Node{Kind: Bool, Bool: true})
	case c == 'f':
		return p.literal("false", &Node{Kind: Bool})
	case c == 'n':
		return p.literal("null", &Node{Kind: Null})
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errorf(start, "unexpected %s: expected a value", p.describe(start))
}

func (p *parser) literal(word string, n *Node) (*Node, error) {
	start := p.pos
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.src) || p.src[p.pos] != word[i] {
			return nil, p.errorf(start, "invalid literal: expected %q", word)
		}
		p.pos++
	}
	n.Span = Span{start, p.pos}
	n.Text = word
	return n, nil
}

func (p *parser) number() (*Node, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.src[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.src) && p.src[p.pos] == '0' {
		p.pos++
		if p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			return nil, p.errorf(start, "invalid number: leading zero")
		}
	} else if digits() == 0 {
		return nil, p.errorf(p.pos, "invalid number: expected a digit, found %s", p.describe(p.pos))
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf(p.pos, "invalid number: expected a digit after the decimal point")
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf(p.pos, "invalid number: expected a digit in the exponent")
		}
	}
	return &Node{Kind: Number, Span: Span{start, p.pos}, Text: string(p.src[start:p.pos])}, nil
}

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

func (p *parser) array(path Path, depth int) (*Node, error) {
	n := &Node{Kind: Array, Span: Span{Start: p.pos}}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		n.Span.End = p.pos
		return n, nil
	}
	for {
		item, err := p.value(path.Append(len(n.Items)), depth+1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, item)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.errorf(n.Span.Start, "unclosed array: expected ']'")
		}
		switch p.src[p.pos] {
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == ']' {
				return nil, p.errorf(comma, "trailing comma before ']'")
			}
		case ']':
			p.pos++
			n.Span.End = p.pos
			return n, nil
		default:
			if startsValue(p.src[p.pos]) {
				return nil, p.missingComma(item, "]")
			}
			return nil, p.errorf(p.pos, "unexpected %s: expected ',' or ']'", p.describe(p.pos))
		}
	}
}

func (p *parser) object(path Path, depth int) (*Node, error) {
	n := &Node{Kind: Object, Span: Span{Start: p.pos}}
	var keys keyIndex
	p.pos++
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		n.Span.End = p.pos
		return n, nil
	}
	for {
		if p.pos >= len(p.src) {
			return nil, p.errorf(n.Span.Start, "unclosed object: expected '}'")
		}
		if p.src[p.pos] != '"' {
			return nil, p.errorf(p.pos, "unexpected %s: expected a key in double quotes", p.describe(p.pos))
		}
		keyStart := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		keySpan := Span{keyStart, p.pos}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.errorf(p.pos, "unexpected %s: expected ':' after the key", p.describe(p.pos))
		}
		p.pos++
		p.skipSpace()
		val, err := p.value(path.Append(key), depth+1)
		if err != nil {
			return nil, err
		}
		if first, ok := keys.find(n.Members, key); ok {
			p.dups = append(p.dups, Duplicate{Key: key, Path: path, First: n.Members[first].KeySpan, Again: keySpan})
		}
		n.Members = append(n.Members, Member{Key: key, KeySpan: keySpan, Value: val})
		keys.add(n.Members)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.errorf(n.Span.Start, "unclosed object: expected '}'")
		}
		switch p.src[p.pos] {
		case ',':
			comma := p.pos
			p.pos++
			p.skipSpace()
			if p.pos < len(p.src) && p.src[p.pos] == '}' {
				return nil, p.errorf(comma, "trailing comma before '}'")
			}
		case '}':
			p.pos++
			n.Span.End = p.pos
			return n, nil
		default:
			if p.src[p.pos] == '"' {
				return nil, p.missingComma(val, "}")
			}
			return nil, p.errorf(p.pos, "unexpected %s: expected ',' or '}'", p.describe(p.pos))
		}
	}
}

// missingComma reports a value followed by the start of another one (a key, in an object):
// the comma between them is missing, and it belongs right after the first.
func (p *parser) missingComma(prev *Node, closer string) error {
	next := p.describe(p.pos)
	return p.errorf(prev.Span.End, "missing ',' after this value (before the %s that follows, or a '%s' to close)", next, closer)
}

func startsValue(c byte) bool {
	switch {
	case c == '"', c == '{', c == '[', c == '-', c == 't', c == 'f', c == 'n':
		return true
	}
	return c >= '0' && c <= '9'
}
