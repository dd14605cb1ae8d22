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
#   needs: [NotResource]
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules["not-resource"]

import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.target
import data.ssmpolicy.text

report contains findings.on_key(findings.at_help(array.concat(st.path, ["NotResource"]), _message, _help)) if {
	some st in statements.list
	statements.allow(st)
	"NotResource" in object.keys(st.value)
}

_message := "NotResource with Allow grants the actions on every resource it does not list"

_help := sprintf("name the resource in Resource instead: %s", [_target_hint])

_target_hint := input.resource.arn if {
	target.kind == "parameter"
	not text.unknown(input.resource.arn)
	target.well_formed
}

_target_hint := sprintf(
	"%s and the OpsItems of its account, arn:%s:ssm:%s:%s:opsitem/*",
	[input.resource.arn, input.resource.partition, input.resource.region, input.resource.account],
) if {
	target.kind == "opsitemgroup"
	not text.unknown(input.resource.arn)
	target.well_formed
}

_target_hint := "the parameter's own ARN, or for an OpsItemGroup the group and its opsitem/* ARN" if {
	not target.kind
}

_target_hint := "the target's own ARN" if {
	target.kind
	not _named
}

_named if {
	not text.unknown(input.resource.arn)
	target.well_formed
}
