package ssmpolicy.rules["condition-key_test"]

import data.ssmpolicy.rules["condition-key"] as rule

paths(r) := {f.path | some f in r}

stmt(condition) := {
	"Effect": "Allow",
	"Principal": "*",
	"Action": "ssm:GetParameter",
	"Resource": "*",
	"Condition": condition,
}

# check(keys) is the set of keys that fire.
check(keys) := {f.path[4] |
	some f in rule.report with input as {"policy": {"Statement": [stmt({"StringEquals": {k: "x" | some k in keys}})]}}
}

message(key) := m if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"StringEquals": {key: "x"}})]}}
	m := concat(": ", [f.message, f.help])
}

test_documented_keys_pass_in_any_case if {
	check([
		"aws:PrincipalOrgID", "aws:principalorgid", "AWS:PrincipalAccount", "aws:SourceIp",
		"aws:SourceIP", "aws:referer", "aws:Referer", "aws:userid", "aws:SourceVpce",
		"aws:VpceOrgPaths", "aws:CalledViaAWSMCP", "aws:IsMcpServiceAction", "aws:PrincipalTag/team",
		"aws:RequestTag/cost-center", "aws:ResourceTag/Env", "aws:TagKeys", "aws:EpochTime",
	]) == set()
}

test_unknown_keys_fire if {
	check([
		"aws:SourceIpAddress", "aws:PrincipleOrgID", "aws:PrincipalTag", "aws:ResourceTag/",
		"aws:ResourceTags/env", "aws:Foo",
	]) == {
		"aws:SourceIpAddress",
		"aws:PrincipleOrgID",
		"aws:PrincipalTag",
		"aws:ResourceTag/",
		"aws:ResourceTags/env",
		"aws:Foo",
	}
}

test_other_services_keys_are_not_this_rule if {
	check(["ssm:Overwrite", "ssm:resourceTag/x", "kms:ViaService", "s3:prefix"]) == set()
}

test_suggestions if {
	contains(message("aws:PrincipleOrgID"), `did you mean "aws:PrincipalOrgID"?`)
	contains(message("aws:ResourceTags/env"), `did you mean "aws:ResourceTag/env"?`)
	contains(message("aws:SourceAcount"), `did you mean "aws:SourceAccount"?`)
	contains(message("aws:PrincipalTag"), "names no tag: write aws:PrincipalTag/TAGNAME")
	contains(message("aws:Foo"), "is not an AWS global condition key, so it is never in the request")
}

# The finding is about the key: it is on the key, not on its value; the fix is the help.
test_the_finding_is_on_the_key if {
	fs := rule.report with input as {"policy": {"Statement": [stmt({"StringEquals": {"aws:PrincipleOrgID": "o-1"}})]}}
	{[f.key, f.message, f.help] | some f in fs} == {[
		true, "\"aws:PrincipleOrgID\" is not an AWS global condition key",
		"did you mean \"aws:PrincipalOrgID\"?",
	]}
}

test_path_and_single_statement_object if {
	doc := {"Statement": stmt({"StringEquals": {"aws:PrincipleOrgID": "o-abc123"}})}
	paths(rule.report) == {["Statement", "Condition", "StringEquals", "aws:PrincipleOrgID"]} with input as {"policy": doc}
}

test_unknown_key_is_not_a_guess if {
	check(["aws:\ue000", "\ue000"]) == set()
}
