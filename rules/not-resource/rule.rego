# METADATA
# title: NotResource with Allow
# description: >-
#   An Allow statement with NotResource grants its actions on every resource except those it
#   lists. A resource policy is about one resource: name it in Resource.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
# custom:
#   id: not-resource
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   source: SSM-FACTS.md, "IAM grammar"
package ssmpolicy.rules.not_resource

import data.ssmpolicy.lib

report contains lib.finding(array.concat(st.path, ["NotResource"]), msg) if {
	some st in lib.statements
	lib.allow(st)
	"NotResource" in object.keys(st.value)
	msg := sprintf("NotResource with Allow grants the actions on every resource it does not list: name the resource in Resource instead: %s", [target_hint])
}

target_hint := input.resource.arn if {
	lib.kind == "parameter"
	not lib.unknown(input.resource.arn)
}

target_hint := sprintf("%s and the OpsItems of its account, arn:%s:ssm:%s:%s:opsitem/*", [
	input.resource.arn, input.resource.partition, input.resource.region, input.resource.account,
]) if {
	lib.kind == "opsitemgroup"
	not lib.unknown(input.resource.arn)
}

target_hint := "the parameter's own ARN, or for an OpsItemGroup the group and its opsitem/* ARN" if {
	not lib.kind
}

target_hint := "the target's own ARN" if {
	lib.kind
	lib.unknown(input.resource.arn)
}
