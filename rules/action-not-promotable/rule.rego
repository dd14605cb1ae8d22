# METADATA
# title: Parameter actions are not a RAM managed permission
# description: >-
#   The actions a parameter policy allows are not exactly one of the two RAM managed
#   permission sets (AWSRAMDefaultPermissionSSMParameterReadOnly, or
#   AWSRAMPermissionSSMParameterReadOnlyWithHistory), so promoting the RAM share that
#   PutResourcePolicy creates fails, and consumers never see the parameter with
#   DescribeParameters --shared.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/ram/latest/APIReference/API_PromotePermissionCreatedFromPolicy.html
#   - ref: https://docs.aws.amazon.com/ram/latest/APIReference/API_PromoteResourceShareCreatedFromPolicy.html
# custom:
#   id: action-not-promotable
#   level: warning
#   kinds: [parameter]
#   requires: [arn]
#   source: docs/aws-facts.md, "Promoting a parameter share" and "What a parameter share grants"
#   fixable: true
package ssmpolicy.rules["action-not-promotable"]

import data.ssmpolicy.actions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.target
import data.ssmpolicy.text

# _written lists every Action value of the Allow statements.
_written := [a | some a in actions.values; a.allow]

_granted contains a.lower if {
	some a in actions.values
	a.allow
}

_read_only := "AWSRAMDefaultPermissionSSMParameterReadOnly"

_with_history := "AWSRAMPermissionSSMParameterReadOnlyWithHistory"

# _distance(set) is how many actions differ between what the policy grants and set.
_distance(set) := count(set - _granted) + count(_granted - set)

# _nearest is the managed permission the policy is closest to. The two sets differ by
# ssm:GetParameterHistory only, so the distances never tie.
_nearest := {"name": _read_only, "set": actions.parameter_read_only} if {
	_distance(actions.parameter_read_only) < _distance(actions.parameter_with_history)
}

_nearest := {"name": _with_history, "set": actions.parameter_with_history} if {
	_distance(actions.parameter_with_history) < _distance(actions.parameter_read_only)
}

# The finding is about the union of the Allow statements: it points at the Action of the
# first Allow statement.
report contains findings.at(array.concat(first.path, ["Action"]), msg) if {
	target.kind == "parameter"
	not _granted in {actions.parameter_read_only, actions.parameter_with_history}
	not _any_not_action
	not _any_unknown
	_distance(_nearest.set) > 0
	first := [st | some st in statements.list; statements.allow(st); "Action" in object.keys(st.value)][0]
	msg := sprintf(
		concat("", [
			"the Allow statements' actions are not one of RAM's managed permissions for parameters, so ",
			"promoting the share this policy creates will fail: %s to match %s (%s)",
		]),
		[_change_text, _nearest.name, actions.list(_nearest.set)],
	)
}

# An Allow statement with NotAction has no action list a managed permission could match.
report contains findings.at(array.concat(st.path, ["NotAction"]), msg) if {
	target.kind == "parameter"
	some st in statements.list
	statements.allow(st)
	"NotAction" in object.keys(st.value)
	msg := sprintf(
		concat("", [
			"NotAction cannot be promoted: RAM's managed permissions for parameters are action lists; use ",
			"\"Action\": [%s] (%s)",
		]),
		[concat(", ", [sprintf("%q", [ssmpolicy.action.name(a)]) | some a in sort(actions.parameter_read_only)]), _read_only],
	)
}

_any_not_action if {
	some st in statements.list
	statements.allow(st)
	"NotAction" in object.keys(st.value)
}

_any_unknown if {
	some a in _written
	text.unknown(a.value)
}

_remove := sort({a.value | some a in _written; lower(a.value) in (_granted - _nearest.set)})

_add := [ssmpolicy.action.name(a) | some a in sort(_nearest.set - _granted)]

_change_text := sprintf("remove %s and add %s", [concat(", ", _remove), concat(", ", _add)]) if {
	count(_remove) > 0
	count(_add) > 0
}

_change_text := sprintf("remove %s", [concat(", ", _remove)]) if {
	count(_remove) > 0
	count(_add) == 0
}

_change_text := sprintf("add %s", [concat(", ", _add)]) if {
	count(_remove) == 0
	count(_add) > 0
}
