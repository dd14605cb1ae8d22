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
#   source: SSM-FACTS.md, "Parameters"
#   fixable: true
package ssmpolicy.rules.action_not_promotable

import data.ssmpolicy.lib

# written lists every Action value of the Allow statements.
written := [a | some a in lib.action_values; a.allow]

granted := {a.lower | some a in lib.action_values; a.allow}

read_only := "AWSRAMDefaultPermissionSSMParameterReadOnly"

with_history := "AWSRAMPermissionSSMParameterReadOnlyWithHistory"

# distance(set) is how many actions differ between what the policy grants and set.
distance(set) := count(set - granted) + count(granted - set)

# nearest is the managed permission the policy is closest to. The two sets differ by
# ssm:GetParameterHistory only, so the distances never tie.
nearest := {"name": read_only, "set": lib.parameter_read_only} if {
	distance(lib.parameter_read_only) < distance(lib.parameter_with_history)
}

nearest := {"name": with_history, "set": lib.parameter_with_history} if {
	distance(lib.parameter_with_history) < distance(lib.parameter_read_only)
}

# The finding is about the union of the Allow statements: it points at the Action of the
# first Allow statement.
report contains lib.finding(array.concat(first.path, ["Action"]), msg) if {
	lib.kind == "parameter"
	not granted in {lib.parameter_read_only, lib.parameter_with_history}
	not any_not_action
	not any_unknown
	first := [st | some st in lib.statements; lib.allow(st); "Action" in object.keys(st.value)][0]
	distance(nearest.set) > 0
	msg := sprintf("the Allow statements' actions are not one of RAM's managed permissions for parameters, so promoting the share this policy creates will fail: %s to match %s (%s)", [
		change_text, nearest.name, lib.action_list(nearest.set),
	])
}

# An Allow statement with NotAction has no action list a managed permission could match.
report contains lib.finding(array.concat(st.path, ["NotAction"]), msg) if {
	lib.kind == "parameter"
	some st in lib.statements
	lib.allow(st)
	"NotAction" in object.keys(st.value)
	msg := sprintf("NotAction cannot be promoted: RAM's managed permissions for parameters are action lists; use \"Action\": [%s] (%s)", [
		concat(", ", [sprintf("%q", [lib.action_name(a)]) | some a in sort(lib.parameter_read_only)]), read_only,
	])
}

any_not_action if {
	some st in lib.statements
	lib.allow(st)
	"NotAction" in object.keys(st.value)
}

any_unknown if {
	some a in written
	lib.unknown(a.value)
}

remove := sort({a.value | some a in written; lower(a.value) in (granted - nearest.set)})

add := [lib.action_name(a) | some a in sort(nearest.set - granted)]

change_text := sprintf("remove %s and add %s", [concat(", ", remove), concat(", ", add)]) if {
	count(remove) > 0
	count(add) > 0
}

change_text := sprintf("remove %s", [concat(", ", remove)]) if {
	count(remove) > 0
	count(add) == 0
}

change_text := sprintf("add %s", [concat(", ", add)]) if {
	count(remove) == 0
	count(add) > 0
}
