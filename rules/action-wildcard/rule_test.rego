package ssmpolicy.rules["action-wildcard_test"]

import data.ssmpolicy.rules["action-wildcard"] as rule

paths(r) := {f.path | some f in r}

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}

stmt(extra) := object.union({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Resource": "*"}, extra)

test_star_fires if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {"policy": {"Statement": [stmt({"Action": "*"})]}}
}

test_ssm_star_fires_on_the_list_item if {
	paths(rule.report) == {["Statement", 0, "Action", 1]} with input as {"policy": {"Statement": [stmt({"Action": [
		"ssm:GetParameter",
		"ssm:*",
	]})]}}
}

test_partial_and_question_mark_wildcards_fire if {
	paths(rule.report) == {
		["Statement", 0, "Action", 0],
		["Statement", 0, "Action", 1],
	} with input as {"policy": {"Statement": [stmt({"Action": [
		"ssm:GetParameter*",
		"ssm:GetParameter?",
	]})]}}
}

test_case_insensitive_service if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {"policy": {"Statement": [stmt({"Action": "SSM:*"})]}}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "Action"]} with input as {"policy": {"Statement": stmt({"Action": "ssm:Get*"})}}
}

test_listed_actions_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Action": [
		"ssm:GetParameter",
		"ssm:GetParameters",
		"ssm:DescribeParameters",
	]})]}}
}

test_deny_is_not_a_grant if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Effect": "Deny", "Action": "ssm:*"})]}}
}

test_not_action_is_another_rule if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.remove(
		stmt({"NotAction": "ssm:*"}),
		["Action"],
	)]}}
}

test_unknown_action_is_not_a_wildcard if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Action": "ssm:\ue000"})]}}
}

test_message_names_what_it_matches if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Action": "ssm:get*"})]}, "resource": param}
	contains(f.help, "ssm:GetParameter, ssm:GetParameterHistory, ssm:GetParameters")
	not contains(f.help, "DescribeParameters")
}

test_message_when_nothing_shareable_matches if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Action": "ec2:*"})]}, "resource": param}
	contains(f.message, "matches no action")
}

test_leading_wildcard if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Action": "*Parameters"})]}, "resource": param}
	contains(f.help, "ssm:DescribeParameters, ssm:GetParameters")
}
