package ssmpolicy.rules["principal-wildcard_test"]

import data.ssmpolicy.rules["principal-wildcard"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

test_star_principal_fires if {
	doc := {"Statement": [stmt({"Principal": "*"})]}
	paths(rule.report) == {["Statement", 0, "Principal"]} with input as {"policy": doc}
}

test_aws_star_in_list_fires_on_the_element if {
	paths(rule.report) == {["Statement", 1, "Principal", "AWS", 1]} with input as {"policy": {"Statement": [
		stmt({"Principal": {"AWS": "444455556666"}}),
		stmt({"Principal": {"AWS": ["444455556666", "*"]}}),
	]}}
}

test_single_statement_object if {
	doc := {"Statement": stmt({"Principal": {"AWS": "*"}})}
	paths(rule.report) == {["Statement", "Principal", "AWS"]} with input as {"policy": doc}
}

test_account_principal_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "444455556666"}})]}}
}

test_deny_is_not_a_grant if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(
		stmt({"Principal": "*"}),
		{"Effect": "Deny"},
	)]}}
}

test_pinned_by_org_id if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
	})]}}
}

test_pinned_by_account_case_insensitive_key if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"Principal": {"AWS": "*"},
		"Condition": {"StringEquals": {"AWS:principalaccount": ["444455556666"]}},
	})]}}
}

test_not_pinned_by_other_condition if {
	paths(rule.report) == {["Statement", 0, "Principal"]} with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
	})]}}
}

test_service_star_is_not_this_rule if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"Service": "*"}})]}}
}

test_stringlike_star_pins_nothing if {
	paths(rule.report) == {["Statement", 0, "Principal"]} with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringLike": {"aws:PrincipalAccount": "*"}},
	})]}}
}

test_stringlike_org_path_pins if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3/r-ab12/ou-ab12-11111111/*"]}},
	})]}}
}

test_stringlike_slash_star_pins_nothing if {
	paths(rule.report) == {["Statement", 0, "Principal"]} with input as {"policy": {"Statement": [stmt({
		"Principal": "*",
		"Condition": {"StringLike": {"aws:PrincipalOrgPaths": "*/*"}},
	})]}}
}
