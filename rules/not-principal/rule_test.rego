package ssmpolicy.rules["not-principal_test"]

import data.ssmpolicy.rules["not-principal"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union(
	{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	extra,
)

test_allow_with_not_principal_fires if {
	paths(rule.report) == {["Statement", 1, "NotPrincipal"]} with input as {"policy": {"Statement": [
		stmt({"Principal": {"AWS": "444455556666"}}),
		stmt({"NotPrincipal": {"AWS": "444455556666"}}),
	]}}
}

test_single_statement_object if {
	doc := {"Statement": stmt({"NotPrincipal": "*"})}
	paths(rule.report) == {["Statement", "NotPrincipal"]} with input as {"policy": doc}
}

test_deny_with_not_principal_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [object.union(
		stmt({"NotPrincipal": {"AWS": "444455556666"}}),
		{"Effect": "Deny"},
	)]}}
}

test_principal_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"Principal": {"AWS": "444455556666"}})]}}
}

test_unknown_principal_value_still_fires if {
	count(rule.report) == 1 with input as {"policy": {"Statement": [stmt({"NotPrincipal": {"AWS": "\ue000"}})]}}
}
