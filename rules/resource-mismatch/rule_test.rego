package ssmpolicy.rules["resource-mismatch_test"]

import data.ssmpolicy.rules["resource-mismatch"] as rule

paths(r) := {f.path | some f in r}

resource(arn) := {"type": t, "arn": arn, "partition": p[1], "region": p[3], "account": p[4]} if {
	p := split(arn, ":")
	t := split(p[5], "/")[0]
}

param := resource("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")

group := resource("arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default")

stmt(res) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": res}

test_the_parameter_itself_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(param.arn)]}, "resource": param}
}

test_another_parameter_fires_on_the_item if {
	paths(rule.report) == {["Statement", 0, "Resource", 1]} with input as {
		"policy": {"Statement": [stmt([param.arn, "arn:aws:ssm:us-east-1:111122223333:parameter/app/other"])]},
		"resource": param,
	}
}

test_statement_lacking_the_target_fires_on_each_value if {
	paths(rule.report) == {["Statement", 1, "Resource", 0], ["Statement", 1, "Resource", 1]} with input as {
		"policy": {"Statement": [
			stmt(param.arn),
			stmt(["arn:aws:ssm:us-east-1:111122223333:parameter/a", "arn:aws:ssm:us-west-2:111122223333:parameter/app/db"]),
		]},
		"resource": param,
	}
}

test_deny_is_checked_too if {
	paths(rule.report) == {["Statement", "Resource"]} with input as {
		"policy": {"Statement": object.union(stmt("arn:aws:ssm:us-east-1:111122223333:parameter/x"), {"Effect": "Deny"})},
		"resource": param,
	}
}

test_wildcard_that_matches_is_left_to_resource_wildcard if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt([
			"*",
			"arn:aws:ssm:*:111122223333:parameter/app/*",
			"arn:aws:ssm:us-east-1:111122223333:parameter/app/d?",
		])]},
		"resource": param,
	}
}

test_wildcard_that_cannot_match_fires if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/other/*")]},
		"resource": param,
	}
}

test_star_crosses_dots if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/*")]},
		"resource": resource("arn:aws:ssm:us-east-1:111122223333:parameter/app/db.url"),
	}
}

test_case_matters_in_arns if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/App/DB")]},
		"resource": param,
	}
}

test_glob_syntax_is_literal if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/[d]b")]},
		"resource": param,
	}
}

test_unknown_parts_of_the_target_match_anything if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")]},
		"resource": resource("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db"),
	}
}

test_unknown_target_still_catches_another_name if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/other")]},
		"resource": resource("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db"),
	}
}

test_unknown_parts_on_both_sides if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db")]},
		"resource": resource("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db"),
	}
}

test_unknown_parts_on_both_sides_with_another_name if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("arn:\ue000:ssm:\ue000:\ue000:parameter/app/other")]},
		"resource": resource("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db"),
	}
}

test_unknown_resource_value if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt(["\ue000", "arn:aws:ssm:us-east-1:111122223333:parameter/\ue000"])]},
		"resource": param,
	}
}

test_wildcard_and_unknown_target if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:*:*:parameter/app/*")]},
		"resource": resource("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db"),
	}
}

test_policy_variable_is_unknown if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:${aws:PrincipalAccount}:parameter/app/db")]},
		"resource": param,
	}
}

test_unknown_arn_does_not_run if {
	doc := {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/x")]}
	count(rule.report) == 0 with input as {"policy": doc}
}

test_opsitemgroup_example_passes if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt([
			"arn:aws:ssm:us-east-1:111122223333:opsitem/*",
			"arn:aws:ssm:us-east-1:111122223333:opsitem/oi-0123456789ab",
			"arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default",
		])]},
		"resource": group,
	}
}

test_opsitems_of_another_account_or_region_fire if {
	paths(rule.report) == {
		["Statement", 0, "Resource", 0],
		["Statement", 0, "Resource", 1],
		["Statement", 0, "Resource", 2],
	} with input as {
		"policy": {"Statement": [stmt([
			"arn:aws:ssm:us-east-1:444455556666:opsitem/*",
			"arn:aws:ssm:us-west-2:111122223333:opsitem/*",
			"arn:aws:ssm:us-east-1:111122223333:parameter/x",
			"arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default",
		])]},
		"resource": group,
	}
}

test_opsitemgroup_with_unknown_account if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt([
			"arn:aws:ssm:us-east-1:111122223333:opsitem/*",
			"arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default",
		])]},
		"resource": resource("arn:aws:ssm:us-east-1:\ue000:opsitemgroup/default"),
	}
}

test_message_names_both if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/x")]},
		"resource": param,
	}
	contains(f.message, "\"arn:aws:ssm:us-east-1:111122223333:parameter/x\"")
	contains(f.message, param.arn)
	f.help == sprintf("write %s", [param.arn])
}

test_opsitemgroup_message_names_the_opsitems if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/x")]},
		"resource": group,
	}
	contains(f.help, "arn:aws:ssm:us-east-1:111122223333:opsitem/*")
}

# A target ARN with a wildcard names no parameter (resource-format says so): there is nothing
# to compare the Resource with, and its pattern is not a fix.
test_a_wildcard_target_is_not_compared if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")]},
		"resource": resource("arn:aws:ssm:us-east-1:111122223333:parameter/app/*"),
	}
}

# A target ARN with parameter// is malformed (resource-format): the Resource written with one
# slash is right, and is not reported against it.
test_a_malformed_target_is_not_compared if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")]},
		"resource": resource("arn:aws:ssm:us-east-1:111122223333:parameter//app/db"),
	}
}

test_wildcard_and_unknown_target_in_another_field_fires if {
	paths(rule.report) == {["Statement", 0, "Resource", 1]} with input as {
		"policy": {"Statement": [stmt([
			"arn:aws:ssm:us-east-1:\ue000:parameter/app/*",
			"arn:aws:ssm:us-east-1:\ue000:parameter/other/*",
			"arn:aws:ssm:us-east-1:\ue000:parameter/app/db.url",
		])]},
		"resource": resource("arn:aws:ssm:us-east-1:\ue000:parameter/app/db.url"),
	}
}

test_wildcard_region_against_unknown_region_fires_only_when_provable if {
	paths(rule.report) == {["Statement", 0, "Resource", 1]} with input as {
		"policy": {"Statement": [stmt([
			"arn:aws:ssm:us-west-2:\ue000:opsitem/*",
			"arn:aws:ssm:\ue000:444455556666:opsitem/*",
		])]},
		"resource": resource("arn:aws:ssm:\ue000:111122223333:opsitemgroup/default"),
	}
}
