package input

import (
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// SchemaProblem places a schema violation of the document rooted at root (whose path in its
// file is base) in the file: on the key for an unknown element, else on the value, else on the
// nearest element that exists.
func SchemaProblem(f *jsonpos.File, root *jsonpos.Node, base []any, v schema.Violation) Problem {
	path := append(append([]any{}, base...), v.Path...)
	return Problem{Rule: "schema", Message: v.Message, Loc: Location{File: f, Span: SpanOf(root, v.Path, v.OnKey), Path: path}}
}

// SpanOf is the span of the element at path below root. With onKey, the span of the key
// that names it. A path that does not exist lands on the nearest element that does.
func SpanOf(root *jsonpos.Node, path []any, onKey bool) jsonpos.Span {
	if onKey && len(path) > 0 {
		parent, depth := root.Resolve(path[:len(path)-1])
		if depth == len(path)-1 {
			if key, ok := path[len(path)-1].(string); ok {
				if m, ok := parent.Member(key); ok {
					return m.KeySpan
				}
			}
		}
	}
	n, _ := root.Resolve(path)
	return n.Span
}
