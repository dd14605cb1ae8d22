package ssmpolicy.rules["action-not-promotable_test"]

import data.ssmpolicy.rules["action-not-promotable"] as rule

paths(r) := {f.path | some f in r}

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}

group := {"type": "opsitemgroup", "arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}

stmt(action) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": action, "Resource": param.arn}

read_only := ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"]

test_read_only_set_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(read_only)]}, "resource": param}
}

test_with_history_set_passes_across_statements_and_case if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [
			stmt(["ssm:describeparameters", "SSM:GetParameter"]),
			stmt(["ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParameter"]),
		]},
		"resource": param,
	}
}

test_missing_action_fires_on_the_first_allow if {
	paths(rule.report) == {["Statement", 1, "Action"]} with input as {
		"policy": {"Statement": [
			object.union(stmt("ssm:PutParameter"), {"Effect": "Deny"}),
			stmt("ssm:GetParameter"),
			stmt("ssm:GetParameters"),
		]},
		"resource": param,
	}
}

test_single_statement_object if {
	paths(rule.report) == {["Statement", "Action"]} with input as {
		"policy": {"Statement": stmt("ssm:GetParameter")},
		"resource": param,
	}
}

test_message_says_what_to_add if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetParameters"])]},
		"resource": param,
	}
	contains(f.message, "add ssm:DescribeParameters to match AWSRAMDefaultPermissionSSMParameterReadOnly")
}

test_message_says_what_to_remove if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(array.concat(read_only, ["ssm:GetParameterHistory", "ssm:PutParameter"]))]},
		"resource": param,
	}
	contains(f.message, "remove ssm:PutParameter to match AWSRAMPermissionSSMParameterReadOnlyWithHistory")
}

test_message_says_both if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetParameters", "ssm:Get*"])]},
		"resource": param,
	}
	contains(
		f.message,
		"remove ssm:Get* and add ssm:DescribeParameters to match AWSRAMDefaultPermissionSSMParameterReadOnly",
	)
}

test_wildcard_is_not_the_set if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {
		"policy": {"Statement": [stmt("ssm:*")]},
		"resource": param,
	}
}

test_not_action_fires_on_it if {
	paths(rule.report) == {["Statement", 1, "NotAction"]} with input as {
		"policy": {"Statement": [
			stmt(read_only),
			object.remove(object.union(stmt("x"), {"NotAction": "ssm:PutParameter"}), ["Action"]),
		]},
		"resource": param,
	}
}

test_opsitemgroup_is_never_promoted if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("ssm:GetOpsItem")]}, "resource": group}
}

test_unknown_arn_does_not_run if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("ssm:GetParameter")]}}
}

test_unknown_action_is_not_a_guess if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "\ue000"])]},
		"resource": param,
	}
}

test_no_allow_statement_passes if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [object.union(stmt("ssm:GetParameter"), {"Effect": "Deny"})]},
		"resource": param,
	}
}
