package ssmpolicy.rules["not-action_test"]

import data.ssmpolicy.rules["not-action"] as rule

paths(r) := {f.path | some f in r}

base := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Resource": "*"}

test_not_action_with_allow_fires if {
	paths(rule.report) == {["Statement", 1, "NotAction"]} with input as {"policy": {"Statement": [
		object.union(base, {"Action": "ssm:GetParameter"}),
		object.union(base, {"NotAction": ["ssm:DeleteParameter"]}),
	]}}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "NotAction"]} with input as {"policy": {"Statement": object.union(
		base,
		{"NotAction": "ssm:PutParameter"},
	)}}
}

test_action_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(base, {"Action": "ssm:GetParameter"})]}}
}

test_not_action_with_deny_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(
		base,
		{"Effect": "Deny", "NotAction": "ssm:GetParameter"},
	)]}}
}

test_unknown_not_action_still_fires if {
	paths(rule.report) == {["Statement", 0, "NotAction"]} with input as {"policy": {"Statement": [object.union(
		base,
		{"NotAction": "\ue000"},
	)]}}
}

test_message_names_the_kind_set if {
	some f in rule.report with input as {
		"policy": {"Statement": [object.union(base, {"NotAction": "ssm:PutParameter"})]},
		"resource": {"type": "opsitemgroup", "arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"},
	}
	contains(f.help, "ssm:CreateOpsItem")
	not contains(f.help, "ssm:GetParameter")
	f.key == true
}
