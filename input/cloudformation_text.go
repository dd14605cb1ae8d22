package input

import (
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// This file holds the text a template resolves to, with the place in the file of each byte.

// mtext is a string resolved from a template. spans[i] is the place in the file byte i of s
// came from, so that a policy assembled by Fn::Join or !Sub keeps exact positions.
type mtext struct {
	b     []byte
	spans []jsonpos.Span
}

func (m mtext) String() string { return string(m.b) }

func (m mtext) has(s string) bool { return strings.Contains(string(m.b), s) }

func (m *mtext) add(s string, at jsonpos.Span) {
	m.b = append(m.b, s...)
	for range len(s) {
		m.spans = append(m.spans, at)
	}
}

func (m *mtext) addText(o mtext) {
	m.b = append(m.b, o.b...)
	m.spans = append(m.spans, o.spans...)
}

func (m mtext) slice(i, j int) mtext { return mtext{b: m.b[i:j:j], spans: m.spans[i:j:j]} }

// respan attributes every byte to one place: a value brought in by a reference is shown where
// the reference is written, not where the referenced value is.
func (m mtext) respan(at jsonpos.Span) mtext {
	out := mtext{b: append([]byte(nil), m.b...), spans: make([]jsonpos.Span, len(m.b))}
	for i := range out.spans {
		out.spans[i] = at
	}
	return out
}

func unknownText(at jsonpos.Span) mtext {
	m := mtext{}
	m.add(Unknown, at)
	return m
}

// literalText is a string scalar with the place of each of its bytes.
func literalText(f *jsonpos.File, n *jsonpos.Node) mtext {
	switch n.Kind {
	case jsonpos.String:
		return mtext{b: []byte(n.Text), spans: jsonpos.SourceMap(f, n)}
	case jsonpos.Bool:
		m := mtext{}
		m.add(strconv.FormatBool(n.Bool), n.Span)
		return m
	}
	m := mtext{}
	m.add(n.Text, n.Span) // numbers: CloudFormation passes them on as their text
	return m
}
