package fix

import (
	"bytes"
	"slices"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/shareable"
)

// managedSets are the action sets of the two RAM managed permissions for shared parameters,
// which the rule action-not-promotable compares with too, each in alphabetical order: the
// order in which a fix adds the actions it lacks.
func managedSets() (readOnly, withHistory []string) {
	perms := shareable.ManagedPermissions()
	return slices.Sorted(slices.Values(perms[0].Actions)), slices.Sorted(slices.Values(perms[1].Actions))
}

// statement is a statement object and its path in the policy.
type statement struct {
	node *jsonpos.Node
	path jsonpos.Path
}

// statements lists the statement objects as lib.statements does: the objects of a
// Statement list, or a Statement object.
func statements(pol *jsonpos.Node) []statement {
	st := pol.Get("Statement")
	switch {
	case st == nil:
		return nil
	case st.Kind == jsonpos.Object:
		return []statement{{st, jsonpos.Path{"Statement"}}}
	case st.Kind == jsonpos.Array:
		var out []statement
		for i, it := range st.Items {
			if it.Kind == jsonpos.Object {
				out = append(out, statement{it, jsonpos.Path{"Statement", i}})
			}
		}
		return out
	}
	return nil
}

// fixActions completes the actions of a parameter policy to the nearer RAM managed
// permission when only additions are needed: the actions the Allow statements grant are a
// part of that permission's set. The missing actions are added to the Action of the first
// Allow statement that has one, where the finding points. When an action would have to go
// (one outside both sets, a wildcard) nothing is certain, and nothing is done.
func fixActions(t *input.Target, f finding.Finding) ([]Edit, func(any) any, bool) {
	granted := map[string]bool{}
	var first *statement
	var action *jsonpos.Node
	for _, st := range statements(t.Policy) {
		if eff := st.node.Get("Effect"); eff == nil || eff.Kind != jsonpos.String || eff.Text != "Allow" {
			continue
		}
		if st.node.Get("NotAction") != nil {
			return nil, nil, false
		}
		a := st.node.Get("Action")
		if a == nil {
			continue
		}
		values := []*jsonpos.Node{a}
		if a.Kind == jsonpos.Array {
			values = a.Items
		}
		for _, v := range values {
			if v.Kind != jsonpos.String || strings.Contains(v.Text, input.Unknown) {
				return nil, nil, false
			}
			granted[strings.ToLower(v.Text)] = true
		}
		if first == nil && (a.Kind == jsonpos.String || a.Kind == jsonpos.Array) {
			first, action = &st, a
		}
	}
	if first == nil || jsonpos.Pointer(first.path.Append("Action")) != f.Pointer {
		return nil, nil, false
	}
	add := missing(granted)
	if len(add) == 0 {
		return nil, nil, false
	}
	edits, ok := appendActions(t.PolicyFile.Src, action, add)
	if !ok {
		return nil, nil, false
	}
	path := first.path.Append("Action")
	change := func(v any) any {
		out, _ := update(v, path, func(a any) any {
			if s, ok := a.(string); ok {
				a = []any{s}
			}
			l, _ := a.([]any)
			for _, s := range add {
				l = append(l, s)
			}
			return l
		})
		return out
	}
	return edits, change, true
}

// missing returns the actions to add to granted (lower-cased) to reach the nearer managed
// permission, or nil when that takes more than additions.
func missing(granted map[string]bool) []string {
	distance := func(set []string) (add []string, extra int) {
		in := map[string]bool{}
		for _, a := range set {
			in[strings.ToLower(a)] = true
			if !granted[strings.ToLower(a)] {
				add = append(add, a)
			}
		}
		for a := range granted {
			if !in[a] {
				extra++
			}
		}
		return add, extra
	}
	readOnly, withHistory := managedSets()
	addRO, extraRO := distance(readOnly)
	addWH, extraWH := distance(withHistory)
	// The sets differ by one action, so the distances never tie.
	add, extra := addRO, extraRO
	if len(addWH)+extraWH < len(addRO)+extraRO {
		add, extra = addWH, extraWH
	}
	if extra > 0 {
		return nil
	}
	return add
}

// appendActions writes the edit adding names to the Action value a: after the last item of a
// list, in the list's own layout (the separator between its items, a new line for each in a
// YAML block sequence), or, for a single string, as a list of it and the names.
func appendActions(src []byte, a *jsonpos.Node, names []string) ([]Edit, bool) {
	s, e := a.Span.Start, a.Span.End
	switch {
	case a.Kind == jsonpos.String:
		raw := src[s:e]
		if a.Raw == jsonpos.Block || bytes.ContainsAny(raw, "\r\n") || a.Raw == jsonpos.Plain && bytes.ContainsAny(raw, ",[]{}#") {
			return nil, false
		}
		var b strings.Builder
		b.WriteString("[")
		b.Write(raw)
		for _, n := range names {
			b.WriteString(", " + quoteLike(n, a))
		}
		b.WriteString("]")
		return []Edit{{Start: s, End: e, New: b.String()}}, true
	case a.Kind != jsonpos.Array:
		return nil, false
	case src[s] == '[':
		return appendFlow(src, a, names)
	}
	return appendBlock(src, a, names)
}

// appendFlow adds names to a JSON array or YAML flow sequence.
func appendFlow(src []byte, a *jsonpos.Node, names []string) ([]Edit, bool) {
	s := a.Span.Start
	n := len(a.Items)
	if n == 0 {
		quoted := make([]string, len(names))
		for i, name := range names {
			quoted[i] = quoteLike(name, nil)
		}
		return []Edit{{Start: s + 1, End: s + 1, New: strings.Join(quoted, ", ")}}, true
	}
	var sep string
	if n >= 2 {
		between := src[a.Items[n-2].Span.End:a.Items[n-1].Span.Start]
		if !bytes.Equal(bytes.TrimSpace(between), []byte(",")) {
			return nil, false
		}
		sep = string(between)
	} else {
		before := src[s+1 : a.Items[0].Span.Start]
		if !blank(before) {
			return nil, false
		}
		sep = ", "
		if bytes.ContainsRune(before, '\n') {
			sep = "," + string(before)
		}
	}
	last := a.Items[n-1]
	var b strings.Builder
	for _, name := range names {
		b.WriteString(sep + quoteLike(name, last))
	}
	return []Edit{{Start: last.Span.End, End: last.Span.End, New: b.String()}}, true
}

// appendBlock adds names to a YAML block sequence, one line each after the last item's
// line (so that a comment at the end of that line stays on it), indented as that item is.
func appendBlock(src []byte, a *jsonpos.Node, names []string) ([]Edit, bool) {
	last := a.Items[len(a.Items)-1]
	if last.Kind != jsonpos.String || bytes.ContainsAny(src[last.Span.Start:last.Span.End], "\r\n") {
		return nil, false
	}
	ls := lineStart(src, last.Span.Start)
	prefix := src[ls:last.Span.Start]
	if !seqPrefix(prefix) {
		return nil, false
	}
	nl := newline(src, last.Span.Start)
	var b strings.Builder
	for _, name := range names {
		b.Write(prefix)
		b.WriteString(quoteLike(name, last) + nl)
	}
	end := bytes.IndexByte(src[last.Span.End:], '\n')
	if end < 0 {
		// The item ends the file, with no line break after it.
		return []Edit{{Start: len(src), End: len(src), New: nl + strings.TrimSuffix(b.String(), nl)}}, true
	}
	at := last.Span.End + end + 1
	return []Edit{{Start: at, End: at, New: b.String()}}, true
}
