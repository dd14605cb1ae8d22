package input

import (
	"bytes"
	"errors"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// This file reads a policy a template writes as JSON text (a string, Fn::Sub or Fn::Join),
// with the parts only a deployment knows standing in its strings.

// textPolicy parses a policy written as JSON text. Unknown parts inside JSON strings stay
// there; an unknown standing where a JSON value is expected is read as an unknown string; a
// policy that is unknown as a whole, or whose structure depends on unknown parts, is reported
// as not checked rather than guessed.
func (tpl *cfnTemplate) textPolicy(t *Target, text mtext, n *jsonpos.Node) {
	f := tpl.f
	if len(bytes.TrimSpace(bytes.ReplaceAll(text.b, []byte(Unknown), nil))) == 0 && bytes.Contains(text.b, []byte(Unknown)) {
		t.Problems = append(t.Problems, Problem{Rule: rules.ContextMissing, Loc: t.PolicyLoc,
			Message: "the policy is known only when the stack is deployed (it comes from a template parameter, an import or another resource): none of its checks ran"})
		return
	}
	q, quoted := quoteUnknowns(text)
	parsed, err := jsonpos.ParseMapped(q.b, q.spans, n.Span.End)
	if err != nil {
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			return
		}
		if raw := rawErrorOffset(q.b); len(quoted) > 0 && quoted[0] <= raw {
			t.Problems = append(t.Problems, Problem{Rule: rules.ContextMissing, Loc: t.PolicyLoc,
				Message: "the policy's JSON is assembled from values known only when the stack is deployed, where its structure depends on them: none of its checks ran"})
			return
		}
		t.Problems = append(t.Problems, SyntaxProblem(f, se, true))
		return
	}
	if len(quoted) > 0 && !stringsWhereQuoted(q.b, quoted) {
		t.Problems = append(t.Problems, Problem{Rule: rules.ContextMissing, Loc: t.PolicyLoc,
			Message: "the policy's JSON is assembled from values known only when the stack is deployed, where its structure depends on them: none of its checks ran"})
		return
	}
	t.Policy = parsed.Root
	t.PolicyText = q.b
	t.Problems = append(t.Problems, DuplicateProblems(f, parsed.Duplicates, nil)...)
}

// stringsWhereQuoted tells whether every unknown quoted by quoteUnknowns stands where the
// policy grammar accepts a string (a principal, an action, a resource, a condition value, a
// Sid): there reading it as an unknown string is no guess. Anywhere else (a whole statement, a
// condition block) the unknown decides the document's shape, and checking it would be one.
func stringsWhereQuoted(text []byte, quoted []int) bool {
	parsed, err := jsonpos.ParseJSON(text)
	if err != nil {
		return false
	}
	at := map[int]bool{}
	for _, q := range quoted {
		at[q] = true
	}
	ok := true
	jsonpos.Walk(parsed.Root, func(path []any, n *jsonpos.Node) {
		if n.Kind == jsonpos.String && at[n.Span.Start] && !stringPlace(path) {
			ok = false
		}
	})
	return ok
}

// stringPlace matches the paths of a policy where any string, or an item of a list of
// strings, is valid (Effect and a bare Principal take only some strings).
func stringPlace(path []any) bool {
	if len(path) == 1 {
		return path[0] == "Version" || path[0] == "Id"
	}
	if len(path) < 2 || path[0] != "Statement" {
		return false
	}
	rest := path[1:]
	if _, isIndex := rest[0].(int); isIndex {
		rest = rest[1:]
	}
	if len(rest) > 0 {
		if _, isIndex := rest[len(rest)-1].(int); isIndex {
			rest = rest[:len(rest)-1] // an item of a list of strings
		}
	}
	if len(rest) == 0 {
		return false
	}
	switch rest[0] {
	case "Sid", "Action", "NotAction", "Resource", "NotResource":
		return len(rest) == 1
	case "Principal", "NotPrincipal":
		return len(rest) == 2 // under AWS, Service, ...: a bare Principal string must be "*"
	case "Condition":
		return len(rest) == 3
	}
	return false
}

// rawErrorOffset is where a JSON text fails to parse, in the text itself.
func rawErrorOffset(text []byte) int {
	var se *jsonpos.SyntaxError
	if _, err := jsonpos.ParseJSON(text); errors.As(err, &se) {
		return se.Offset
	}
	return len(text)
}

// quoteUnknowns puts quotes around unknown parts that stand outside JSON strings, where a
// value is expected: `"AWS": ${Accounts}` reads as an unknown string. It returns the offsets
// in the new text where it did so.
func quoteUnknowns(text mtext) (mtext, []int) {
	b := text.b
	if !bytes.Contains(b, []byte(Unknown)) {
		return text, nil
	}
	out := mtext{b: make([]byte, 0, len(b)+8), spans: make([]jsonpos.Span, 0, len(b)+8)}
	var quoted []int
	inString, escaped := false, false
	for i := 0; i < len(b); {
		if !inString && bytes.HasPrefix(b[i:], []byte(Unknown)) {
			j := i
			for bytes.HasPrefix(b[j:], []byte(Unknown)) {
				j += len([]byte(Unknown))
			}
			quoted = append(quoted, len(out.b))
			out.add(`"`, text.spans[i])
			out.addText(text.slice(i, j))
			out.add(`"`, text.spans[j-1])
			i = j
			continue
		}
		c := b[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		}
		out.b = append(out.b, c)
		out.spans = append(out.spans, text.spans[i])
		i++
	}
	if len(quoted) == 0 {
		return text, nil
	}
	return out, quoted
}
