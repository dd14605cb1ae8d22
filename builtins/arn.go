package builtins

import (
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

func arnParseDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.arn.parse",
		Description: "The fields of an ARN, {partition, service, region, account, resource}; the resource keeps its colons. " +
			"Undefined when s is not an ARN (arn: and six colon-separated fields).",
		Decl: types.NewFunction(
			types.Args(types.Named("s", types.S)),
			types.Named("fields", obj(prop("partition", types.S), prop("service", types.S), prop("region", types.S),
				prop("account", types.S), prop("resource", types.S))),
		),
	}
}

func arnParse(_ rego.BuiltinContext, s *ast.Term) (*ast.Term, error) {
	v, err := stringArg(s, 1)
	if err != nil {
		return nil, err
	}
	a, err := arn.Parse(v)
	if err != nil {
		return nil, nil // not an ARN: undefined, which is what the rules test for
	}
	return ast.ObjectTerm(
		ast.Item(str("partition"), str(a.Partition)),
		ast.Item(str("service"), str(a.Service)),
		ast.Item(str("region"), str(a.Region)),
		ast.Item(str("account"), str(a.AccountID)),
		ast.Item(str("resource"), str(a.Resource)),
	), nil
}
