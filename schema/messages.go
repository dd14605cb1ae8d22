package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/suggest"
)

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
			b.WriteString(short(v))
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		}
	}
	return b.String()
}

// maxQuoted is how many characters of a value or key a message quotes. A value that is not
// what the grammar expects may be anything (a token pasted in the wrong place, a file that is
// not a policy), and findings become public annotations: only its start is shown.
const maxQuoted = 40

// short is s, or its first maxQuoted characters and how long it is.
func short(s string) string {
	r := []rune(s)
	if len(r) <= maxQuoted {
		return s
	}
	return fmt.Sprintf("%s… (%d characters)", string(r[:maxQuoted]), len(r))
}

// quote is s quoted, or its first maxQuoted characters quoted and how long it is.
func quote(s string) string {
	r := []rune(s)
	if len(r) <= maxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q… (%d characters)", string(r[:maxQuoted]), len(r))
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
		return "the string " + quote(n.Text)
	case jsonpos.Number:
		return "the number " + short(n.Text)
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
		msg := fmt.Sprintf("unknown element %s in %s", quote(prop), s.name(path))
		if where != "" {
			msg = fmt.Sprintf("unknown element %s in a %s", quote(prop), where)
			if where == "policy" || where == "manifest" || where == "config" {
				msg = fmt.Sprintf("unknown element %s at the top of the %s", quote(prop), where)
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
			msg := fmt.Sprintf("unknown element %s in a principal", quote(m.Key))
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
