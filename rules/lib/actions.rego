# METADATA
# description: |
#   The Action values of the policy, the actions each resource kind can share, and how a
#   written action (letter case, wildcards, unknown parts) relates to them. Actions are
#   case-insensitive in IAM: they are compared lower-cased. The facts are the built-ins
#   ssmpolicy.action.* (docs/aws-facts.md, "What a parameter share grants" and "Sharing an
#   OpsItemGroup": both lists of shareable actions are inferences).
package ssmpolicy.actions

import data.ssmpolicy.target

# values lists the Action values of every statement, each {"value", "lower", "path", "allow"}:
# one pass over the statements, shared by the action rules.
values := ssmpolicy.policy.actions(input.policy)

# by_lower and by_allow index the values by their lower-cased form and by whether their
# statement allows (ssmpolicy.list.group), so that a rule looks up the actions it is about.
by_lower := ssmpolicy.list.group(values, "lower")

by_allow := ssmpolicy.list.group(values, "allow")

# _kind is the target's kind, or "" when it is not known.
default _kind := ""

_kind := target.kind

# The two RAM managed permissions for parameters, each the set of its actions.
_managed := ssmpolicy.action.managed_permissions("parameter")

parameter_read_only := _managed.AWSRAMDefaultPermissionSSMParameterReadOnly

parameter_with_history := _managed.AWSRAMPermissionSSMParameterReadOnlyWithHistory

opsitemgroup := ssmpolicy.action.shareable("opsitemgroup")

# allowed is the action set the target's kind can share; both kinds' sets when the kind is
# not known.
allowed := ssmpolicy.action.shareable(_kind)

# list(s) writes a set of lower-cased actions as a sorted, comma-separated list.
list(s) := concat(", ", sort([ssmpolicy.action.name(a) | some a in s]))

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
# stand for: itself, what its wildcard matches, or what its unknown part could be.
matched(a) := ssmpolicy.action.matches(a, _kind)
