// Package schema holds the embedded JSON schemas (the policy grammar, the manifest, the
// configuration) and turns their violations into messages a person understands, each at the
// path of the element it is about.
package schema

import (
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/suggest"
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

// Validate checks root and returns its violations in document order.
func (s *Schema) Validate(root *jsonpos.Node) []Violation {
	res, err := s.s.Validate(gojsonschema.NewRawLoader(root.Value()))
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

// name describes the element at path for a message: `Effect`, `Statement[0]`, `the policy`.
func (s *Schema) name(path []any) string {
	if len(path) == 0 {
		return "the " + s.kind
	}
	var b strings.Builder
	for i, step := range path {
		switch v := step.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		}
	}
	return b.String()
}

func describe(n *jsonpos.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case jsonpos.String:
		if n.Text == "" {
			return "an empty string"
		}
		return fmt.Sprintf("the string %q", n.Text)
	case jsonpos.Number:
		return "the number " + n.Text
	case jsonpos.Bool:
		return "a boolean"
	case jsonpos.Null:
		return "null"
	case jsonpos.Array:
		if len(n.Items) == 0 {
			return "an empty list"
		}
		return "a list"
	case jsonpos.Object:
		if len(n.Members) == 0 {
			return "an empty object"
		}
		return "an object"
	}
	return "a value"
}

func at(root *jsonpos.Node, path []any) *jsonpos.Node {
	n, depth := root.Resolve(path)
	if depth != len(path) {
		return nil
	}
	return n
}

