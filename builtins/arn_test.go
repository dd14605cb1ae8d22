package builtins

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

func TestARNParse(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:ssm:us-east-1:111122223333:parameter/app/db": `{"partition": "aws", "service": "ssm", "region": "us-east-1",
			"account": "111122223333", "resource": "parameter/app/db"}`,
		"arn:aws:kms:eu-west-1:111122223333:alias/aws/ssm": `{"partition": "aws", "service": "kms", "region": "eu-west-1",
			"account": "111122223333", "resource": "alias/aws/ssm"}`,
		"arn:aws:ssm:::a:b:c":                `{"partition": "aws", "service": "ssm", "region": "", "account": "", "resource": "a:b:c"}`,
		"arn::::: ":                          `{"partition": "", "service": "", "region": "", "account": "", "resource": " "}`,
		"arn:aws:ssm:us-east-1:111122223333": "undefined",
		"ARN:aws:ssm:r:a:x":                  "undefined",
		"alias/aws/ssm":                      "undefined",
		"":                                   "undefined",
	} {
		got, err := arnParse(rego.BuiltinContext{}, str(in))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "arn.parse("+in+")", got, want)
	}
}
