package ssmpolicy.rules["principal-self_test"]

import data.ssmpolicy.rules["principal-self"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

resource := {
	"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x",
	"partition": "aws",
	"account": "111122223333",
	"type": "parameter",
	"id": "x",
}

test_own_account_fires_in_every_form if {
	paths(rule.report) == {["Statement", 0, "Principal", "AWS", i] | some i in [1, 2, 3]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": [
			"444455556666",
			"111122223333",
			"arn:aws:iam::111122223333:root",
			"arn:aws:iam::111122223333:role/app",
			"arn:aws:iam::\ue000:root",
		]}})]},
		"resource": resource,
	}
}

test_message_names_the_account if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "111122223333"}})]},
		"resource": resource,
	}
	contains(f.message, "111122223333")
	contains(f.message, "owns this resource")
	startswith(f.help, "remove it")
}

test_other_accounts_pass if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "444455556666"}})]},
		"resource": resource,
	}
}

test_arn_unknown_does_not_fire if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "111122223333"}})]}}
}

test_unknown_resource_account_is_not_a_guess if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "111122223333"}})]},
		"resource": object.union(resource, {"account": "\ue000"}),
	}
}

test_deny_is_not_a_grant if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [object.union(stmt({"Principal": {"AWS": "111122223333"}}), {"Effect": "Deny"})]},
		"resource": resource,
	}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "Principal", "AWS"]} with input as {
		"policy": {"Statement": stmt({"Principal": {"AWS": "111122223333"}})},
		"resource": resource,
	}
}

test_pinned_account if {
	paths(rule.report) == {["Statement", 0, "Condition", "StringEquals", "aws:PrincipalAccount", 0]} with input as {
		"policy": {"Statement": [stmt({
			"Principal": "*",
			"Condition": {"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}},
		})]},
		"resource": resource,
	}
}
