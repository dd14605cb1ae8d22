package linter

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// derived computes, from the policy value the rules see, the lists that many rules share:
// the statements, the Action values, the Resource values and the principals, each element
// with its path. Rules would otherwise build them in Rego on every evaluation, which is a third
// of the work on a typical policy; here they take microseconds.
//
// rules/lib defines each of them in Rego too (statements.list, actions.values, resources.values,
// principals._list), used when input.derived is absent (the Rego tests
// run that way), and TestDerivedMatchesRego checks that both give the same lists.
func derived(policy ast.Value) ast.Value {
	out := ast.NewObject()
	var stmts []stmt
	if obj, ok := policy.(ast.Object); ok {
		stmts = statements(obj)
	}
	var stmtTerms, actions, resources, principals []*ast.Term
	for _, st := range stmts {
		stmtTerms = append(stmtTerms, ast.ObjectTerm(
			ast.Item(ast.StringTerm("path"), ast.ArrayTerm(st.path...)),
			ast.Item(ast.StringTerm("value"), ast.NewTerm(st.value)),
		))
		effect := st.value.Get(ast.StringTerm("Effect"))
		allow := ast.BooleanTerm(effect != nil && effect.Equal(ast.StringTerm("Allow")))
		for _, v := range element(st, "Action") {
			actions = append(actions, ast.ObjectTerm(
				ast.Item(ast.StringTerm("value"), ast.StringTerm(v.value)),
				ast.Item(ast.StringTerm("lower"), ast.StringTerm(strings.ToLower(v.value))),
				ast.Item(ast.StringTerm("path"), ast.ArrayTerm(v.path...)),
				ast.Item(ast.StringTerm("allow"), allow),
			))
		}
		for _, name := range []string{"Resource", "NotResource"} {
			for _, v := range element(st, name) {
				resources = append(resources, ast.ObjectTerm(
					ast.Item(ast.StringTerm("value"), ast.StringTerm(v.value)),
					ast.Item(ast.StringTerm("path"), ast.ArrayTerm(v.path...)),
					ast.Item(ast.StringTerm("name"), ast.StringTerm(name)),
					ast.Item(ast.StringTerm("allow"), allow),
				))
			}
		}
		for _, name := range []string{"Principal", "NotPrincipal"} {
			for _, p := range principalsOf(st, name) {
				principals = append(principals, ast.ObjectTerm(
					ast.Item(ast.StringTerm("path"), ast.ArrayTerm(p.path...)),
					ast.Item(ast.StringTerm("element"), ast.StringTerm(name)),
					ast.Item(ast.StringTerm("type"), ast.StringTerm(p.kind)),
					ast.Item(ast.StringTerm("value"), ast.StringTerm(p.value)),
					ast.Item(ast.StringTerm("allow"), allow),
				))
			}
		}
	}
	// Without a statement object or list, statements.list is undefined while the lists built
	// from it are empty, as their Rego comprehensions are.
	if stmts != nil {
		out.Insert(ast.StringTerm("statements"), ast.ArrayTerm(stmtTerms...))
	}
	out.Insert(ast.StringTerm("action_values"), ast.ArrayTerm(actions...))
	out.Insert(ast.StringTerm("resource_values"), ast.ArrayTerm(resources...))
	out.Insert(ast.StringTerm("principals"), ast.ArrayTerm(principals...))
	return out
}

type stmt struct {
	path  []*ast.Term
	value ast.Object
}

// statements mirrors statements.list: the object statements of a list (possibly none), or the
// one statement object; nil when Statement is neither.
func statements(policy ast.Object) []stmt {
	t := policy.Get(ast.StringTerm("Statement"))
	if t == nil {
		return nil
	}
	switch v := t.Value.(type) {
	case *ast.Array:
		out := []stmt{}
		for i := 0; i < v.Len(); i++ {
			if o, ok := v.Elem(i).Value.(ast.Object); ok {
				out = append(out, stmt{path: []*ast.Term{ast.StringTerm("Statement"), ast.IntNumberTerm(i)}, value: o})
			}
		}
		return out
	case ast.Object:
		return []stmt{{path: []*ast.Term{ast.StringTerm("Statement")}, value: v}}
	}
	return nil
}

type pathValue struct {
	value string
	path  []*ast.Term
}

func extend(path []*ast.Term, steps ...*ast.Term) []*ast.Term {
	return append(append(make([]*ast.Term, 0, len(path)+len(steps)), path...), steps...)
}

// values mirrors statements.values: the strings of an element written as a string or a list.
func values(x *ast.Term, path []*ast.Term) []pathValue {
	switch v := x.Value.(type) {
	case ast.String:
		return []pathValue{{string(v), path}}
	case *ast.Array:
		var out []pathValue
		for i := 0; i < v.Len(); i++ {
			if s, ok := v.Elem(i).Value.(ast.String); ok {
				out = append(out, pathValue{string(s), extend(path, ast.IntNumberTerm(i))})
			}
		}
		return out
	}
	return nil
}

// element mirrors statements.element.
func element(st stmt, name string) []pathValue {
	x := st.value.Get(ast.StringTerm(name))
	if x == nil {
		return nil
	}
	return values(x, extend(st.path, ast.StringTerm(name)))
}

type principal struct {
	kind, value string
	path        []*ast.Term
}

// principalsOf mirrors principals.of: "*", or each value of each principal type in key order.
func principalsOf(st stmt, name string) []principal {
	x := st.value.Get(ast.StringTerm(name))
	if x == nil {
		return nil
	}
	base := extend(st.path, ast.StringTerm(name))
	switch v := x.Value.(type) {
	case ast.String:
		if v == "*" {
			return []principal{{"*", "*", base}}
		}
	case ast.Object:
		var out []principal
		v.Foreach(func(k, val *ast.Term) {
			kind, ok := k.Value.(ast.String)
			if !ok {
				return
			}
			for _, pv := range values(val, extend(base, k)) {
				out = append(out, principal{string(kind), pv.value, pv.path})
			}
		})
		return out
	}
	return nil
}
