package builtins

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

func TestConditionOperator(t *testing.T) {
	for in, want := range map[string]string{
		"StringEquals": `{"prefix": "", "base": "StringEquals", "if_exists": false, "spelled": "StringEquals", "family": "string"}`,
		"forallvalues:stringlikeifexists": `{"prefix": "ForAllValues:", "base": "StringLike", "if_exists": true,
			"spelled": "ForAllValues:StringLikeIfExists", "family": "string"}`,
		"ForAnyValue:NumericLessThan": `{"prefix": "ForAnyValue:", "base": "NumericLessThan", "if_exists": false,
			"spelled": "ForAnyValue:NumericLessThan", "family": "numeric"}`,
		"DateGreaterThanEqualsIfExists": `{"prefix": "", "base": "DateGreaterThanEquals", "if_exists": true,
			"spelled": "DateGreaterThanEqualsIfExists", "family": "date"}`,
		"NullIfExists":                 `{"prefix": "", "base": "Null", "if_exists": true, "spelled": "NullIfExists", "family": "bool"}`,
		"bool":                         `{"prefix": "", "base": "Bool", "if_exists": false, "spelled": "Bool", "family": "bool"}`,
		"BinaryEquals":                 `{"prefix": "", "base": "BinaryEquals", "if_exists": false, "spelled": "BinaryEquals", "family": "binary"}`,
		"NotIpAddress":                 `{"prefix": "", "base": "NotIpAddress", "if_exists": false, "spelled": "NotIpAddress", "family": "ip"}`,
		"ArnNotLike":                   `{"prefix": "", "base": "ArnNotLike", "if_exists": false, "spelled": "ArnNotLike", "family": "arn"}`,
		"StringEqual":                  "undefined",
		"IfExists":                     "undefined",
		"ForAllValue:StringEquals":     "undefined",
		"StringEqualsIfExistsIfExists": "undefined",
		"":                             "undefined",
	} {
		got, err := conditionOperator(rego.BuiltinContext{}, str(in))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "operator("+in+")", got, want)
	}
}

func TestConditionValueOK(t *testing.T) {
	cases := []struct {
		family, value string
		ok            bool
	}{
		{"bool", `true`, true}, {"bool", `"False"`, true}, {"bool", `"yes"`, false}, {"bool", `1`, false}, {"bool", `null`, false},
		{"numeric", `3600`, true}, {"numeric", `"-1.5"`, true}, {"numeric", `".5"`, true}, {"numeric", `"1e3"`, false}, {"numeric", `"an hour"`, false},
		{"date", `1700000000`, true}, {"date", `"1700000000"`, true}, {"date", `"2026-01-31"`, true},
		{"date", `"2026-01-31T23:59:59Z"`, true}, {"date", `"2026-01-31T23:59"`, true}, {"date", `"2026-01-31T23:59:59.5+05:30"`, true},
		{"date", `"20260131T235959Z"`, true}, {"date", `"2026-02-30"`, false}, {"date", `"2026-01-31T24:00"`, false},
		{"date", `"2026-01-31T23:60"`, false}, {"date", `"2026-01-31T23:59:60"`, false}, {"date", `"1600-01-01"`, false},
		{"date", `"tomorrow"`, false}, {"date", `true`, false},
		{"ip", `"203.0.113.0/24"`, true}, {"ip", `"203.0.113.256"`, false}, {"ip", `"203.0.113.0/33"`, false},
		{"ip", `"2001:db8::/32"`, true}, {"ip", `"1:2:3:4:5:6:7:8"`, true}, {"ip", `"1:2:3:4:5:6:7"`, false},
		{"ip", `"::ffff:192.0.2.1"`, true}, {"ip", `"::ffff:300.0.2.1"`, false}, {"ip", `"1:2:3:4:5:6:7:192.0.2.1"`, false},
		{"ip", `":::1"`, false}, {"ip", `"1::2::3"`, false}, {"ip", `"12345::"`, false}, {"ip", `"::/129"`, false}, {"ip", `1`, false},
		{"arn", `"arn:aws:ssm:*:*:parameter/*"`, true}, {"arn", `"arn:aws:ssm"`, false}, {"arn", `"parameter/x"`, false},
		{"binary", `"YWJj"`, true}, {"binary", `"YWJ"`, false}, {"binary", `3`, false},
		{"string", `3`, true},
	}
	for _, c := range cases {
		v := ast.MustParseTerm(c.value)
		got, err := conditionValueOK(rego.BuiltinContext{}, str(c.family), v)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.Compare(ast.Boolean(c.ok)) != 0 {
			t.Errorf("value_ok(%s, %s) = %v, want %v", c.family, c.value, got, c.ok)
		}
	}
}
