package ssmpolicy.rules["condition-operator_test"]

import data.ssmpolicy.rules["condition-operator"] as rule

paths(r) := {f.path | some f in r}

stmt(condition) := {
	"Effect": "Allow",
	"Principal": "*",
	"Action": "ssm:GetParameter",
	"Resource": "*",
	"Condition": condition,
}

block := {"aws:PrincipalOrgID": "o-abc123"}

cond(ops) := {op: block | some op in ops}

message(op) := m if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({op: block})]}}
	m := f.message
}

help(op) := h if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({op: block})]}}
	h := f.help
}

test_known_operators_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(cond([
		"StringEquals", "StringNotEqualsIgnoreCase", "StringLikeIfExists", "NumericLessThanEquals",
		"DateGreaterThanIfExists", "Bool", "BoolIfExists", "BinaryEquals", "IpAddress",
		"NotIpAddressIfExists", "ArnLike", "ArnNotEqualsIfExists", "Null",
		"ForAnyValue:StringLike", "ForAllValues:StringEqualsIfExists", "ForAnyValue:ArnLike",
	]))]}}
}

test_unknown_operators_fire_each if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Condition",
		op,
	] |
		some op in ops
	} with input as {"policy": {"Statement": [stmt(cond(ops))]}}
}

ops := [
	"StringEqual",
	"stringequals",
	"NullIfExists",
	"ForAllValue:StringEquals",
	"forallvalues:StringEquals",
	"Matches",
	"StringEqualsIfexists",
]

test_single_statement_object if {
	doc := {"Statement": stmt({"StringEqual": block})}
	paths(rule.report) == {["Statement", "Condition", "StringEqual"]} with input as {"policy": doc}
}

test_misspelling_suggests_the_operator if {
	message("StringEqual") == `"StringEqual" is not a condition operator`
	help("StringEqual") == `did you mean "StringEquals"?`
	help("DateLessThenEquals") == `did you mean "DateLessThanEquals"?`
	help("ForAnyValue:StringEqual") == `did you mean "ForAnyValue:StringEquals"?`
	help("StringEqualIfExists") == `did you mean "StringEqualsIfExists"?`
}

test_letter_case_gives_the_spelling if {
	contains(message("stringequals"), `written "StringEquals"`)
	help("stringequals") == `write "StringEquals"`
	help("forallvalues:stringEqualsIfexists") == `write "ForAllValues:StringEqualsIfExists"`
}

test_null_if_exists if {
	contains(message("NullIfExists"), "Null has no IfExists form")
	help("ForAnyValue:NullIfExists") == `write "ForAnyValue:Null"`
}

test_bad_set_prefix if {
	contains(message("ForAllValue:StringEquals"), "neither ForAllValues: nor ForAnyValue:")
}

test_nothing_close if {
	message("Matches") == `"Matches" is not a condition operator`
	startswith(help("Matches"), "use one of IAM's String, Numeric")
}

# The finding is about the operator: it is on the key, not on the block it names.
test_the_finding_is_on_the_key if {
	{f.key | some f in rule.report} == {true} with input as {"policy": {"Statement": [stmt({"StringEqual": block})]}}
}

test_unknown_operator_is_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"\ue000": block})]}}
}

test_no_condition if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.remove(stmt({}), ["Condition"])]}}
}

test_operator_of_a_malformed_block_is_still_checked if {
	doc := {"Statement": [stmt({"StringEqual": "o-abc123"})]}
	paths(rule.report) == {["Statement", 0, "Condition", "StringEqual"]} with input as {"policy": doc}
}
