package ssmpolicy.rules["action-unsupported_test"]

import data.ssmpolicy.rules["action-unsupported"] as rule

paths(r) := {f.path | some f in r}

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}

group := {"type": "opsitemgroup", "arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}

stmt(action) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": action, "Resource": "*"}

test_write_action_on_a_parameter_fires_on_the_item if {
	paths(rule.report) == {["Statement", 0, "Action", 1]} with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:PutParameter"])]},
		"resource": param,
	}
}

test_read_actions_pass_in_any_case if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt([
			"SSM:getparameter",
			"ssm:GETPARAMETERS",
			"ssm:DescribeParameters",
			"ssm:GetParameterHistory",
		])]},
		"resource": param,
	}
}

test_opsitem_action_on_a_parameter_fires if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {
		"policy": {"Statement": [stmt("ssm:GetOpsItem")]},
		"resource": param,
	}
}

test_parameter_action_on_an_opsitemgroup_fires if {
	paths(rule.report) == {["Statement", 0, "Action", 0]} with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:CreateOpsItem"])]},
		"resource": group,
	}
}

test_opsitemgroup_example_actions_pass if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt([
			"ssm:CreateOpsItem",
			"ssm:AddTagsToResource",
			"ssm:GetOpsItem",
			"ssm:UpdateOpsItem",
			"ssm:DescribeOpsItems",
		])]},
		"resource": group,
	}
}

test_unknown_kind_accepts_both_sets if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetOpsItem"])]}}
}

test_unknown_kind_still_rejects_others if {
	doc := {"Statement": [stmt("ssm:DeleteParameter")]}
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {"policy": doc}
}

test_other_service_fires_and_says_so if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("kms:Decrypt")]}, "resource": param}
	f.path == ["Statement", 0, "Action"]
	contains(f.message, "another service (kms)")
}

test_deny_statements_are_checked_too if {
	paths(rule.report) == {["Statement", "Action"]} with input as {
		"policy": {"Statement": object.union(stmt("ec2:RunInstances"), {"Effect": "Deny"})},
		"resource": param,
	}
}

test_wildcard_matching_something_is_left_to_action_wildcard if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt(["*", "ssm:*", "ssm:Get*", "ssm:?etParameter"])]},
		"resource": param,
	}
}

test_wildcard_matching_nothing_fires if {
	paths(rule.report) == {["Statement", 0, "Action", 0], ["Statement", 0, "Action", 1]} with input as {
		"policy": {"Statement": [stmt(["ssm:Delete*", "ec2:*", "ssm:GetParameter"])]},
		"resource": param,
	}
}

test_wildcard_for_the_other_kind_fires if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {
		"policy": {"Statement": [stmt("ssm:*OpsItem")]},
		"resource": param,
	}
}

test_unknown_action_is_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(["\ue000", "ssm:\ue000"])]}, "resource": param}
}

test_unknown_action_of_another_service_fires if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {
		"policy": {"Statement": [stmt("ec2:\ue000")]},
		"resource": param,
	}
}

test_not_an_action if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("GetParameter")]}, "resource": param}
	contains(f.message, "not an action")
}

test_every_offender_has_a_message if {
	count(rule.report) == 6 with input as {
		"policy": {"Statement": [stmt(["GetParameter", ":x", "ec2:*", "ssm:Put*", "ssm:\ue000Foo", "ssm:PutParameter"])]},
		"resource": param,
	}
}

test_help_names_the_set if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("ssm:PutParameter")]}, "resource": param}
	f.message == "\"ssm:PutParameter\" is not an action this resource can share"
	f.help == concat("", [
		"remove it: a parameter can share only ssm:DescribeParameters, ssm:GetParameter, ",
		"ssm:GetParameterHistory, ssm:GetParameters",
	])
}
