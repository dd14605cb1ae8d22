package builtins

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// ssmpolicy.list.group indexes a list of objects by one of their fields, once per policy, so
// that a rule looks up the elements it is about (the principals of one kind, of one account)
// instead of going through all of them: in Rego each element visited costs an evaluation of
// every expression that tests it.

func listGroupDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.list.group",
		Description: "The objects of a list grouped by one of their fields: an object from each value of the field to the list of the objects that have it, " +
			"in the order of the list. Elements that are not objects, or lack the field, are left out.",
		Decl: types.NewFunction(
			types.Args(types.Named("list", types.NewArray(nil, types.A)), types.Named("field", types.S)),
			types.Named("groups", types.NewObject(nil, types.NewDynamicProperty(types.A, types.NewArray(nil, types.A)))),
		),
	}
}

func listGroup(_ rego.BuiltinContext, list, field *ast.Term) (*ast.Term, error) {
	arr, ok := list.Value.(*ast.Array)
	if !ok {
		return nil, fmt.Errorf("operand 1 must be an array, not %s", ast.ValueName(list.Value))
	}
	if _, err := stringArg(field, 2); err != nil {
		return nil, err
	}
	// The groups in the order their values first appear; index maps a value to its group.
	var keys []*ast.Term
	var groups [][]*ast.Term
	index := ast.NewObject()
	for i := 0; i < arr.Len(); i++ {
		o, ok := arr.Elem(i).Value.(ast.Object)
		if !ok {
			continue
		}
		k := o.Get(field)
		if k == nil {
			continue
		}
		if at := index.Get(k); at != nil {
			n, _ := at.Value.(ast.Number).Int()
			groups[n] = append(groups[n], arr.Elem(i))
			continue
		}
		index.Insert(k, ast.IntNumberTerm(len(keys)))
		keys = append(keys, k)
		groups = append(groups, []*ast.Term{arr.Elem(i)})
	}
	out := ast.NewObject()
	for n, k := range keys {
		out.Insert(k, ast.ArrayTerm(groups[n]...))
	}
	return ast.NewTerm(out), nil
}
