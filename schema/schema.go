// Package schema holds the embedded JSON schemas (the policy grammar, the manifest, the
// configuration) and turns their violations into messages a person understands, each at the
// path of the element it is about.
package schema

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

//go:embed *.schema.json
var files embed.FS

// Violation is one way a document breaks its schema.
type Violation struct {
	// Path is the element the violation is about, from the document root.
	Path jsonpos.Path
	// OnKey is set when the violation is about the key at the end of Path (an unknown
	// element) rather than its value.
	OnKey   bool
	Message string
}

// Schema is one compiled schema. It is safe for concurrent use.
type Schema struct {
	s    *gojsonschema.Schema
	kind string // "policy", "manifest", "config": words for messages
}

// Load compiles the embedded schema name ("policy", "manifest", "config").
func Load(name string) (*Schema, error) {
	raw, err := files.ReadFile(name + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(raw))
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", name, err)
	}
	return &Schema{s: s, kind: name}, nil
}

// Raw returns the text of an embedded schema, for users who want it in their editor.
func Raw(name string) ([]byte, error) { return files.ReadFile(name + ".schema.json") }

// validatable is root as plain Go values for the validator, with every number float64 cannot
// hold (1 followed by 400 zeros) replaced by the largest one of its sign: the validator's
// enum check decodes numbers as float64 and crashes on those. Messages describe the node, so
// they still quote what was written.
func validatable(root *jsonpos.Node) any {
	v := root.Value()
	jsonpos.Walk(root, func(path []any, n *jsonpos.Node) {
		if n.Kind != jsonpos.Number {
			return
		}
		if _, err := strconv.ParseFloat(n.Text, 64); err == nil {
			return
		}
		clamped := json.Number("1e308")
		if strings.HasPrefix(n.Text, "-") {
			clamped = "-1e308"
		}
		v = replaceAt(v, path, clamped)
	})
	return v
}

// replaceAt sets the value at path in v (made of Value's maps and slices) and returns v.
func replaceAt(v any, path []any, x any) any {
	if len(path) == 0 {
		return x
	}
	switch c := v.(type) {
	case map[string]any:
		if k, ok := path[0].(string); ok {
			c[k] = replaceAt(c[k], path[1:], x)
		}
	case []any:
		if i, ok := path[0].(int); ok && i < len(c) {
			c[i] = replaceAt(c[i], path[1:], x)
		}
	}
	return v
}

// Validate checks root and returns its violations in document order.
func (s *Schema) Validate(root *jsonpos.Node) []Violation {
	res, err := s.s.Validate(gojsonschema.NewRawLoader(validatable(root)))
	if err != nil {
		return []Violation{{Message: "cannot validate: " + err.Error()}}
	}
	if res.Valid() {
		return nil
	}
	var all []rawError
	for _, e := range res.Errors() {
		all = append(all, rawError{path: toPath(root, e.Context()), err: e})
	}
	// A oneOf reports the errors of the alternative that came closest as well; at the
	// combinator's own path those say only "not this alternative" ("must be \"*\"" for a
	// principal object): they are dropped, and the combinator is explained instead.
	combinators := map[string]bool{}
	for _, r := range all {
		if isCombinator(r.err.Type()) {
			combinators[jsonpos.Pointer(r.path)] = true
		}
	}
	kept := all[:0:0]
	for _, r := range all {
		if branchNoise(r, combinators) {
			continue
		}
		kept = append(kept, r)
	}
	all = kept
	var out []Violation
	seen := map[string]bool{}
	add := func(v Violation) {
		k := jsonpos.Pointer(v.Path) + "\x00" + v.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	for _, r := range all {
		switch {
		case isCombinator(r.err.Type()):
			// A combinator failed. Where a more specific error explains it, that one is
			// reported; otherwise say in words what the alternatives were.
			if explained(r.path, all) {
				continue
			}
			add(s.combinator(root, r.path))
		default:
			add(s.translate(root, r.path, r.err))
		}
	}
	return out
}

func isCombinator(t string) bool {
	return t == "number_one_of" || t == "number_any_of" || t == "number_all_of"
}

// branchNoise is an error about a value's type or constant at the very path of a failed
// combinator: it comes from one of the alternatives.
func branchNoise(r rawError, combinators map[string]bool) bool {
	switch r.err.Type() {
	case "invalid_type", "const", "enum":
		return combinators[jsonpos.Pointer(r.path)]
	}
	return false
}

type rawError struct {
	path []any
	err  gojsonschema.ResultError
}

// explained reports whether a narrower error at or below path says what is wrong.
func explained(path []any, all []rawError) bool {
	for _, o := range all {
		if isCombinator(o.err.Type()) {
			continue
		}
		if hasPrefix(o.path, path) {
			return true
		}
	}
	return false
}

func hasPrefix(p, prefix []any) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// toPath turns the validator's context into a path, with array indexes as ints (keys that
// look like numbers stay strings: the tree decides which is which).
func toPath(root *jsonpos.Node, ctx *gojsonschema.JsonContext) []any {
	parts := strings.Split(ctx.String("\x00"), "\x00")
	var path []any
	cur := root
	for _, p := range parts[1:] { // parts[0] is "(root)"
		var step any = p
		if cur != nil && cur.Kind == jsonpos.Array {
			if i, err := strconv.Atoi(p); err == nil {
				step = i
			}
		}
		path = append(path, step)
		if cur != nil {
			cur, _ = resolveOne(cur, step)
		}
	}
	return path
}

func resolveOne(n *jsonpos.Node, step any) (*jsonpos.Node, bool) {
	next, depth := n.Resolve([]any{step})
	return next, depth == 1
}
