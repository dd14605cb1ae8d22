package ssmpolicy.rules.legacy_helpers_test

import data.ssmpolicy.rules.legacy_helpers

test_clean_policy_passes if {
	count(legacy_helpers.report) == 0 with input as {"policy": {"Statement": [{
		"Sid": "Share",
		"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter",
	}]}}
}

test_each_helper_fires if {
	got := {f.message | some f in legacy_helpers.report} with input as {
		"policy": {"Statement": [
			{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::999999999999:root"]}, "Action": ["ssm:PutParameter"]},
			{"Sid": "\ue000", "Effect": "Deny", "Principal": "*", "Action": "ssm:PutParameter"},
		]},
		"resource": {"arn": "arn:aws:ssm:eu-west-3:111122223333:parameter/p"},
	}
	got == {
		"this statement has no Sid", "ssm:PutParameter is not for sharing", "account 999999999999 is retired",
		"the Sid is known only at deploy time", "region eu-west-3 is closed",
	}
}
