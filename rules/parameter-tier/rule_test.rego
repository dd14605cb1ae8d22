package ssmpolicy.rules["parameter-tier_test"]

import data.ssmpolicy.rules["parameter-tier"] as rule

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x"}

# levels(r) lists each finding's place and level ("default" for the rule's own, error).
levels(r) := {[f.at, object.get(f, "branch", -1), object.get(f, "level", "default")] | some f in r}

test_standard_is_an_error_at_the_tier if {
	levels(rule.report) == {["tier", -1, "default"]} with input as {
		"policy": {},
		"resource": param,
		"parameter": {"tier": "Standard"},
	}
}

test_intelligent_tiering_is_a_warning if {
	fs := rule.report with input as {"policy": {}, "resource": param, "parameter": {"tier": "Intelligent-Tiering"}}
	levels(fs) == {["tier", -1, "warning"]}
	some f in fs
	contains(f.message, "AWS chooses its tier")
	contains(f.help, "--live")
}

test_intelligent_tiering_with_policies_passes if {
	count(rule.report) == 0 with input as {
		"policy": {},
		"resource": param,
		"parameter": {"tier": "Intelligent-Tiering", "policies": true},
	}
}

test_advanced_passes if {
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {"tier": "Advanced"}}
}

# A value the manifest schema or --tier already rejects is theirs to report: one finding per
# problem.
test_a_value_that_is_no_tier_is_left_to_the_schema if {
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {"tier": "advanced"}}
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {"tier": "standard"}}
}

test_unknown_tier_is_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {}, "resource": param, "parameter": {}}
}

test_a_standard_branch_is_a_warning_naming_it if {
	fs := rule.report with input as {
		"resource": param,
		"parameter": {"tier_branches": [
			{"condition": "IsProd", "when": true, "value": "Advanced"},
			{"condition": "IsProd", "when": false, "value": "Standard"},
		]},
	}
	levels(fs) == {["tier_branch", 1, "warning"]}
	some f in fs
	f.message == concat("", [
		"when the condition IsProd is false, the parameter is in the Standard tier, and only Advanced ",
		"parameters can be shared",
	])
	f.help == "make this branch Advanced, or share the parameter only when IsProd is true"
}

test_an_intelligent_tiering_branch_passes_with_policies if {
	branches := [
		{"condition": "C", "when": true, "value": "Intelligent-Tiering"},
		{"condition": "C", "when": false, "value": "Advanced"},
	]
	levels(rule.report) == {["tier_branch", 0, "warning"]} with input as {
		"resource": param,
		"parameter": {"tier_branches": branches},
	}
	count(rule.report) == 0 with input as {"resource": param, "parameter": {"tier_branches": branches, "policies": true}}
}

test_unknown_branches_are_not_a_guess if {
	count(rule.report) == 0 with input as {
		"resource": param,
		"parameter": {"tier_branches": [
			{"condition": "C", "when": true},
			{"condition": "C", "when": false, "value": "Advanced"},
		]},
	}
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
	{f.help | some f in fs} == {concat("", [
		"raise it to Advanced (put-parameter --tier Advanced, or Tier: Advanced in the template); it ",
		"cannot go back",
	])}
	every f in fs {
		not contains(f.message, "put-parameter")
	}
}
