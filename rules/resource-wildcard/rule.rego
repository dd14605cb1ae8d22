# METADATA
# title: Wildcard Resource in a parameter policy
# description: >-
#   An Allow statement of a parameter policy whose Resource has * or ?. A parameter policy is
#   about one parameter: name its full ARN, so that the policy cannot reach other parameters,
#   today's or tomorrow's.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
# custom:
#   id: resource-wildcard
#   level: security-warning
#   kinds: [parameter]
#   source: docs/aws-facts.md, "Sharing a parameter"
package ssmpolicy.rules["resource-wildcard"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.resources
import data.ssmpolicy.target
import data.ssmpolicy.text

report contains findings.at_help(r.path, msg, sprintf("name %s", [_fix])) if {
	some r in resources.values
	r.allow
	r.name == "Resource"
	text.wildcard(r.value)
	_parameter_policy(r.value)
	msg := sprintf(
		"the Resource %q is a wildcard: it reaches every parameter it matches, now and later",
		[text.shown(r.value)],
	)
}

# _parameter_policy(v) holds when the target is a parameter, or when no ARN is known and the
# Resource itself is "*" or a parameter ARN. A target ARN that names no parameter is
# resource-kind's to report, and this rule says nothing of it.
_parameter_policy(_) if target.kind == "parameter"

_parameter_policy(v) if {
	not input.resource.arn
	v == "*"
}

_parameter_policy(v) if {
	not input.resource.arn
	startswith(ssmpolicy.arn.parse(v).resource, "parameter")
}

# _fix names the target's ARN when it names one parameter: a wildcard in it, or another
# problem resource-format reports, makes it no full ARN to suggest.
default _fix := "the parameter's full ARN, arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME"

_fix := sprintf("the parameter's full ARN, %s", [text.shown(input.resource.arn)]) if {
	target.kind == "parameter"
	target.well_formed
}
