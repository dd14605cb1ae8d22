package ssmpolicy.rules["principal-format_test"]

import data.ssmpolicy.rules["principal-format"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

good_aws := [
	"111122223333",
	"*",
	"arn:aws:iam::111122223333:root",
	"arn:aws:iam::111122223333:user/alice",
	"arn:aws:iam::111122223333:user/division/alice.smith@example.com",
	"arn:aws:iam::111122223333:role/app",
	"arn:aws:iam::111122223333:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM",
	"arn:aws:sts::111122223333:assumed-role/app/session-1",
	"arn:aws:sts::111122223333:federated-user/bob",
	"arn:aws-cn:iam::111122223333:root",
	"arn:aws-us-gov:iam::111122223333:root",
]

test_well_formed_aws_principals_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": good_aws}})]}}
}

bad_aws := [
	"1111-2222-3333", # 0 dashes
	"12345", # 1 too short
	"0111122223333", # 2 too long
	"alice", # 3 not an id or ARN
	"arn:aws:iam::*:root", # 4 partial wildcard
	"1111*", # 5 partial wildcard
	"arn:aws:iam::111122223333:group/admins", # 6 group
	"arn:aws:s3:::bucket", # 7 other service
	"arn:aws:iam:us-east-1:111122223333:root", # 8 region
	"arn:aws:iam::1111:root", # 9 account
	"arn:aws-foo:iam::111122223333:root", # 10 partition
	"arn:aws:iam::111122223333:root:x", # 11 seven fields
	"arn:aws:iam::111122223333:role/", # 12 empty role name
	"arn:aws:iam::111122223333:assumed-role/app/s1", # 13 session under iam
	"arn:aws:sts::111122223333:role/app", # 14 role under sts
	"arn:aws:iam::111122223333:policy/p", # 15 not a principal
	"arn:aws:iam::aws:root", # 16 account "aws"
	"arn:aws:sts::111122223333:assumed-role/app", # 17 session without its name
]

test_malformed_aws_principals_fire_each if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Principal",
		"AWS",
		i,
	] |
		some i, _ in bad_aws
	} with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": bad_aws}})]}}
}

test_group_message if {
	doc := {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::111122223333:group/admins"}})]}
	some f in rule.report with input as {"policy": doc}
	contains(f.message, "group cannot be a principal")
}

test_dashes_help_gives_the_digits if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "1111-2222-3333"}})]}}
	contains(f.help, `"111122223333"`)
}

test_single_statement_object if {
	doc := {"Statement": stmt({"Principal": {"AWS": "12345"}})}
	paths(rule.report) == {["Statement", "Principal", "AWS"]} with input as {"policy": doc}
}

test_not_principal_is_checked if {
	doc := {"Statement": [stmt({"NotPrincipal": {"AWS": "12345"}})]}
	paths(rule.report) == {["Statement", 0, "NotPrincipal", "AWS"]} with input as {"policy": doc}
}

test_deny_is_checked_too if {
	count(rule.report) == 1 with input as {"policy": {"Statement": [object.union(
		stmt({"Principal": {"AWS": "12345"}}),
		{"Effect": "Deny"},
	)]}}
}

test_wildcard_principal_is_not_this_rule if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": "*"})]}}
}

test_unknown_parts_that_could_be_right_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": [
		"\ue000",
		"1111\ue000",
		"arn:\ue000:iam::\ue000:root",
		"arn:aws:iam::\ue000:role/app",
		"arn:aws:iam::111122223333:role/\ue000",
		"ar\ue000",
	]}})]}}
}

test_unknown_parts_proven_wrong_fire if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Principal",
		"AWS",
		i,
	] |
		some i in [0, 1, 2, 3]
	} with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": [
		"alice\ue000",
		"arn:aws:s3::\ue000",
		"arn:aws:iam:us-east-1:\ue000:root",
		"arn:aws:iam::*:\ue000",
		"arn:\ue000:iam::\ue000:root",
	]}})]}}
}

test_unknown_message_shows_the_unknown_part if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "alice\ue000"}})]}}
	contains(f.message, "alice<unknown>")
}

test_service_principals if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Principal",
		"Service",
		i,
	] |
		some i in [4, 5, 6, 7, 8]
	} with input as {"policy": {"Statement": [stmt({"Principal": {"Service": [
		"ssm.amazonaws.com",
		"logs.us-east-1.amazonaws.com",
		"ec2.amazonaws.com.cn",
		"ssm.\ue000",
		"SSM.amazonaws.com", # 4 upper case
		"ssm", # 5 not a service name
		"*", # 6 wildcard
		"*.amazonaws.com", # 7 partial wildcard
		"arn:aws:iam::111122223333:role/x", # 8 an ARN
	]}})]}}
}

test_service_upper_case_help if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Principal": {"Service": "SSM.amazonaws.com"}})]}}
	contains(f.help, `"ssm.amazonaws.com"`)
}

test_federated_principals if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Principal",
		"Federated",
		i,
	] |
		some i in [3, 4]
	} with input as {"policy": {"Statement": [stmt({"Principal": {"Federated": [
		"arn:aws:iam::111122223333:saml-provider/corp",
		"accounts.google.com",
		"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::111122223333:role/x", # 3
		"not a provider", # 4
	]}})]}}
}

test_canonical_user_principals if {
	users := ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "abc"]
	doc := {"Statement": [stmt({"Principal": {"CanonicalUser": users}})]}
	paths(rule.report) == {["Statement", 0, "Principal", "CanonicalUser", 1]} with input as {"policy": doc}
}

test_pinned_accounts_are_checked_like_principals if {
	want := {["Statement", 0, "Condition", "StringEquals", "aws:PrincipalAccount", i] | some i in [1, 2]}
	paths(rule.report) == want with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringEquals": {"aws:PrincipalAccount": [
			"111122223333",
			"1234",
			"arn:aws:iam::444455556666:root",
			"\ue000",
		]}},
	})]}}
}

test_a_pattern_is_left_to_principal_wildcard if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringLike": {"aws:PrincipalAccount": ["*", "1111????3333"]}},
	})]}}
}

test_accounts_of_a_condition_that_does_not_pin_are_checked_too if {
	doc := {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringEqualsIfExists": {"aws:PrincipalAccount": "1234"}},
	})]}
	want := {["Statement", 0, "Condition", "StringEqualsIfExists", "aws:PrincipalAccount"]}
	paths(rule.report) == want with input as {"policy": doc}
}

test_root_arn_in_condition if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringEquals": {"aws:PrincipalAccount": "arn:aws:iam::444455556666:root"}},
	})]}}
	f.message == concat("", [
		"aws:PrincipalAccount compares the account id 444455556666, never an ARN such as ",
		"\"arn:aws:iam::444455556666:root\"",
	])
	f.help == "write the 12-digit account id"
}

test_the_fix_is_the_help if {
	some f in rule.report with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "1111-2222-3333"}})]}}
	f.help == "write \"111122223333\""
	not contains(f.message, "write")
}
