package ssmpolicy.rules["region-pinned_test"]

import data.ssmpolicy.rules["region-pinned"] as rule

test_other_region_and_role_fire if {
	principal := {"AWS": ["444455556666", "arn:aws:iam::444455556666:role/app"]}
	got := {f.message | some f in rule.report} with input as {
		"policy": {"Statement": [{"Effect": "Allow", "Principal": principal}]},
		"resource": {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/p"},
	}
	got == {"parameters are shared from eu-west-1 only, not us-east-1", "share with accounts only, not a role"}
}

test_account_in_region_passes if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}}]},
		"resource": {"arn": "arn:aws:ssm:eu-west-1:111122223333:parameter/p"},
	}
}
