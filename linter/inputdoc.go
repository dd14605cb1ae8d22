package linter

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// inputFor builds the rules' input document straight into OPA's value types, which spares
// OPA converting Go maps by reflection on every evaluation.
func (e *Engine) inputFor(t *input.Target) ast.Value {
	doc := ast.NewObject(
		ast.Item(ast.StringTerm("config"), ast.NewTerm(e.config)),
		ast.Item(ast.StringTerm("options"), ast.NewTerm(e.options)),
	)
	// A policy that is not an object reaches the rules as none: only the target's own
	// checks run on it.
	if t.Policy != nil && t.Policy.Kind == jsonpos.Object {
		doc.Insert(ast.StringTerm("policy"), ast.NewTerm(toAST(t.Policy)))
		if compact, err := t.CompactPolicy(); err == nil && compact != nil {
			doc.Insert(ast.StringTerm("policy_size"), ast.IntNumberTerm(len(compact)))
		}
	}
	if t.ARN.Known {
		doc.Insert(ast.StringTerm("resource"), ast.NewTerm(resourceDoc(t.ARN.Value)))
	}
	param := ast.NewObject()
	for _, f := range []struct {
		key  string
		fact input.Fact
	}{{"tier", t.Tier}, {"type", t.Type}, {"key_id", t.KeyID}, {"key_manager", t.KeyManager}} {
		if f.fact.Known {
			param.Insert(ast.StringTerm(f.key), ast.StringTerm(f.fact.Value))
		}
	}
	if t.HasPolicies {
		param.Insert(ast.StringTerm("policies"), ast.BooleanTerm(true))
	}
	if len(t.TierBranches) > 0 {
		branches := make([]*ast.Term, 0, len(t.TierBranches))
		for _, b := range t.TierBranches {
			obj := ast.NewObject(ast.Item(ast.StringTerm("condition"), ast.StringTerm(b.Condition)),
				ast.Item(ast.StringTerm("when"), ast.BooleanTerm(b.When)))
			if b.Known {
				obj.Insert(ast.StringTerm("value"), ast.StringTerm(b.Value))
			}
			branches = append(branches, ast.NewTerm(obj))
		}
		param.Insert(ast.StringTerm("tier_branches"), ast.ArrayTerm(branches...))
	}
	doc.Insert(ast.StringTerm("parameter"), ast.NewTerm(param))
	return doc
}

// resourceDoc splits an ARN into the fields rules use. An ARN that does not have six fields
// keeps only "arn", and resource-format says what is wrong with it.
func resourceDoc(arn string) ast.Value {
	obj := ast.NewObject(ast.Item(ast.StringTerm("arn"), ast.StringTerm(arn)))
	a, err := ssmarn.Parse(arn)
	if err != nil {
		return obj
	}
	for _, kv := range [][2]string{{"partition", a.Partition}, {"service", a.Service}, {"region", a.Region},
		{"account", a.AccountID}, {"type", a.Type}, {"id", a.ID}} {
		obj.Insert(ast.StringTerm(kv[0]), ast.StringTerm(kv[1]))
	}
	return obj
}

func toAST(n *jsonpos.Node) ast.Value {
	switch n.Kind {
	case jsonpos.Bool:
		return ast.Boolean(n.Bool)
	case jsonpos.Number:
		return ast.Number(n.Text)
	case jsonpos.String:
		return ast.String(n.Text)
	case jsonpos.Array:
		terms := make([]*ast.Term, len(n.Items))
		for i, it := range n.Items {
			terms[i] = ast.NewTerm(toAST(it))
		}
		return ast.NewArray(terms...)
	case jsonpos.Object:
		obj := ast.NewObject()
		for _, m := range n.Members {
			obj.Insert(ast.StringTerm(m.Key), ast.NewTerm(toAST(m.Value))) // the last of a repeated key wins
		}
		return obj
	}
	return ast.Null{}
}
