# METADATA
# description: |
#   The Resource and NotResource values of the policy, and whether a value may name what the
#   target's policy can name.
package ssmpolicy.resources

import data.ssmpolicy.patterns
import data.ssmpolicy.target
import data.ssmpolicy.text

# values lists the Resource and NotResource values of every statement, each
# {"value", "path", "name", "allow"}, shared by the resource rules.
values := ssmpolicy.policy.resources(input.policy)

# value(v) is a Resource value with its policy variables (${aws:username}, ...) treated as
# unknown: they are resolved per request, so a linter cannot know them.
value(v) := regex.replace(v, `\$\{[^}]*\}`, text.unknown_marker) if contains(v, "${")

value(v) := v if not contains(v, "${")

# allowed(v) holds when the Resource value v may name what the target's policy can name: the
# parameter itself; for an OpsItemGroup, the group or the OpsItems of its account.
allowed(v) if patterns.may_match(value(v), input.resource.arn)

allowed(v) if {
	target.kind == "opsitemgroup"
	input.resource.partition
	patterns.may_match(value(v), _opsitem_arn)
}

# _opsitem_arn is the pattern of the OpsItems an OpsItemGroup policy may name: those of the
# target's partition, region and account.
_opsitem_arn := concat(":", [
	"arn", input.resource.partition, "ssm", input.resource.region, input.resource.account,
	concat("", ["opsitem/", text.unknown_marker]),
])
