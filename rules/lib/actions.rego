# METADATA
# description: |
#   The Action values of the policy, the actions each resource kind can share, and how a
#   written action (letter case, wildcards, unknown parts) relates to them. Actions are
#   case-insensitive in IAM: they are compared lower-cased.
package ssmpolicy.actions

import data.ssmpolicy.patterns
import data.ssmpolicy.statements
import data.ssmpolicy.target
import data.ssmpolicy.text

# values lists the Action values of every statement, each {"value", "lower", "path", "allow"}:
# one pass over the statements, shared by the action rules.
values := input.derived.action_values

values := [{"value": a.value, "lower": lower(a.value), "path": a.path, "allow": allow} |
	some st in statements.list
	allow := object.get(st.value, "Effect", null) == "Allow"
	some a in statements.element(st, "Action")
] if {
	not input.derived
}

# Parameter actions consumers can be given: the two RAM managed permission sets
# (docs/aws-facts.md, "What a parameter share grants"). AWS publishes no other list: that a
# parameter can share these four and no other action is an inference.
parameter_read_only := {"ssm:describeparameters", "ssm:getparameter", "ssm:getparameters"}

parameter_with_history := parameter_read_only | {"ssm:getparameterhistory"}

# OpsItemGroup actions: AWS's CloudFormation example plus the read-only OpsItem actions
# (docs/aws-facts.md, "Sharing an OpsItemGroup"). No allow-list is published: an inference.
opsitemgroup := {
	"ssm:createopsitem", "ssm:addtagstoresource", "ssm:getopsitem", "ssm:updateopsitem",
	"ssm:describeopsitems", "ssm:listopsitemevents", "ssm:listopsitemrelateditems",
	"ssm:getopssummary",
}

# allowed is the action set the target's kind can share (for a parameter, the larger of its
# two managed sets); both kinds' sets when the kind is not known.
allowed := parameter_with_history if target.kind == "parameter"

allowed := opsitemgroup if target.kind == "opsitemgroup"

allowed := parameter_with_history | opsitemgroup if not target.kind

# _names spells the shareable actions the way AWS documents them, for messages.
_names := {
	"ssm:describeparameters": "ssm:DescribeParameters",
	"ssm:getparameter": "ssm:GetParameter",
	"ssm:getparameters": "ssm:GetParameters",
	"ssm:getparameterhistory": "ssm:GetParameterHistory",
	"ssm:createopsitem": "ssm:CreateOpsItem",
	"ssm:addtagstoresource": "ssm:AddTagsToResource",
	"ssm:getopsitem": "ssm:GetOpsItem",
	"ssm:updateopsitem": "ssm:UpdateOpsItem",
	"ssm:describeopsitems": "ssm:DescribeOpsItems",
	"ssm:listopsitemevents": "ssm:ListOpsItemEvents",
	"ssm:listopsitemrelateditems": "ssm:ListOpsItemRelatedItems",
	"ssm:getopssummary": "ssm:GetOpsSummary",
}

# name(a) is the documented spelling of the lower-cased action a, or a itself.
name(a) := _names[a]

name(a) := a if not _names[a]

# list(s) writes a set of lower-cased actions as a sorted, comma-separated list.
list(s) := concat(", ", sort([name(a) | some a in s]))

# allowed_text names the action set of the target's kind, for messages.
allowed_text := sprintf("a parameter can share only %s", [list(parameter_with_history)]) if {
	target.kind == "parameter"
}

allowed_text := sprintf("an OpsItemGroup can share only %s", [list(opsitemgroup)]) if {
	target.kind == "opsitemgroup"
}

allowed_text := sprintf("a parameter can share only %s, an OpsItemGroup only %s", [
	list(parameter_with_history),
	list(opsitemgroup),
]) if {
	not target.kind
}

# matched(a) is the set of shareable actions (for the target's kind) an Action value can
# stand for: itself, what its wildcard matches, or what its unknown part could be. Action
# values are case-insensitive, * and ? are IAM's wildcards, an unknown part matches anything.
matched(a) := {x | some x in allowed; glob.match(patterns.iam_glob(lower(a)), null, x)} if {
	text.special(a)
}

matched(a) := {x | some x in allowed; x == lower(a)} if not text.special(a)
