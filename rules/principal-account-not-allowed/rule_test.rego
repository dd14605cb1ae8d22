package ssmpolicy.rules["principal-account-not-allowed_test"]

import data.ssmpolicy.rules["principal-account-not-allowed"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

config := {"accounts_allowed": ["444455556666", "arn:aws:iam::777788889999:root"]}

principals := [
	"444455556666", # allowed
	"arn:aws:iam::444455556666:root", # allowed
	"arn:aws:iam::444455556666:role/app", # allowed: the role's account
	"777788889999", # allowed through the root ARN in the list
	"999988887777", # 4
	"arn:aws:iam::999988887777:root", # 5
	"arn:aws:sts::999988887777:assumed-role/app/s", # 6
	"arn:\ue000:iam::999988887777:root", # 7: the account is known
	"\ue000", # unknown
	"arn:aws:iam::\ue000:root", # unknown account
	"*", # principal-wildcard's
	"alice", # principal-format's
]

test_accounts_outside_the_list_fire if {
	paths(rule.report) == {["Statement", 0, "Principal", "AWS", i] | some i in [4, 5, 6, 7]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": principals}})]},
		"config": config,
	}
}

test_message_names_the_account if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::999988887777:role/app"}})]},
		"config": config,
	}
	contains(f.message, "999988887777")
	contains(f.message, "accounts.allowed")
	f.help == "remove it, or add it to accounts.allowed if the share is intended"
}

test_no_list_no_finding if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": principals}})]},
		"config": {},
	}
}

test_empty_list_allows_nothing if {
	count(rule.report) == 1 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "444455556666"}})]},
		"config": {"accounts_allowed": []},
	}
}

test_deny_grants_nothing if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [object.union(stmt({"Principal": {"AWS": "999988887777"}}), {"Effect": "Deny"})]},
		"config": config,
	}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "Principal", "AWS"]} with input as {
		"policy": {"Statement": stmt({"Principal": {"AWS": "999988887777"}})},
		"config": config,
	}
}

test_pinned_accounts_are_checked if {
	paths(rule.report) == {["Statement", 0, "Condition", "StringEquals", "aws:PrincipalAccount", 1]} with input as {
		"policy": {"Statement": [stmt({
			"Principal": {"AWS": "*"},
			"Condition": {"StringEquals": {"aws:PrincipalAccount": ["444455556666", "999988887777", "\ue000"]}},
		})]},
		"config": config,
	}
}

test_condition_without_wildcard_principal_is_not_a_grant_list if {
	paths(rule.report) == set() with input as {
		"policy": {"Statement": [stmt({
			"Principal": {"AWS": "444455556666"},
			"Condition": {"StringEquals": {"aws:PrincipalAccount": "999988887777"}},
		})]},
		"config": config,
	}
}

test_the_owner_is_principal_self_business if {
	paths(rule.report) == {["Statement", 0, "Principal", "AWS", 1]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": ["111122223333", "999988887777"]}})]},
		"config": config,
		"resource": {
			"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x",
			"account": "111122223333",
			"partition": "aws",
			"type": "parameter",
		},
	}
}

test_unknown_owner_account if {
	count(rule.report) == 1 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "111122223333"}})]},
		"config": config,
		"resource": {
			"arn": "arn:aws:ssm:us-east-1:\ue000:parameter/x",
			"account": "\ue000",
			"partition": "aws",
			"type": "parameter",
		},
	}
}
