package ssmpolicy.rules["principal-wildcard_test"]

import data.ssmpolicy.rules["principal-wildcard"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

wild(cond) := {"Statement": [stmt({"Principal": "*", "Condition": cond})]}

# fires(cond): "*" with the condition cond is reported, on the principal.
fires(cond) if paths(rule.report) == {["Statement", 0, "Principal"]} with input as {"policy": wild(cond)}

# pinned(cond): the condition cond pins "*".
pinned(cond) if count(rule.report) == 0 with input as {"policy": wild(cond)}

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
	pinned({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})
}

test_pinned_by_account_case_insensitive_key if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"Principal": {"AWS": "*"},
		"Condition": {"StringEquals": {"AWS:principalaccount": ["444455556666"]}},
	})]}}
}

test_pinned_by_stringlike_without_wildcards if {
	pinned({"StringLike": {"aws:PrincipalOrgID": "o-abc123"}})
}

test_pinned_by_for_any_value if {
	pinned({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})
}

test_not_pinned_by_other_condition if {
	fires({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}})
}

test_service_star_is_not_this_rule if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"Service": "*"}})]}}
}

# A value with * or ? pins nothing: o-* is every principal of every organization.
test_stringlike_org_wildcard_pins_nothing if {
	fs := rule.report with input as {"policy": wild({"StringLike": {"aws:PrincipalOrgID": "o-*"}})}
	paths(fs) == {["Statement", 0, "Principal"]}
	some f in fs
	f.message == concat("", [
		"the principal \"*\" grants every AWS account: the condition on aws:PrincipalOrgID does not pin it, ",
		"since StringLike with * or ? matches more than one organization",
	])
}

test_stringlike_account_patterns_pin_nothing if {
	fires({"StringLike": {"aws:PrincipalAccount": ["444455556666", "1111????3333"]}})
	fires({"StringLike": {"aws:PrincipalAccount": "*"}})
}

test_if_exists_pins_nothing if {
	fs := rule.report with input as {"policy": wild({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}})}
	some f in fs
	endswith(f.message, "since StringEqualsIfExists is also true when the key is absent from the request")
}

test_for_all_values_pins_nothing if {
	cond := {"ForAllValues:StringEquals": {"aws:PrincipalAccount": "444455556666"}}
	fs := rule.report with input as {"policy": wild(cond)}
	some f in fs
	endswith(f.message, "since ForAllValues:StringEquals is also true when the key is absent from the request")
}

# AWS's own example of an organization path condition: the organization is exact.
test_stringlike_org_path_pins if {
	pinned({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3/r-ab12/ou-ab12-11111111/*"]}})
}

test_stringlike_org_path_with_a_wildcard_organization_pins_nothing if {
	fires({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/*"}})
	fires({"StringLike": {"aws:PrincipalOrgPaths": "*/*"}})
}

# Conditions are joined by AND: one that pins is enough.
test_one_pinning_condition_is_enough if {
	count(rule.report) == 0 with input as {"policy": wild({
		"StringLike": {"aws:PrincipalOrgID": "o-*"},
		"StringEquals": {"aws:PrincipalAccount": "444455556666"},
	})}
}

test_a_deploy_time_value_is_taken_as_exact if {
	pinned({"StringEquals": {"aws:PrincipalOrgID": "\ue000"}})
}

test_help_names_the_accounts_and_warns_about_promotion if {
	some f in rule.report with input as {"policy": wild({})}
	startswith(f.help, "name the accounts in Principal, or pin \"*\" with StringEquals on aws:PrincipalOrgID")
	contains(f.help, "keeps a parameter share from being promoted")
}

test_an_opsitemgroup_is_not_promoted if {
	some f in rule.report with input as {"policy": wild({}), "resource": {"type": "opsitemgroup"}}
	not contains(f.help, "promoted")
}
