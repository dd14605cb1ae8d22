package ssmpolicy.rules["resource-wildcard_test"]

import data.ssmpolicy.rules["resource-wildcard"] as rule

paths(r) := {f.path | some f in r}

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}

group := {"type": "opsitemgroup", "arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}

stmt(res) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": res}

test_star_fires if {
	paths(rule.report) == {["Statement", 0, "Resource"]} with input as {
		"policy": {"Statement": [stmt("*")]},
		"resource": param,
	}
}

test_partial_wildcards_fire_on_the_items if {
	paths(rule.report) == {["Statement", 0, "Resource", 1], ["Statement", 0, "Resource", 2]} with input as {
		"policy": {"Statement": [stmt([
			param.arn,
			"arn:aws:ssm:us-east-1:111122223333:parameter/app/*",
			"arn:aws:ssm:us-east-1:111122223333:parameter/app/d?",
		])]},
		"resource": param,
	}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "Resource"]} with input as {
		"policy": {"Statement": stmt("arn:aws:ssm:*:111122223333:parameter/app/db")},
		"resource": param,
	}
}

test_exact_arn_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(param.arn)]}, "resource": param}
}

test_deny_is_not_a_grant if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [object.union(stmt("*"), {"Effect": "Deny"})]},
		"resource": param,
	}
}

test_opsitemgroup_wildcards_are_the_documented_form if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt(["arn:aws:ssm:us-east-1:111122223333:opsitem/*", "*"])]},
		"resource": group,
	}
}

test_unknown_kind_with_a_parameter_arn_fires if {
	paths(rule.report) == {
		["Statement", 0, "Resource", 0],
		["Statement", 0, "Resource", 1],
	} with input as {"policy": {"Statement": [stmt([
		"arn:aws:ssm:us-east-1:111122223333:parameter/*",
		"*",
		"arn:aws:ssm:us-east-1:111122223333:opsitem/*",
	])]}}
}

test_unknown_part_is_not_a_wildcard if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("arn:\ue000:ssm:\ue000:\ue000:parameter/app/db")]},
		"resource": param,
	}
}

test_help_names_the_target if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("*")]}, "resource": param}
	f.message == "the Resource \"*\" is a wildcard: it reaches every parameter it matches, now and later"
	f.help == sprintf("name the parameter's full ARN, %s", [param.arn])
}

# A target ARN with a wildcard names no parameter (resource-format says so): the fix does not
# offer that pattern as the full ARN.
test_a_wildcard_target_is_not_the_fix if {
	wild := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/*"}
	some f in rule.report with input as {"policy": {"Statement": [stmt(wild.arn)]}, "resource": wild}
	f.help == "name the parameter's full ARN, arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME"
}

# A target that is not a parameter is resource-kind's business: this rule does not say the
# Resource reaches every parameter.
test_a_target_that_is_not_a_parameter if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt(["*", "arn:aws:ssm:us-east-1:111122223333:parameter/*"])]},
		"resource": {"type": "document", "arn": "arn:aws:ssm:us-east-1:111122223333:document/x"},
	}
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt("*")]},
		"resource": {"arn": "arn:aws:s3:::bucket"},
	}
}
