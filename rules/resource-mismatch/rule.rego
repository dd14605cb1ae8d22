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
#   source: SSM-FACTS.md, "Which resources", "Parameters" and "OpsItemGroup"
package ssmpolicy.rules.resource_mismatch

import data.ssmpolicy.lib

# Every Resource value of every statement (Allow or Deny) is checked; a statement whose
# Resource lacks the target therefore has each of its values reported.
report contains lib.finding(r.path, message(r.value)) if {
	lib.kind
	some r in lib.resource_values
	r.name == "Resource"
	r.value != input.resource.arn
	not lib.resource_allowed(r.value)
}

message(v) := sprintf("the Resource %q is not the parameter this policy is for, %s: a parameter's policy can name only the parameter itself", [
	lib.shown(v), lib.shown(input.resource.arn),
]) if lib.kind == "parameter"

message(v) := sprintf("the Resource %q is neither this OpsItemGroup, %s, nor an OpsItem of its account and region, %s: an OpsItemGroup's policy can name only those", [
	lib.shown(v), lib.shown(input.resource.arn), lib.shown(opsitems),
]) if lib.kind == "opsitemgroup"

opsitems := concat(":", ["arn", input.resource.partition, "ssm", input.resource.region, input.resource.account, "opsitem/*"])
