# METADATA
# title: Target is neither a parameter nor opsitemgroup/default
# description: >-
#   PutResourcePolicy takes the ARN of a parameter or of the OpsItemGroup
#   opsitemgroup/default. Any other ARN (another SSM resource, another OpsItemGroup, another
#   service) is rejected.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutResourcePolicy.html
# custom:
#   id: resource-kind
#   level: error
#   kinds: [parameter, opsitemgroup]
#   requires: [arn]
#   source: docs/aws-facts.md, "Which resources take a policy"
package ssmpolicy.rules["resource-kind"]

import data.ssmpolicy.findings
import data.ssmpolicy.text

_supported := concat("", [
	"give PutResourcePolicy a parameter (arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME) or the ",
	"OpsItemGroup arn:PARTITION:ssm:REGION:ACCOUNT:opsitemgroup/default",
])

report contains findings.fact_help("arn", msg, _supported) if {
	service := input.resource.service
	not text.special(service)
	service != "ssm"
	msg := sprintf("the resource ARN %q is not an SSM ARN (its service is %q)", [text.shown(input.resource.arn), service])
}

report contains findings.fact_help("arn", msg, _supported) if {
	not _other_service
	type := input.resource.type
	not text.special(type)
	not type in {"parameter", "opsitemgroup"}
	msg := sprintf(
		"the resource ARN %q names a %q, not a parameter or an OpsItemGroup",
		[text.shown(input.resource.arn), type],
	)
}

report contains findings.fact_help("arn", msg, "write opsitemgroup/default") if {
	not _other_service
	input.resource.type == "opsitemgroup"
	id := input.resource.id
	not text.special(id)
	not id in {"default", ""}
	msg := sprintf(
		"the resource ARN %q names opsitemgroup/%s, and the only OpsItemGroup that takes a policy is opsitemgroup/default",
		[text.shown(input.resource.arn), id],
	)
}

_other_service if {
	service := input.resource.service
	not text.special(service)
	service != "ssm"
}