// known elements, for "did you mean" suggestions.
var elementNames = map[string][]string{
	"policy":    {"Version", "Id", "Statement"},
	"statement": {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"},
	"principal": {"AWS", "Service", "Federated", "CanonicalUser"},
	"manifest":  {"resources"},
	"config":    {"accounts", "rules", "ignore", "custom_rules", "fail_on"},
	"accounts":  {"allowed"},
	"entry":     {"files", "rule", "sid", "reason", "expires"},
	"resource":  {"arn", "policy", "policyId", "parameter", "ignore"},
	"parameter": {"tier", "type", "keyId"},
}

func (s *Schema) context(path []any) string {
	switch s.kind {
	case "policy":
		switch {
		case len(path) == 0:
			return "policy"
		case isStatementPath(path):
			return "statement"
		case len(path) >= 1 && (path[len(path)-1] == "Principal" || path[len(path)-1] == "NotPrincipal"):
			return "principal"
		}
	case "config":
		switch {
		case len(path) == 0:
			return "config"
		case len(path) == 1 && path[0] == "accounts":
			return "accounts"
		case len(path) == 2 && path[0] == "ignore":
			return "entry"
		}
	case "manifest":
		switch len(path) {
		case 0:
			return "manifest"
		case 2:
			return "resource"
		case 3:
			return "parameter"
		}
	}
	return ""
}

func isStatementPath(path []any) bool {
	if len(path) == 1 && path[0] == "Statement" {
		return true
	}
	if len(path) == 2 && path[0] == "Statement" {
		_, ok := path[1].(int)
		return ok
	}
	return false
}

func (s *Schema) translate(root *jsonpos.Node, path jsonpos.Path, e gojsonschema.ResultError) Violation {
	n := at(root, path)
	d := e.Details()
	prop, _ := d["property"].(string)
	switch e.Type() {
	case "required":
		return Violation{Path: path, Message: s.missing(path, prop)}
	case "additional_property_not_allowed":
		where := s.context(path)
		msg := fmt.Sprintf("unknown element %q in %s", prop, s.name(path))
		if where != "" {
			msg = fmt.Sprintf("unknown element %q in a %s", prop, where)
			if where == "policy" || where == "manifest" || where == "config" {
				msg = fmt.Sprintf("unknown element %q at the top of the %s", prop, where)
			}
		}
		if sug := suggest.Closest(prop, elementNames[where]); sug != "" && sug != prop {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		} else if names := elementNames[where]; len(names) > 0 {
			msg += " (expected " + strings.Join(names, ", ") + ")"
		}
		return Violation{Path: path.Append(prop), OnKey: true, Message: msg}
	case "invalid_type":
		return Violation{Path: path, Message: fmt.Sprintf("%s must be %s, not %s%s", s.name(path), typeWords(fmt.Sprint(d["expected"])), describe(n), quoteHint(n, d))}
	case "enum", "const":
		return Violation{Path: path, Message: fmt.Sprintf("%s must be %s, not %s", s.name(path), allowedWords(fmt.Sprint(d["allowed"])), describe(n))}
	case "array_min_items":
		return Violation{Path: path, Message: fmt.Sprintf("%s is an empty list: give at least one value", s.name(path))}
	case "pattern":
		return Violation{Path: path, Message: fmt.Sprintf("%s: %s is not %s", s.name(path), describe(n), patternWords(fmt.Sprint(d["pattern"])))}
	case "string_gte":
		return Violation{Path: path, Message: fmt.Sprintf("%s is an empty string", s.name(path))}
	case "number_gte", "array_min_properties":
		return Violation{Path: path, Message: fmt.Sprintf("%s is empty", s.name(path))}
	}
	return Violation{Path: path, Message: fmt.Sprintf("%s: %s", s.name(path), e.Description())}
}

// quoteHint explains the YAML trap of an unquoted account id read as a number.
func quoteHint(n *jsonpos.Node, d gojsonschema.ErrorDetails) string {
	if n != nil && n.Kind == jsonpos.Number && strings.Contains(fmt.Sprint(d["expected"]), "string") {
		return " (write it in quotes: an unquoted account id is read as a number and loses leading zeros)"
	}
	return ""
}

// patternWords says in words what the schema's patterns mean.
func patternWords(p string) string {
	switch p {
	case "^[0-9]{12}$":
		return "a 12-digit account id (in quotes, so YAML keeps leading zeros)"
	case "^[0-9]{4}-[0-9]{2}-[0-9]{2}$":
		return "a date written YYYY-MM-DD"
	}
	return "of the form " + p
}

func typeWords(expected string) string {
	expected = strings.Trim(expected, "[]")
	parts := strings.FieldsFunc(expected, func(r rune) bool { return r == ',' || r == ' ' })
	for i, p := range parts {
		switch p {
		case "object":
			parts[i] = "an object"
		case "array":
			parts[i] = "a list"
		case "integer":
			parts[i] = "a whole number"
		default:
			parts[i] = "a " + p
		}
	}
	return strings.Join(parts, " or ")
}

func allowedWords(allowed string) string {
	allowed = strings.Trim(allowed, "[]")
	var parts []string
	for _, p := range strings.Split(allowed, ",") {
		if p = strings.Trim(strings.TrimSpace(p), `"`); p != "" {
			parts = append(parts, strconv.Quote(p))
		}
	}
	if len(parts) == 2 {
		return parts[0] + " or " + parts[1]
	}
	if len(parts) > 2 {
		return "one of " + strings.Join(parts, ", ")
	}
	return strings.Join(parts, "")
}

func (s *Schema) missing(path []any, prop string) string {
	if s.kind == "policy" {
		switch prop {
		case "Statement":
			return "the policy has no Statement"
		case "Effect":
			return fmt.Sprintf("%s has no Effect: say \"Allow\" or \"Deny\"", s.name(path))
		case "Principal", "NotPrincipal":
			return fmt.Sprintf("%s has no Principal: a resource policy must name who it applies to", s.name(path))
		case "Action", "NotAction":
			return fmt.Sprintf("%s has no Action", s.name(path))
		case "Resource", "NotResource":
			return fmt.Sprintf("%s has no Resource", s.name(path))
		}
	}
	return fmt.Sprintf("%s has no %s", s.name(path), prop)
}

// combinator explains a oneOf/anyOf/allOf failure that no narrower error explains.
func (s *Schema) combinator(root *jsonpos.Node, path jsonpos.Path) Violation {
	n := at(root, path)
	last := ""
	if len(path) > 0 {
		last, _ = path[len(path)-1].(string)
	}
	if s.kind == "policy" && isStatementPath(path) && n != nil && n.Kind == jsonpos.Object {
		for _, pair := range [][2]string{{"Principal", "NotPrincipal"}, {"Action", "NotAction"}, {"Resource", "NotResource"}} {
			if n.Get(pair[0]) != nil && n.Get(pair[1]) != nil {
				return Violation{Path: path.Append(pair[1]), OnKey: true,
					Message: fmt.Sprintf("%s has both %s and %s: keep one", s.name(path), pair[0], pair[1])}
			}
		}
	}
	switch {
	case last == "Statement":
		return Violation{Path: path, Message: fmt.Sprintf("Statement must be a statement object or a list of statements, not %s", describe(n))}
	case (last == "Principal" || last == "NotPrincipal") && n != nil && n.Kind == jsonpos.Object:
		return s.principalObject(path, n)
	case last == "Principal" || last == "NotPrincipal":
		return Violation{Path: path, Message: fmt.Sprintf("%s must be \"*\" or an object such as {\"AWS\": [\"111122223333\"]}, not %s", last, describe(n))}
	case s.kind == "policy" && containsStep(path, "Condition"):
		return Violation{Path: path, Message: fmt.Sprintf("a condition value must be a string, number, boolean or a non-empty list of them, not %s", describe(n))}
	}
	return Violation{Path: path, Message: fmt.Sprintf("%s must be a string or a non-empty list of strings, not %s%s", s.name(path), describe(n), quoteHint(n, gojsonschema.ErrorDetails{"expected": "string"}))}
}

func containsStep(path []any, step string) bool {
	for _, p := range path {
		if p == step {
			return true
		}
	}
	return false
}

// principalObject says what is wrong with a principal written as an object.
func (s *Schema) principalObject(path jsonpos.Path, n *jsonpos.Node) Violation {
	if len(n.Members) == 0 {
		return Violation{Path: path, Message: fmt.Sprintf("%s is an empty object: name principals, such as {\"AWS\": [\"111122223333\"]}", s.name(path))}
	}
	for _, m := range n.Members {
		switch m.Key {
		case "AWS", "Service", "Federated", "CanonicalUser":
			if !quickStrings(m.Value) {
				p := path.Append(m.Key)
				return Violation{Path: p, Message: fmt.Sprintf("%s must be a string or a non-empty list of strings, not %s%s", s.name(p), describe(m.Value), quoteHint(firstNumber(m.Value), gojsonschema.ErrorDetails{"expected": "string"}))}
			}
		default:
			msg := fmt.Sprintf("unknown element %q in a principal", m.Key)
			if sug := suggest.Closest(m.Key, elementNames["principal"]); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			} else {
				msg += " (expected AWS, Service, Federated or CanonicalUser)"
			}
			return Violation{Path: path.Append(m.Key), OnKey: true, Message: msg}
		}
	}
	return Violation{Path: path, Message: fmt.Sprintf("%s must be \"*\" or an object such as {\"AWS\": [\"111122223333\"]}", s.name(path))}
}

// firstNumber is v, or its first number item, for the hint about unquoted account ids.
func firstNumber(v *jsonpos.Node) *jsonpos.Node {
	if v.Kind == jsonpos.Array {
		for _, it := range v.Items {
			if it.Kind == jsonpos.Number {
				return it
			}
		}
	}
	return v
}
