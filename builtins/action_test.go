package builtins

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

func TestActionMatches(t *testing.T) {
	const u = Unknown
	cases := []struct{ value, kind, want string }{
		{"ssm:GetParameter", "parameter", `{"ssm:getparameter"}`},
		{"SSM:getparameter", "", `{"ssm:getparameter"}`},
		{"ssm:GetParameter", "opsitemgroup", `set()`},
		{"ssm:PutParameter", "parameter", `set()`},
		{"ssm:Get*", "parameter", `{"ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters"}`},
		{"ssm:GetParameter?", "", `{"ssm:getparameters"}`},
		{"*", "opsitemgroup", `{"ssm:addtagstoresource", "ssm:createopsitem", "ssm:describeopsitems", "ssm:getopsitem",
			"ssm:getopssummary", "ssm:listopsitemevents", "ssm:listopsitemrelateditems", "ssm:updateopsitem"}`},
		{"ssm:*OpsItem", "", `{"ssm:createopsitem", "ssm:getopsitem", "ssm:updateopsitem"}`},
		{"ssm:" + u, "parameter", `{"ssm:describeparameters", "ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters"}`},
		{"ec2:" + u, "parameter", `set()`},
		// glob's own syntax is literal: [x] is not a character class, \ is not an escape
		{"ssm:[g]etparameter", "parameter", `set()`},
		{`ssm:getparameter\*`, "parameter", `set()`},
		{"ssm:{getparameter,getparameters}", "parameter", `set()`},
	}
	for _, c := range cases {
		got, err := actionMatches(rego.BuiltinContext{}, str(c.value), str(c.kind))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "matches("+c.value+", "+c.kind+")", got, c.want)
	}
	if _, err := actionMatches(rego.BuiltinContext{}, str("ssm:GetParameter"), str("document")); err == nil {
		t.Error("matches with the kind document: want an error")
	}
}

func TestActionName(t *testing.T) {
	for in, want := range map[string]string{
		"ssm:getparameter":            "ssm:GetParameter",
		"SSM:GETPARAMETERHISTORY":     "ssm:GetParameterHistory",
		"ssm:listopsitemrelateditems": "ssm:ListOpsItemRelatedItems",
		"ssm:putparameter":            "ssm:putparameter",
		"ssm:Get*":                    "ssm:Get*",
	} {
		got, err := actionName(rego.BuiltinContext{}, str(in))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "name("+in+")", got, `"`+want+`"`)
	}
}

func TestActionSets(t *testing.T) {
	for kind, want := range map[string]string{
		"parameter": `{"ssm:describeparameters", "ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters"}`,
		"opsitemgroup": `{"ssm:addtagstoresource", "ssm:createopsitem", "ssm:describeopsitems", "ssm:getopsitem",
			"ssm:getopssummary", "ssm:listopsitemevents", "ssm:listopsitemrelateditems", "ssm:updateopsitem"}`,
		"": `{"ssm:describeparameters", "ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters",
			"ssm:addtagstoresource", "ssm:createopsitem", "ssm:describeopsitems", "ssm:getopsitem",
			"ssm:getopssummary", "ssm:listopsitemevents", "ssm:listopsitemrelateditems", "ssm:updateopsitem"}`,
	} {
		got, err := actionShareable(rego.BuiltinContext{}, str(kind))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "shareable("+kind+")", got, want)
	}
	got, err := actionManaged(rego.BuiltinContext{}, str("parameter"))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "managed_permissions(parameter)", got, `{
		"AWSRAMDefaultPermissionSSMParameterReadOnly": {"ssm:describeparameters", "ssm:getparameter", "ssm:getparameters"},
		"AWSRAMPermissionSSMParameterReadOnlyWithHistory": {"ssm:describeparameters", "ssm:getparameter", "ssm:getparameterhistory", "ssm:getparameters"}
	}`)
	got, err = actionManaged(rego.BuiltinContext{}, str("opsitemgroup"))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "managed_permissions(opsitemgroup)", got, `{}`)
}
