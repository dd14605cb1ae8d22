package builtins

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// newCompiler is a compiler that knows OPA's built-ins and ours, as the engine's does.
func newCompiler() *ast.Compiler {
	caps := ast.CapabilitiesForThisVersion()
	for _, b := range Declarations() {
		caps.Builtins = append(caps.Builtins, b)
	}
	return ast.NewCompiler().WithCapabilities(caps)
}

// evalRego compiles a query that calls the built-ins, with them registered the way the engine
// registers them, and returns its binding x.
func evalRego(t *testing.T, query string) any {
	t.Helper()
	c := newCompiler()
	c.Compile(map[string]*ast.Module{})
	if c.Failed() {
		t.Fatal(c.Errors)
	}
	opts := append([]func(*rego.Rego){rego.Query(query), rego.Compiler(c), rego.StrictBuiltinErrors(true)}, Functions()...)
	rs, err := rego.New(opts...).Eval(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if len(rs) == 0 {
		return nil
	}
	return rs[0].Bindings["x"]
}

// TestRegistered checks the three registrations agree, name every built-in under ssmpolicy.
// with a description and a typed declaration, and leave OPA's global tables untouched.
func TestRegistered(t *testing.T) {
	decls, fns, tests, sigs := Declarations(), Functions(), ForTests(), Signatures()
	if len(decls) != 13 || len(fns) != len(decls) || len(tests) != len(decls) || len(sigs) != len(decls) {
		t.Fatalf("%d declarations, %d functions, %d for tests, %d signatures: want 13 of each", len(decls), len(fns), len(tests), len(sigs))
	}
	for _, tb := range tests {
		d, ok := decls[tb.Decl.Name]
		if !ok || d.Decl.String() != tb.Decl.Decl.String() {
			t.Errorf("%s: the test runner's declaration differs from the compiler's", tb.Decl.Name)
		}
	}
	for name, d := range decls {
		if !strings.HasPrefix(name, "ssmpolicy.") || d.Description == "" || d.Decl == nil {
			t.Errorf("%s: want a name under ssmpolicy., a description and a type", name)
		}
		if d.Nondeterministic {
			t.Errorf("%s is declared nondeterministic", name)
		}
		if _, global := ast.BuiltinMap[name]; global {
			t.Errorf("%s is registered globally", name)
		}
	}
}

// TestThroughRego calls each built-in from Rego, as the rules do.
func TestThroughRego(t *testing.T) {
	cases := map[string]string{
		`x := ssmpolicy.policy.statements({"Statement": {"Effect": "Allow"}})`:                   `[{"path": ["Statement"], "value": {"Effect": "Allow"}}]`,
		`x := ssmpolicy.policy.actions({"Statement": [{"Effect": "Deny", "Action": "A"}]})`:      `[{"allow": false, "lower": "a", "path": ["Statement", 0, "Action"], "value": "A"}]`,
		`x := ssmpolicy.policy.resources({"Statement": [{"NotResource": ["r"]}]})`:               `[{"allow": false, "name": "NotResource", "path": ["Statement", 0, "NotResource", 0], "value": "r"}]`,
		`x := count(ssmpolicy.policy.principals({"Statement": [{"Principal": "*"}]}))`:           `1`,
		`x := ssmpolicy.principal.describe("AWS", "arn:aws:iam::111122223333:role/app")`:         `{"account": "111122223333", "help": "", "kind": "role", "partition": "aws", "problem": ""}`,
		`x := ssmpolicy.arn.parse("arn:aws:ssm:us-east-1:111122223333:parameter/a:b")`:           `{"account": "111122223333", "partition": "aws", "region": "us-east-1", "resource": "parameter/a:b", "service": "ssm"}`,
		`x := ssmpolicy.action.name("ssm:getparameter")`:                                         `"ssm:GetParameter"`,
		`x := ssmpolicy.action.shareable("parameter")`:                                           `["ssm:describeparameters", "ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters"]`,
		`x := count(ssmpolicy.action.managed_permissions("parameter"))`:                          `2`,
		`x := ssmpolicy.action.matches("ssm:GetParameter?", "")`:                                 `["ssm:getparameters"]`,
		`x := ssmpolicy.condition.operator("forallvalues:stringlikeifexists").spelled`:           `"ForAllValues:StringLikeIfExists"`,
		`x := ssmpolicy.condition.value_ok("ip", "2001:db8::/32")`:                               `true`,
		`x := ssmpolicy.list.group([{"k": "a", "n": 1}, {"k": "b"}, {"k": "a", "n": 2}], "k").a`: `[{"k": "a", "n": 1}, {"k": "a", "n": 2}]`,
	}
	for q, want := range cases {
		got := evalRego(t, q)
		v, err := ast.InterfaceToValue(got)
		if err != nil {
			t.Fatal(err)
		}
		w := ast.MustParseTerm(want).Value
		if v.Compare(w) != 0 {
			t.Errorf("%s\n got %v\nwant %v", q, v, w)
		}
	}
	if got := evalRego(t, `x := ssmpolicy.arn.parse("not an arn")`); got != nil {
		t.Errorf("arn.parse of a non-ARN = %v, want undefined", got)
	}
}

// TestTypesChecked shows the declarations are used by the type checker: a rule that reads a
// field the result does not have does not compile.
func TestTypesChecked(t *testing.T) {
	c := newCompiler()
	mod := ast.MustParseModuleWithOpts("package p\n\nx := ssmpolicy.arn.parse(\"arn:a:b:c:d:e\").regoin\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
	c.Compile(map[string]*ast.Module{"p.rego": mod})
	if !c.Failed() || !strings.Contains(c.Errors.Error(), "undefined ref") {
		t.Fatalf("want a type error for .regoin, got %v", c.Errors)
	}
}

// TestBadArguments: a built-in given the wrong kind of argument fails with an error that names
// it (shown when built-in errors are strict; undefined otherwise, as for OPA's own functions).
func TestBadArguments(t *testing.T) {
	for _, q := range []string{
		`x := ssmpolicy.action.shareable("document")`,
		`x := ssmpolicy.action.managed_permissions("")`,
		`x := ssmpolicy.condition.value_ok("regex", "x")`,
		`x := ssmpolicy.list.group({"k": "a"}, "k")`,
	} {
		c := newCompiler()
		opts := append([]func(*rego.Rego){rego.Query(q), rego.Compiler(c), rego.StrictBuiltinErrors(true)}, Functions()...)
		if _, err := rego.New(opts...).Eval(context.Background()); err == nil || !strings.Contains(err.Error(), "want") {
			t.Errorf("%s: err = %v, want an error saying what is accepted", q, err)
		}
	}
}

func TestMarkdownListsEveryBuiltin(t *testing.T) {
	md := Markdown()
	for name := range Declarations() {
		if !strings.Contains(md, "`"+name+"(") {
			t.Errorf("Markdown() does not list %s", name)
		}
	}
}
