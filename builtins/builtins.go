// Package builtins holds the Rego built-in functions that compute, in Go, the facts the rules
// decide on: the statement lists of a policy, what a principal names and what is wrong with
// it, the fields of an ARN, the actions a value can stand for, and whether a condition value
// has the type its operator compares. The rules stay in Rego and decide what is reported,
// where and with what message; these functions only describe.
//
// Every function is deterministic (its result depends on its arguments only) and declared
// with types, so that the compiler checks the rules that call them. They are registered per
// engine (Declarations for the compiler, Functions for evaluation, ForTests for the Rego test
// runner), never globally.
package builtins

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
)

// Unknown stands in a string for a part known only at deploy time; it is the marker the input
// readers write (input.Unknown), and a string that holds it could be anything there.
const Unknown = "\ue000"

// builtin is one function: its declaration and its implementation.
type builtin struct {
	decl *rego.Function
	opt  func(*rego.Rego)
}

// Signature is a built-in as docs/custom-rules.md lists it.
type Signature struct {
	Name        string
	Description string
	Decl        *types.Function
}

// all lists the built-ins. It builds them on each call: the package keeps no state.
func all() []builtin {
	var out []builtin
	add1 := func(d *rego.Function, f rego.Builtin1) { out = append(out, builtin{d, rego.Function1(d, f)}) }
	add2 := func(d *rego.Function, f rego.Builtin2) { out = append(out, builtin{d, rego.Function2(d, f)}) }
	for _, p := range policyFunctions() {
		add1(p.decl, p.impl)
	}
	add2(principalDescribeDecl(), principalDescribe)
	add1(arnParseDecl(), arnParse)
	add1(actionNameDecl(), actionName)
	add1(actionShareableDecl(), actionShareable)
	add1(actionManagedDecl(), actionManaged)
	add2(actionMatchesDecl(), actionMatches)
	add1(conditionOperatorDecl(), conditionOperator)
	add2(conditionValueOKDecl(), conditionValueOK)
	add2(listGroupDecl(), listGroup)
	return out
}

// Declarations are the built-ins' declarations, for a compiler (ast.Compiler.WithBuiltins).
func Declarations() map[string]*ast.Builtin {
	out := map[string]*ast.Builtin{}
	for _, b := range all() {
		out[b.decl.Name] = declaration(b.decl)
	}
	return out
}

// Functions are the options that give a rego.Rego the built-ins' implementations.
func Functions() []func(*rego.Rego) {
	var out []func(*rego.Rego)
	for _, b := range all() {
		out = append(out, b.opt)
	}
	return out
}

// ForTests are the built-ins for a Rego test runner (tester.Runner.AddCustomBuiltins).
func ForTests() []*tester.Builtin {
	var out []*tester.Builtin
	for _, b := range all() {
		out = append(out, &tester.Builtin{Decl: declaration(b.decl), Func: b.opt})
	}
	return out
}

// Signatures lists the built-ins by name, for documentation.
func Signatures() []Signature {
	var out []Signature
	for _, b := range all() {
		out = append(out, Signature{Name: b.decl.Name, Description: b.decl.Description, Decl: b.decl.Decl})
	}
	return out
}

func declaration(d *rego.Function) *ast.Builtin {
	return &ast.Builtin{Name: d.Name, Description: d.Description, Decl: d.Decl}
}

// pathType is the type of a path in the policy: strings (object keys) and numbers (indexes).
// (Named types are for arguments and results only: the type checker does not unwrap them
// inside an object or array.)
func pathType() types.Type { return types.NewArray(nil, types.A) }

func obj(props ...*types.StaticProperty) types.Type { return types.NewObject(props, nil) }

func prop(name string, t types.Type) *types.StaticProperty { return types.NewStaticProperty(name, t) }

func str(v string) *ast.Term { return ast.StringTerm(v) }
