package builtins

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// The policy functions list, from the policy value, what many rules share: the statements,
// the Action values, the Resource values and the principals, each element with its path. A
// helper package calls each once per evaluation (a rule without arguments is evaluated once),
// so that all the rules share the list.

type policyFunction struct {
	decl *rego.Function
	impl rego.Builtin1
}

func policyFunctions() []policyFunction {
	stmt := obj(prop("path", pathType()), prop("value", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))))
	action := obj(prop("value", types.S), prop("lower", types.S), prop("path", pathType()), prop("allow", types.B))
	resource := obj(prop("value", types.S), prop("path", pathType()), prop("name", types.S), prop("allow", types.B))
	principal := obj(
		prop("path", pathType()), prop("element", types.S), prop("type", types.S), prop("value", types.S),
		prop("allow", types.B), prop("kind", types.S), prop("account", types.S), prop("partition", types.S),
		prop("problem", types.S),
		prop("help", types.S),
	)
	policy := types.Named("policy", types.A).Description("the policy, as written (input.policy)")
	fn := func(name, desc string, elem types.Type, impl rego.Builtin1) policyFunction {
		return policyFunction{
			decl: &rego.Function{
				Name:        name,
				Description: desc,
				Decl:        types.NewFunction(types.Args(policy), types.Named("list", types.NewArray(nil, elem))),
			},
			impl: impl,
		}
	}
	return []policyFunction{
		fn("ssmpolicy.policy.statements",
			"The statements, each {path, value}, for both forms of Statement (one object or a list); undefined when Statement is neither.",
			stmt, func(_ rego.BuiltinContext, p *ast.Term) (*ast.Term, error) { return statementsTerm(p.Value), nil }),
		fn("ssmpolicy.policy.actions",
			"Every Action value of every statement, each {value, lower, path, allow}; allow: the statement's Effect is Allow.",
			action, func(_ rego.BuiltinContext, p *ast.Term) (*ast.Term, error) { return actionsTerm(p.Value), nil }),
		fn("ssmpolicy.policy.resources",
			"Every Resource and NotResource value of every statement, each {value, path, name, allow}; name: Resource or NotResource.",
			resource, func(_ rego.BuiltinContext, p *ast.Term) (*ast.Term, error) { return resourcesTerm(p.Value), nil }),
		fn("ssmpolicy.policy.principals",
			"Every principal of Principal and NotPrincipal of every statement, each {path, element, type, value, allow} with what ssmpolicy.principal.describe says of it (kind, account, partition, problem, help).",
			principal, func(_ rego.BuiltinContext, p *ast.Term) (*ast.Term, error) { return principalsTerm(p.Value), nil }),
	}
}

type stmt struct {
	path  []*ast.Term
	value ast.Object
}

// statements are the object statements of a Statement list (possibly none), or the one
// statement object; nil when Statement is neither or the policy is not an object.
func statements(policy ast.Value) []stmt {
	obj, ok := policy.(ast.Object)
	if !ok {
		return nil
	}
	t := obj.Get(ast.StringTerm("Statement"))
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

func (st stmt) allow() *ast.Term {
	effect := st.value.Get(ast.StringTerm("Effect"))
	return ast.BooleanTerm(effect != nil && effect.Equal(ast.StringTerm("Allow")))
}

func statementsTerm(policy ast.Value) *ast.Term {
	stmts := statements(policy)
	if stmts == nil {
		return nil // undefined, as a Statement of no known form gives no list at all
	}
	terms := make([]*ast.Term, 0, len(stmts))
	for _, st := range stmts {
		terms = append(terms, ast.ObjectTerm(
			ast.Item(str("path"), ast.ArrayTerm(st.path...)),
			ast.Item(str("value"), ast.NewTerm(st.value)),
		))
	}
	return ast.ArrayTerm(terms...)
}

func actionsTerm(policy ast.Value) *ast.Term {
	var terms []*ast.Term
	for _, st := range statements(policy) {
		allow := st.allow()
		for _, v := range element(st, "Action") {
			terms = append(terms, ast.ObjectTerm(
				ast.Item(str("value"), str(v.value)),
				ast.Item(str("lower"), str(strings.ToLower(v.value))),
				ast.Item(str("path"), ast.ArrayTerm(v.path...)),
				ast.Item(str("allow"), allow),
			))
		}
	}
	return ast.ArrayTerm(terms...)
}

func resourcesTerm(policy ast.Value) *ast.Term {
	var terms []*ast.Term
	for _, st := range statements(policy) {
		allow := st.allow()
		for _, name := range []string{"Resource", "NotResource"} {
			for _, v := range element(st, name) {
				terms = append(terms, ast.ObjectTerm(
					ast.Item(str("value"), str(v.value)),
					ast.Item(str("path"), ast.ArrayTerm(v.path...)),
					ast.Item(str("name"), str(name)),
					ast.Item(str("allow"), allow),
				))
			}
		}
	}
	return ast.ArrayTerm(terms...)
}

func principalsTerm(policy ast.Value) *ast.Term {
	var terms []*ast.Term
	for _, st := range statements(policy) {
		allow := st.allow()
		for _, name := range []string{"Principal", "NotPrincipal"} {
			for _, p := range principalsOf(st, name) {
				d := describe(p.kind, p.value)
				terms = append(terms, ast.ObjectTerm(
					ast.Item(str("path"), ast.ArrayTerm(p.path...)),
					ast.Item(str("element"), str(name)),
					ast.Item(str("type"), str(p.kind)),
					ast.Item(str("value"), str(p.value)),
					ast.Item(str("allow"), allow),
					ast.Item(str("kind"), str(d.kind)),
					ast.Item(str("account"), str(d.account)),
					ast.Item(str("partition"), str(d.partition)),
					ast.Item(str("problem"), str(d.problem)),
					ast.Item(str("help"), str(d.help)),
				))
			}
		}
	}
	return ast.ArrayTerm(terms...)
}

type pathValue struct {
	value string
	path  []*ast.Term
}

func extend(path []*ast.Term, steps ...*ast.Term) []*ast.Term {
	return append(append(make([]*ast.Term, 0, len(path)+len(steps)), path...), steps...)
}

// values are the strings of an element written as a string or a list (other items skipped).
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

// element lists the strings of the statement's element name (Action, Resource, ...).
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

// principalsOf lists the principals of Principal or NotPrincipal: "*", or each value of each
// principal type, in the order of the type names.
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
