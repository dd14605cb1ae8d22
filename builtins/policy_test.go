package builtins

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func term(t *testing.T, s string) *ast.Term {
	t.Helper()
	v, err := ast.ParseTerm(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func same(t *testing.T, what string, got *ast.Term, want string) {
	t.Helper()
	if want == "undefined" {
		if got != nil {
			t.Errorf("%s = %v, want undefined", what, got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s is undefined, want %s", what, want)
		return
	}
	if w := term(t, want); got.Value.Compare(w.Value) != 0 {
		t.Errorf("%s\n got %v\nwant %v", what, got, w)
	}
}

// TestPolicyLists covers the shapes a policy can take: one statement object, a list with
// items that are not statements, repeated and odd-typed elements, no statements at all.
func TestPolicyLists(t *testing.T) {
	cases := []struct {
		policy, statements, actions, resources, principals string
	}{{
		policy:     `{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": ["a", 1, "b"]}}`,
		statements: `[{"path": ["Statement"], "value": {"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": ["a", 1, "b"]}}]`,
		actions:    `[{"value": "ssm:GetParameter", "lower": "ssm:getparameter", "path": ["Statement", "Action"], "allow": true}]`,
		resources: `[{"value": "a", "path": ["Statement", "Resource", 0], "name": "Resource", "allow": true},
			{"value": "b", "path": ["Statement", "Resource", 2], "name": "Resource", "allow": true}]`,
		principals: `[{"path": ["Statement", "Principal"], "element": "Principal", "type": "*", "value": "*", "allow": true,
			"kind": "*", "account": "", "partition": "", "problem": "", "help": ""}]`,
	}, {
		policy: `{"Statement": [{"Effect": "Deny", "NotPrincipal": {"Service": ["x.amazonaws.com"], "AWS": "1"}, "NotAction": ["a"], "NotResource": "r"}, "not a statement", 3]}`,
		statements: `[{"path": ["Statement", 0], "value": {"Effect": "Deny", "NotPrincipal": {"Service": ["x.amazonaws.com"], "AWS": "1"},
			"NotAction": ["a"], "NotResource": "r"}}]`,
		actions:   `[]`,
		resources: `[{"value": "r", "path": ["Statement", 0, "NotResource"], "name": "NotResource", "allow": false}]`,
		principals: `[
			{"path": ["Statement", 0, "NotPrincipal", "AWS"], "element": "NotPrincipal", "type": "AWS", "value": "1", "allow": false,
				"kind": "", "account": "", "partition": "", "problem": "the account id \"1\" has 1 digits, and an AWS account id has 12 (leading zeros included)",
				"help": "write the account's 12-digit id"},
			{"path": ["Statement", 0, "NotPrincipal", "Service", 0], "element": "NotPrincipal", "type": "Service", "value": "x.amazonaws.com",
				"allow": false, "kind": "Service", "account": "", "partition": "", "problem": "", "help": ""}]`,
	}, {
		policy: `{"Statement": [{"Effect": "allow", "Principal": {"AWS": [1, "444455556666"]}, "Action": false, "Resource": null}]}`,
		statements: `[{"path": ["Statement", 0], "value": {"Effect": "allow", "Principal": {"AWS": [1, "444455556666"]}, "Action": false,
			"Resource": null}}]`,
		actions:   `[]`,
		resources: `[]`,
		principals: `[{"path": ["Statement", 0, "Principal", "AWS", 1], "element": "Principal", "type": "AWS", "value": "444455556666",
			"allow": false, "kind": "account", "account": "444455556666", "partition": "", "problem": "", "help": ""}]`,
	}, {
		policy: `{"Statement": []}`, statements: `[]`, actions: `[]`, resources: `[]`, principals: `[]`,
	}, {
		policy: `{"Statement": "x"}`, statements: `undefined`, actions: `[]`, resources: `[]`, principals: `[]`,
	}, {
		policy: `{"Version": "2012-10-17"}`, statements: `undefined`, actions: `[]`, resources: `[]`, principals: `[]`,
	}, {
		policy: `["not", "an", "object"]`, statements: `undefined`, actions: `[]`, resources: `[]`, principals: `[]`,
	}}
	for _, c := range cases {
		p := term(t, c.policy).Value
		same(t, "statements of "+c.policy, statementsTerm(p), c.statements)
		same(t, "actions of "+c.policy, actionsTerm(p), c.actions)
		same(t, "resources of "+c.policy, resourcesTerm(p), c.resources)
		same(t, "principals of "+c.policy, principalsTerm(p), c.principals)
	}
}
