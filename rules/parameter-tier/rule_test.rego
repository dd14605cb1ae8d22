package ssmpolicy.rules["parameter-tier_test"]

import data.ssmpolicy.rules["parameter-tier"] as rule

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x"}

test_standard_fires_at_the_tier if {
	{f.at | some f in rule.report} == {"tier"} with input as {
		"policy": {},
		"resource": param,
		"parameter": {"tier": "Standard"},
	}
}

test_intelligent_tiering_fires if {
	count(rule.report) == 1 with input as {"policy": {}, "resource": param, "parameter": {"tier": "Intelligent-Tiering"}}
}

test_advanced_passes if {
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {"tier": "Advanced"}}
}

test_unknown_tier_is_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {}}
}

test_opsitemgroup_has_no_tier if {
	count(rule.report) == 0 with input as {
		"policy": {},
		"resource": {"type": "opsitemgroup"},
		"parameter": {"tier": "Standard"},
	}
}

test_the_fix_is_the_help_not_the_message if {
	fs := rule.report with input as {"policy": {}, "resource": param, "parameter": {"tier": "Standard"}}
	{f.help | some f in fs} == {"raise it with put-parameter --tier Advanced; it cannot go back"}
	every f in fs {
		not contains(f.message, "put-parameter")
	}
}
