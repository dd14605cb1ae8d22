# Unit tests for ssm.rego: `conftest verify --policy bench/conftest` (run.sh runs them before it
# times anything, so a broken rule cannot produce flattering figures).
package main

arn := "arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password"

good_statement := {
	"Sid": "ReadProd",
	"Effect": "Allow",
	"Principal": {"AWS": ["444455556666", "arn:aws:iam::777788889999:root"]},
	"Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters"],
	"Resource": arn,
}

policy(s) := {"Version": "2012-10-17", "Statement": [s]}

# rules_of returns the rule ids the messages start with.
rules_of(msgs) := {split(m, ":")[0] | some m in msgs}

test_clean if {
	count(deny) == 0 with input as policy(good_statement)
}

test_not_a_policy if {
	count(deny) == 0 with input as {"resources": [{"arn": arn, "policy": "p.json"}]}
}

test_statement_as_object if {
	count(deny) == 0 with input as {"Version": "2012-10-17", "Statement": good_statement}
}

test_principal_wildcard if {
	rules_of(deny) == {"principal-wildcard"} with input as policy(object.union(good_statement, {"Principal": "*"}))
	rules_of(deny) == {"principal-wildcard"} with input as policy(object.union(good_statement, {"Principal": {"AWS": "*"}}))
}

test_principal_wildcard_pinned if {
	s := object.union(good_statement, {"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})
	count(deny) == 0 with input as policy(s)
}

test_principal_format if {
	rules_of(deny) == {"principal-format"} with input as policy(object.union(good_statement, {"Principal": {"AWS": "12345678901"}}))
	rules_of(deny) == {"principal-format"} with input as policy(object.union(good_statement, {"Principal": {"AWS": "arn:aws:iam::123456789012:role/x"}}))
}

test_action_unsupported if {
	rules_of(deny) == {"action-unsupported"} with input as policy(object.union(good_statement, {"Action": ["ssm:GetParameter", "ssm:PutParameter"]}))
}

test_action_case_insensitive if {
	count(deny) == 0 with input as policy(object.union(good_statement, {"Action": "SSM:getparameter"}))
}

test_action_wildcard if {
	rules_of(deny) == {"action-wildcard"} with input as policy(object.union(good_statement, {"Action": "ssm:Get*"}))
}

test_not_principal if {
	s := object.union(object.remove(good_statement, ["Principal"]), {"NotPrincipal": {"AWS": "444455556666"}})
	rules_of(deny) == {"not-principal"} with input as policy(s)
}

test_resource_mismatch if {
	rules_of(deny) == {"resource-mismatch"} with input as policy(object.union(good_statement, {"Resource": [arn, "arn:aws:ssm:us-east-1:111122223333:parameter/other"]}))
	rules_of(deny) == {"resource-mismatch"} with input as policy(object.union(good_statement, {"Resource": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}))
	rules_of(deny) == {"resource-mismatch"} with input as policy(object.remove(good_statement, ["Resource"]))
}

test_resource_wildcard if {
	rules_of(deny) == {"resource-wildcard"} with input as policy(object.union(good_statement, {"Resource": "*"}))
	rules_of(deny) == {"resource-wildcard"} with input as policy(object.union(good_statement, {"Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/*"}))
}

test_sid_duplicate if {
	rules_of(deny) == {"sid-duplicate"} with input as {"Version": "2012-10-17", "Statement": [good_statement, good_statement]}
}

test_version if {
	rules_of(deny) == {"version"} with input as {"Statement": [good_statement]}
	rules_of(deny) == {"version"} with input as {"Version": "2008-10-17", "Statement": [good_statement]}
}

test_policy_size if {
	accounts := [sprintf("%d", [100000000000 + i]) | some i in numbers.range(1, 80)]
	rules_of(deny) == {"policy-size"} with input as policy(object.union(good_statement, {"Principal": {"AWS": accounts}}))
}
