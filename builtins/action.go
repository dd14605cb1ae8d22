package builtins

import (
	"fmt"
	"strings"

	"github.com/gobwas/glob"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/ssmpolicy/ssmpolicy/shareable"
)

// shareableActions is the actions a kind can share: "parameter", "opsitemgroup", or "" for either.
func shareableActions(kind string) ([]string, error) {
	switch kind {
	case "parameter":
		return shareable.ParameterActions(), nil
	case "opsitemgroup":
		return shareable.OpsItemGroupActions(), nil
	case "":
		return append(shareable.ParameterActions(), shareable.OpsItemGroupActions()...), nil
	}
	return nil, fmt.Errorf("unknown resource kind %q (want parameter, opsitemgroup, or \"\" for either)", kind)
}

func lowerSet(names []string) *ast.Term {
	terms := make([]*ast.Term, len(names))
	for i, n := range names {
		terms[i] = str(strings.ToLower(n))
	}
	return ast.SetTerm(terms...)
}

func kindArg() types.Type {
	return types.Named("kind", types.S).Description(`parameter, opsitemgroup, or "" when the kind is not known`)
}

func actionNameDecl() *rego.Function {
	return &rego.Function{
		Name:        "ssmpolicy.action.name",
		Description: "The action a as AWS spells it (ssm:getparameter is ssm:GetParameter) when it is one a resource kind can share, whatever its letter case; otherwise a itself.",
		Decl:        types.NewFunction(types.Args(types.Named("a", types.S)), types.Named("name", types.S)),
	}
}

func actionName(_ rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
	v, err := stringArg(a, 1)
	if err != nil {
		return nil, err
	}
	all, _ := shareableActions("")
	lower := strings.ToLower(v)
	for _, n := range all {
		if strings.ToLower(n) == lower {
			return str(n), nil
		}
	}
	return a, nil
}

func actionShareableDecl() *rego.Function {
	return &rego.Function{
		Name:        "ssmpolicy.action.shareable",
		Description: `The actions, lower-cased, a resource kind can share: "parameter", "opsitemgroup", or "" for the actions of either.`,
		Decl:        types.NewFunction(types.Args(kindArg()), types.Named("actions", types.NewSet(types.S))),
	}
}

func actionShareable(_ rego.BuiltinContext, k *ast.Term) (*ast.Term, error) {
	kind, err := stringArg(k, 1)
	if err != nil {
		return nil, err
	}
	names, err := shareableActions(kind)
	if err != nil {
		return nil, err
	}
	return lowerSet(names), nil
}

func actionManagedDecl() *rego.Function {
	return &rego.Function{
		Name:        "ssmpolicy.action.managed_permissions",
		Description: "AWS RAM's managed permissions for a resource kind, by name, each the set of its actions lower-cased: two for a parameter, none for an OpsItemGroup.",
		Decl: types.NewFunction(types.Args(types.Named("kind", types.S).Description("parameter or opsitemgroup")),
			types.Named("permissions", types.NewObject(nil, types.NewDynamicProperty(types.S, types.NewSet(types.S))))),
	}
}

func actionManaged(_ rego.BuiltinContext, k *ast.Term) (*ast.Term, error) {
	kind, err := stringArg(k, 1)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "parameter":
		var items [][2]*ast.Term
		for _, p := range shareable.ManagedPermissions() {
			items = append(items, ast.Item(str(p.Name), lowerSet(p.Actions)))
		}
		return ast.ObjectTerm(items...), nil
	case "opsitemgroup":
		return ast.ObjectTerm(), nil
	}
	return nil, fmt.Errorf("unknown resource kind %q (want parameter or opsitemgroup)", kind)
}

func actionMatchesDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.action.matches",
		Description: "The shareable actions of a kind, lower-cased, that an Action value can stand for: itself (letter case aside), " +
			"what its IAM wildcards (* and ?) match, or what its parts known only at deploy time could be.",
		Decl: types.NewFunction(types.Args(types.Named("value", types.S), kindArg()), types.Named("actions", types.NewSet(types.S))),
	}
}

func actionMatches(_ rego.BuiltinContext, a, k *ast.Term) (*ast.Term, error) {
	v, err := stringArg(a, 1)
	if err != nil {
		return nil, err
	}
	kind, err := stringArg(k, 2)
	if err != nil {
		return nil, err
	}
	names, err := shareableActions(kind)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(v)
	match := func(x string) bool { return x == lower }
	if wildcard(v) || unknown(v) {
		g, err := glob.Compile(iamGlob(lower))
		if err != nil {
			return nil, fmt.Errorf("action pattern %q: %w", v, err)
		}
		match = g.Match
	}
	var out []*ast.Term
	for _, n := range names {
		if l := strings.ToLower(n); match(l) {
			out = append(out, str(l))
		}
	}
	return ast.SetTerm(out...), nil
}

// iamGlob is the glob pattern (no separators) of an IAM pattern: * and ? are wildcards, a part
// known only at deploy time is *, and the glob syntax IAM does not have ([ ] { } \) is literal.
func iamGlob(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "{", `\{`, "}", `\}`, Unknown, "*").Replace(s)
}
