package jsonpos

// A document assembled from pieces — a CloudFormation policy written as `Fn::Join` of string
// pieces, or a `!Sub` string whose `${...}` are replaced — is not the text of any one string
// node. SourceMap and ParseMapped let such a document keep exact positions: each byte of the
// assembled text carries the span of the file it came from.

// SourceMap returns, for each byte of the decoded text of the string node n, the span of file
// text it was read from: one byte for most characters, an escape sequence for an escaped
// character, a line break and its indentation for a folded line.
func SourceMap(file *File, n *Node) []Span {
	spans := make([]Span, len(n.Text))
	m, ok := align(file.Src, contentStart(file.Src, n), n.Text, n.Raw, true)
	for k := range spans {
		if ok {
			spans[k] = Span{Start: m.starts[k], End: m.ends[k]}
		} else {
			// The text cannot be matched to its source: point at the string as a whole.
			spans[k] = n.Span
		}
	}
	return spans
}

// ParseMapped reads the JSON document text, whose byte i was read from spans[i] of a file
// (len(spans) must equal len(text)). Spans in the result, and the offset of a syntax error,
// are offsets into that file. end is where a position past the last byte lands.
func ParseMapped(text []byte, spans []Span, end int) (*Parsed, error) {
	if len(spans) != len(text) {
		spans = nil // a caller's mistake: every position lands on end rather than a panic
	}
	toFile := func(s Span) Span {
		out := Span{Start: end, End: end}
		if s.Start >= 0 && s.Start < len(spans) {
			out.Start = spans[s.Start].Start
		}
		if s.End > 0 && s.End <= len(spans) {
			out.End = spans[s.End-1].End
		}
		if out.End < out.Start {
			out.End = out.Start
		}
		return out
	}
	parsed, err := ParseJSON(text)
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			return nil, &SyntaxError{Offset: toFile(Span{Start: se.Offset, End: se.Offset + 1}).Start, Msg: se.Msg}
		}
		return nil, err
	}
	Walk(parsed.Root, func(_ []any, node *Node) {
		node.Span = toFile(node.Span)
		for k := range node.Members {
			node.Members[k].KeySpan = toFile(node.Members[k].KeySpan)
		}
	})
	for k := range parsed.Duplicates {
		parsed.Duplicates[k].First = toFile(parsed.Duplicates[k].First)
		parsed.Duplicates[k].Again = toFile(parsed.Duplicates[k].Again)
	}
	return parsed, nil
}
