# METADATA
# title: Parameter share that needs two-step promotion, or cannot be promoted
# description: >-
#   A parameter policy whose Allow statements do not grant exactly one of the two RAM managed
#   permissions (AWSRAMDefaultPermissionSSMParameterReadOnly,
#   AWSRAMPermissionSSMParameterReadOnlyWithHistory) makes a share that is promoted in two steps:
#   PromotePermissionCreatedFromPolicy, then PromoteResourceShareCreatedFromPolicy (a
#   suggestion). The first step makes a customer managed permission, which cannot hold more than
#   one statement, negating condition operators, the principal and source condition keys, or aws:
#   system tags; a policy that needs it and carries one of those cannot be promoted (a warning).
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/ram/latest/APIReference/API_PromotePermissionCreatedFromPolicy.html
#   - ref: https://docs.aws.amazon.com/ram/latest/APIReference/API_PromoteResourceShareCreatedFromPolicy.html
#   - ref: https://docs.aws.amazon.com/ram/latest/userguide/managed-permission-considerations.html
# custom:
#   id: action-not-promotable
#   level: warning
#   levels: [warning, suggestion]
#   kinds: [parameter]
#   requires: [arn]
#   inference: true
#   source: docs/aws-facts.md, "Promoting a parameter share" and "What a parameter share grants"
#   fixable: true
package ssmpolicy.rules["action-not-promotable"]

import data.ssmpolicy.actions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.target
import data.ssmpolicy.text

# _allows lists the Allow statements that grant actions (Action or NotAction).
_allows := [st |
	some st in statements.list
	statements.allow(st)
	_grants(st)
]

_grants(st) if "Action" in object.keys(st.value)

_grants(st) if "NotAction" in object.keys(st.value)

# _granted is the union of the Allow statements' actions, lower-cased: IAM names are
# case-insensitive.
_granted contains a.lower if {
	some a in actions.by_allow[true]
}

_read_only := "AWSRAMDefaultPermissionSSMParameterReadOnly"

_with_history := "AWSRAMPermissionSSMParameterReadOnlyWithHistory"

# _one_step holds when the actions are exactly one AWS managed permission: the share is
# promoted in one call, and nothing is reported.
_one_step if {
	not _any_not_action
	_granted in {actions.parameter_read_only, actions.parameter_with_history}
}

# _two_step holds when the share needs its permission promoted first. An action known only at
# deploy time could complete a managed set: no guess.
_two_step if {
	target.kind == "parameter"
	count(_allows) > 0
	not _one_step
	not _any_unknown
}

_any_not_action if {
	some st in _allows
	"NotAction" in object.keys(st.value)
}

_any_unknown if {
	some a in actions.by_allow[true]
	text.unknown(a.value)
}

# What a customer managed permission cannot carry (RAM User Guide, "Considerations for using
# customer managed permissions"). Each is reported where it is written, as a warning.
_blockers contains findings.at_help(array.concat(second.path, ["Effect"]), msg, help) if {
	_two_step
	count(_allows) > 1
	second := _allows[1]
	help := _fix("merge the Allow statements into one")
	msg := sprintf(
		concat("", [
			"the share this policy creates cannot be promoted: its actions are not a RAM managed permission, so ",
			"promotion makes a customer managed permission, which holds one statement, and the policy has %d ",
			"Allow statements",
		]),
		[count(_allows)],
	)
}

_blockers contains findings.on_key(findings.at_help(b.path, msg, help)) if {
	_two_step
	some b in _allow_blocks
	op := ssmpolicy.condition.operator(b.op)
	op.base in _negating
	help := _fix(sprintf("write the condition without %s", [b.op]))
	msg := sprintf(
		concat("", [
			"the share this policy creates cannot be promoted: its actions are not a RAM managed permission, so ",
			"promotion makes a customer managed permission, which cannot use the negating operator %s",
		]),
		[op.spelled],
	)
}

