package ssmpolicy.rules["principal-not-account_test"]

import data.ssmpolicy.rules["principal-not-account"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

test_roles_users_and_sessions_fire if {
	paths(rule.report) == {[
		"Statement",
		0,
		"Principal",
		"AWS",
		i,
	] |
		some i in [2, 3, 4, 5]
	} with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": [
		"444455556666",
		"arn:aws:iam::444455556666:root",
		"arn:aws:iam::444455556666:role/app",
		"arn:aws:iam::444455556666:user/alice",
		"arn:aws:sts::444455556666:assumed-role/app/s1",
		"arn:aws:sts::444455556666:federated-user/bob",
	]}})]}}
}

test_message_names_the_account if {
	doc := {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:role/app"}})]}
	some f in rule.report with input as {"policy": doc}
	contains(f.message, "IAM role")
	f.help == "name the account 444455556666, and let its administrators grant access through IAM"
}

test_accounts_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": [
		"444455556666",
		"arn:aws-cn:iam::444455556666:root",
	]}})]}}
}

test_wildcard_and_malformed_are_other_rules if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [
		stmt({"Principal": "*"}),
		stmt({"Principal": {"AWS": ["*", "alice", "arn:aws:iam::444455556666:group/g"]}}),
	]}}
}

test_service_federated_canonical_fire if {
	paths(rule.report) == {
		["Statement", 0, "Principal", "Service"],
		["Statement", 0, "Principal", "Federated"],
		["Statement", 0, "Principal", "CanonicalUser"],
	} with input as {"policy": {"Statement": [stmt({"Principal": {
		"Service": "ssm.amazonaws.com",
		"Federated": "accounts.google.com",
		"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
	}})]}}
}

test_single_statement_object if {
	doc := {"Statement": stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:role/app"}})}
	paths(rule.report) == {["Statement", "Principal", "AWS"]} with input as {"policy": doc}
}

# A Deny naming a role narrows access: nothing is shared with it.
test_deny_is_not_a_share if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [
		object.union(stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:role/app"}}), {"Effect": "Deny"}),
		object.union(stmt({"NotPrincipal": {"AWS": "arn:aws:iam::444455556666:role/app"}}), {"Effect": "Deny"}),
	]}}
}

# The principals NotPrincipal lists are those it does not grant (not-principal reports it).
test_not_principal_is_not_a_grant if {
	doc := {"Statement": [stmt({"NotPrincipal": {"AWS": "arn:aws:iam::444455556666:role/app"}})]}
	count(rule.report) == 0 with input as {"policy": doc}
}

# A role of the account that owns the resource is principal-self's: naming the account would
# be its finding again.
test_a_role_of_the_owner_is_principal_self if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}})]},
		"resource": {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x", "account": "111122223333"},
	}
	count(rule.report) == 1 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:role/app"}})]},
		"resource": {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x", "account": "111122223333"},
	}
}

test_role_with_unknown_partition_and_account_fires if {
	doc := {"Statement": [stmt({"Principal": {"AWS": "arn:\ue000:iam::\ue000:role/app"}})]}
	some f in rule.report with input as {"policy": doc}
	contains(f.help, "its account")
}

test_role_with_unknown_name_fires if {
	doc := {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:role/\ue000"}})]}
	count(rule.report) == 1 with input as {"policy": doc}
}

test_unknown_principals_are_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": [
		"\ue000",
		"arn:aws:iam::444455556666:\ue000",
		"arn:\ue000:iam::\ue000:root",
	]}})]}}
}
