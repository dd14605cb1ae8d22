package input

import (
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// SchemaProblem places a schema violation of the document rooted at root (whose path in its
// file is base) in the file: on the key for an unknown element, else on the value, else on the
// nearest element that exists.
func SchemaProblem(f *jsonpos.File, root *jsonpos.Node, base jsonpos.Path, v schema.Violation) Problem {
	path := base.Append(v.Path...)
	return Problem{Rule: rules.Schema, Message: v.Message, Loc: Location{File: f, Span: root.SpanAt(v.Path, v.OnKey), Path: path}}
}
