package jsonpos

import (
	"context"
	"fmt"
	"strconv"
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
