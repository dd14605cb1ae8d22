package ssmpolicy.rules["policy-size_test"]

import data.ssmpolicy.rules["policy-size"] as rule

small := {
	"Version": "2012-10-17",
	"Statement": [{
		"Effect": "Allow",
		"Principal": {"AWS": "444455556666"},
		"Action": "ssm:GetParameter",
		"Resource": "*",
	}],
}

# big has about 1100 bytes of known text and one deploy-time value.
big := {"Version": "2012-10-17", "Statement": [{
	"Effect": "Allow",
	"Principal": {"AWS": [a | some i in numbers.range(1, 70); a := sprintf("%012d", [i])]},
	"Action": "ssm:GetParameter",
	"Resource": "arn:aws:ssm:us-east-1:\ue000:parameter/x",
}]}

test_over_the_limit_fires_at_the_document if {
	{f.at | some f in rule.report} == {"document"} with input as {"policy": small, "policy_size": 1025}
}

test_message_says_size_and_limit if {
	some f in rule.report with input as {"policy": small, "policy_size": 1300}
	contains(f.message, "1300 bytes")
	contains(f.message, "1024")
	contains(f.help, "merge statements")
	contains(f.help, "keeps the share from being promoted")
}

test_at_the_limit_passes if {
	count(rule.report) == 0 with input as {"policy": small, "policy_size": 1024}
}

test_size_unknown_does_not_fire if {
	count(rule.report) == 0 with input as {"policy": small}
}

test_unknown_parts_with_small_known_text_are_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [{"Resource": "\ue000"}]}, "policy_size": 1500}
}

test_unknown_parts_with_known_text_over_the_limit if {
	count(json.marshal(big)) > 1024
	{f.at | some f in rule.report} == {"document"} with input as {"policy": big, "policy_size": 1200}
}
