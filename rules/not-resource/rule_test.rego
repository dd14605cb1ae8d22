package ssmpolicy.rules["not-resource_test"]

import data.ssmpolicy.rules["not-resource"] as rule

paths(r) := {f.path | some f in r}

base := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter"}

param := {
	"type": "parameter",
	"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db",
	"partition": "aws",
	"region": "us-east-1",
	"account": "111122223333",
}

test_not_resource_with_allow_fires if {
	paths(rule.report) == {["Statement", 1, "NotResource"]} with input as {"policy": {"Statement": [
		object.union(base, {"Resource": "*"}),
		object.union(base, {"NotResource": ["arn:aws:ssm:us-east-1:111122223333:parameter/other"]}),
	]}}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "NotResource"]} with input as {"policy": {"Statement": object.union(
		base,
		{"NotResource": "*"},
	)}}
}

test_resource_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(base, {"Resource": "*"})]}}
}

test_not_resource_with_deny_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(
		base,
		{"Effect": "Deny", "NotResource": "*"},
	)]}}
}

test_message_names_the_target if {
	some f in rule.report with input as {
		"policy": {"Statement": [object.union(base, {"NotResource": "*"})]},
		"resource": param,
	}
	contains(f.help, param.arn)
	f.key == true
}

test_message_for_an_opsitemgroup if {
	some f in rule.report with input as {
		"policy": {"Statement": [object.union(base, {"NotResource": "*"})]},
		"resource": {
			"type": "opsitemgroup",
			"arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default",
			"partition": "aws",
			"region": "us-east-1",
			"account": "111122223333",
		},
	}
	contains(f.help, "arn:aws:ssm:us-east-1:111122223333:opsitem/*")
}

test_message_with_an_unknown_target if {
	some f in rule.report with input as {
		"policy": {"Statement": [object.union(base, {"NotResource": "*"})]},
		"resource": {
			"type": "parameter",
			"arn": "arn:\ue000:ssm:\ue000:\ue000:parameter/app",
			"partition": "\ue000",
			"region": "\ue000",
			"account": "\ue000",
		},
	}
	contains(f.help, "the target's own ARN")
}
