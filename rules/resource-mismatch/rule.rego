# METADATA
# title: Resource does not name the target
# description: >-
#   A statement's Resource names something other than the resource the policy is attached to:
#   for a parameter, anything but the parameter's own ARN; for an OpsItemGroup, anything but
#   the group and the OpsItems (opsitem/*) of its account and region.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-resourcepolicy.html
# custom:
#   id: resource-mismatch
#   level: error
#   kinds: [parameter, opsitemgroup]
#   requires: [arn]
#   source: docs/aws-facts.md, "Which resources take a policy" and "Sharing an OpsItemGroup"
package ssmpolicy.rules["resource-mismatch"]

import data.ssmpolicy.findings
import data.ssmpolicy.resources
import data.ssmpolicy.target
import data.ssmpolicy.text

# Every Resource value of every statement (Allow or Deny) is checked; a statement whose
# Resource lacks the target therefore has each of its values reported.
# A target ARN with a wildcard, or otherwise malformed, names no resource (resource-format
# reports it): nothing to compare against.
report contains findings.at_help(r.path, _message(r.value), _help) if {
	target.kind
	target.well_formed
	some r in resources.values
	r.name == "Resource"
	r.value != input.resource.arn
	not resources.allowed(r.value)
}

_message(v) := sprintf(
	concat("", [
		"the Resource %q is not the parameter this policy is for, %s, and a parameter's policy can name ",
		"only the parameter itself",
	]),
	[text.shown(v), text.shown(input.resource.arn)],
) if {
	target.kind == "parameter"
}

_message(v) := sprintf(
	concat("", [
		"the Resource %q is neither this OpsItemGroup, %s, nor an OpsItem of its account and region, and an ",
		"OpsItemGroup's policy can name only those",
	]),
	[text.shown(v), text.shown(input.resource.arn)],
) if {
	target.kind == "opsitemgroup"
}

_help := sprintf("write %s", [text.shown(input.resource.arn)]) if {
	target.kind == "parameter"
} else := sprintf("write %s or %s", [text.shown(input.resource.arn), text.shown(_opsitems)])

_opsitems := concat(
	":",
	["arn", input.resource.partition, "ssm", input.resource.region, input.resource.account, "opsitem/*"],
)
