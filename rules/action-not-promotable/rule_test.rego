package ssmpolicy.rules["action-not-promotable_test"]

import data.ssmpolicy.rules["action-not-promotable"] as rule

paths(r) := {f.path | some f in r}

# levels(r) lists each finding's path and level ("default" for the rule's own, warning).
levels(r) := {[f.path, object.get(f, "level", "default")] | some f in r}

param := {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}

group := {"type": "opsitemgroup", "arn": "arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default"}

stmt(action) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": action, "Resource": param.arn}

with_condition(st, cond) := object.union(st, {"Condition": cond})

read_only := ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"]

org := {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}

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

# A one-step promotion uses the AWS managed permission: what a customer managed permission
# cannot carry does not matter then.
test_managed_set_with_an_org_condition_passes if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [with_condition(object.union(stmt(read_only), {"Principal": "*"}), org)]},
		"resource": param,
	}
}

test_other_set_is_a_suggestion_on_the_first_allow if {
	levels(rule.report) == {[["Statement", 1, "Action"], "suggestion"]} with input as {
		"policy": {"Statement": [
			object.union(stmt("ssm:PutParameter"), {"Effect": "Deny"}),
			stmt(["ssm:GetParameter", "ssm:GetParameters"]),
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

test_suggestion_says_two_steps_and_how_to_make_it_one if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetParameters"])]},
		"resource": param,
	}
	endswith(f.message, "so promoting the share it creates takes two steps")
	contains(f.help, "aws ram promote-permission-created-from-policy")
	contains(f.help, "aws ram promote-resource-share-created-from-policy")
	endswith(f.help, "add ssm:DescribeParameters to match AWSRAMDefaultPermissionSSMParameterReadOnly")
}

test_under_apply_promote_the_message_says_it_will_do_both if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetParameters"])]},
		"resource": param,
		"options": {"promote": true},
	}
	endswith(f.message, ": apply --promote will promote it in two steps")
	startswith(f.help, "nothing to do; to promote in one step instead, add ssm:DescribeParameters")
}

test_help_says_what_to_remove if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(array.concat(read_only, ["ssm:GetParameterHistory", "ssm:PutParameter"]))]},
		"resource": param,
	}
	endswith(f.help, "remove ssm:PutParameter to match AWSRAMPermissionSSMParameterReadOnlyWithHistory")
}

test_help_says_both if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt(["ssm:GetParameter", "ssm:GetParameters", "ssm:Get*"])]},
		"resource": param,
	}
	endswith(f.help, "remove ssm:Get* and add ssm:DescribeParameters to match AWSRAMDefaultPermissionSSMParameterReadOnly")
}

test_wildcard_is_not_the_set if {
	paths(rule.report) == {["Statement", 0, "Action"]} with input as {
		"policy": {"Statement": [stmt("ssm:*")]},
		"resource": param,
	}
}

test_not_action_is_a_suggestion_on_its_key if {
	fs := rule.report with input as {
		"policy": {"Statement": [object.remove(object.union(stmt("x"), {"NotAction": "ssm:PutParameter"}), ["Action"])]},
		"resource": param,
	}
	{[f.path, f.key, f.level] | some f in fs} == {[["Statement", 0, "NotAction"], true, "suggestion"]}
	some f in fs
	contains(f.help, concat("", [
		"write \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"] ",
		"instead of NotAction",
	]))
}

test_two_allow_statements_cannot_be_promoted_in_two_steps if {
	fs := rule.report with input as {
		"policy": {"Statement": [stmt("ssm:GetParameter"), stmt("ssm:GetParameters")]},
		"resource": param,
	}
	levels(fs) == {[["Statement", 1, "Effect"], "default"]}
	some f in fs
	contains(f.message, "cannot be promoted")
	contains(f.message, "2 Allow statements")
	f.help == concat("", [
		"add ssm:DescribeParameters to match AWSRAMDefaultPermissionSSMParameterReadOnly so that promotion ",
		"takes one step, or merge the Allow statements into one",
	])
}

test_a_deny_statement_is_not_counted if {
	levels(rule.report) == {[["Statement", 0, "Action"], "suggestion"]} with input as {
		"policy": {"Statement": [stmt("ssm:GetParameter"), object.union(stmt("ssm:GetParameters"), {"Effect": "Deny"})]},
		"resource": param,
	}
}

test_org_condition_in_a_two_step_share_is_a_warning_on_the_key if {
	fs := rule.report with input as {
		"policy": {"Statement": [with_condition(object.union(stmt("ssm:GetParameter"), {"Principal": "*"}), org)]},
		"resource": param,
	}
	{[f.path, f.key, object.get(f, "level", "default")] | some f in fs} == {[
		["Statement", 0, "Condition", "StringEquals", "aws:PrincipalOrgID"], true,
		"default",
	]}
}

test_every_unsupported_key_is_reported if {
	keys := [
		"aws:PrincipalOrgID", "aws:principalorgpaths", "aws:PrincipalAccount", "aws:SourceArn", "aws:SourceAccount",
		"aws:SourceOrgPaths", "aws:SourceOrgID", "aws:PrincipalTag/aws:x", "aws:ResourceTag/aws:cloudformation:stack-name",
		"aws:RequestTag/aws:y",
	]
	fs := rule.report with input as {
		"policy": {"Statement": [with_condition(stmt("ssm:GetParameter"), {"StringEquals": {k: "v" | some k in keys}})]},
		"resource": param,
	}
	{f.path[4] | some f in fs} == {k | some k in keys}
}

test_user_tags_and_other_keys_are_fine if {
	levels(rule.report) == {[["Statement", 0, "Action"], "suggestion"]} with input as {
		"policy": {"Statement": [with_condition(stmt("ssm:GetParameter"), {
			"StringEquals": {"aws:PrincipalTag/team": "a", "aws:ResourceTag/app": "b"},
			"Bool": {"aws:SecureTransport": "true"},
		})]},
		"resource": param,
	}
}

test_negating_operators_are_reported_on_the_operator if {
	fs := rule.report with input as {
		"policy": {"Statement": [with_condition(stmt("ssm:GetParameter"), {
			"StringNotEquals": {"aws:PrincipalTag/team": "a"},
			"ForAnyValue:ArnNotLikeIfExists": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"},
			"StringEquals": {"aws:PrincipalTag/team": "b"},
		})]},
		"resource": param,
	}
	{f.path[3] | some f in fs} == {"StringNotEquals", "ForAnyValue:ArnNotLikeIfExists"}
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

test_no_policy_reports_nothing if {
	count(rule.report) == 0 with input as {"resource": param}
}