_blockers contains findings.on_key(findings.at_help(path, msg, _fix(sprintf("drop the condition on %s", [key])))) if {
	_two_step
	some b in _allow_blocks
	some key, _ in b.block
	_unsupported_key(lower(key))
	path := array.concat(b.path, [key])
	msg := sprintf(
		concat("", [
			"the share this policy creates cannot be promoted: its actions are not a RAM managed permission, so ",
			"promotion makes a customer managed permission, which cannot use the condition key %s",
		]),
		[key],
	)
}

_allow_blocks contains {"op": op, "block": block, "path": array.concat(st.path, ["Condition", op])} if {
	some st in _allows
	is_object(st.value.Condition)
	some op, block in st.value.Condition
	is_object(block)
}

_negating := {
	"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "DateNotEquals",
	"NotIpAddress", "ArnNotEquals", "ArnNotLike",
}

_unsupported_key(k) if k in {
	"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:sourcearn", "aws:sourceaccount",
	"aws:sourceorgpaths", "aws:sourceorgid",
}

_unsupported_key(k) if {
	some p in ["aws:principaltag/aws:", "aws:resourcetag/aws:", "aws:requesttag/aws:"]
	startswith(k, p)
}

# _fix says how to make promotion possible: one step, or without the construct.
_fix(drop) := sprintf("%s so that promotion takes one step, or %s", [_to_one_step, drop])

report contains f if some f in _blockers

# With nothing in the way, the share is promoted in two steps: a suggestion, on the actions of
# the first Allow statement (the problem is their union, not one statement).
report contains findings.at_level(f, "suggestion") if {
	_two_step
	count(_blockers) == 0
	f := _suggestion(_allows[0])
}

_suggestion(st) := findings.at_help(array.concat(st.path, ["Action"]), _two_step_message, _two_step_help) if {
	"Action" in object.keys(st.value)
}

_suggestion(st) := findings.on_key(f) if {
	not "Action" in object.keys(st.value)
	f := findings.at_help(array.concat(st.path, ["NotAction"]), _two_step_message, _two_step_help)
}

_two_step_message := concat("", [_not_managed, ": apply --promote will promote it in two steps"]) if {
	input.options.promote == true
} else := concat("", [_not_managed, ", so promoting the share it creates takes two steps"])

_not_managed := "the Allow statements' actions are not one of RAM's managed permissions for parameters"

_two_step_help := sprintf("nothing to do; to promote in one step instead, %s", [_to_one_step]) if {
	input.options.promote == true
} else := sprintf(
	concat("", [
		"promote the permission (aws ram promote-permission-created-from-policy), then the share ",
		"(aws ram promote-resource-share-created-from-policy); or, for one step, %s",
	]),
	[_to_one_step],
)

# _to_one_step says what to change to grant exactly the nearest managed permission.
_to_one_step := sprintf(
	"write \"Action\": [%s] instead of NotAction (%s)",
	[_quoted_list(actions.parameter_read_only), _read_only],
) if {
	_any_not_action
} else := sprintf("%s to match %s", [_change_text, _nearest.name])

_quoted_list(set) := concat(", ", [sprintf("%q", [ssmpolicy.action.name(a)]) | some a in sort(set)])

# _distance(set) is how many actions differ between what the policy grants and set.
_distance(set) := count(set - _granted) + count(_granted - set)

# _nearest is the managed permission the policy is closest to. The two sets differ by
# ssm:GetParameterHistory only, so the distances never tie.
_nearest := {"name": _read_only, "set": actions.parameter_read_only} if {
	_distance(actions.parameter_read_only) < _distance(actions.parameter_with_history)
} else := {"name": _with_history, "set": actions.parameter_with_history}

# _extra is what the policy grants beyond the nearest set, computed once.
_extra := _granted - _nearest.set

_remove := sort({a.value | some a in actions.values; a.allow; a.lower in _extra})

_add := [ssmpolicy.action.name(a) | some a in sort(_nearest.set - _granted)]

_change_text := sprintf("remove %s and add %s", [concat(", ", _remove), concat(", ", _add)]) if {
	count(_remove) > 0
	count(_add) > 0
} else := sprintf("remove %s", [concat(", ", _remove)]) if {
	count(_remove) > 0
} else := sprintf("add %s", [concat(", ", _add)])
