# METADATA
# title: Parameter is not in the Advanced tier
# description: >-
#   Only Advanced-tier parameters can be shared: a Standard parameter is an error. A parameter
#   created with Intelligent-Tiering is Advanced only when AWS makes it so (a value over 4 KB,
#   parameter policies, the Standard quota reached), which a template without Policies does not
#   say: a warning. So is a CloudFormation Fn::If whose undecided condition can make it Standard.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
# custom:
#   id: parameter-tier
#   level: error
#   levels: [error, warning]
#   kinds: [parameter]
#   requires: [arn, tier]
#   source: docs/aws-facts.md, "Sharing a parameter"
package ssmpolicy.rules["parameter-tier"]

import data.ssmpolicy.findings
import data.ssmpolicy.target

_raise := concat("", [
	"raise it to Advanced (put-parameter --tier Advanced, or Tier: Advanced in the template); it ",
	"cannot go back",
])

report contains findings.fact_help(
	"tier",
	"the parameter is in the Standard tier, and only Advanced parameters can be shared",
	_raise,
) if {
	target.kind == "parameter"
	input.parameter.tier == "Standard"
}

# Intelligent-Tiering is a request option: AWS picks the tier. Parameter policies make it
# Advanced for certain.
report contains findings.at_level(findings.fact_help("tier", _chosen_by_aws, _check_tier), "warning") if {
	target.kind == "parameter"
	input.parameter.tier == "Intelligent-Tiering"
	not input.parameter.policies
}

# A tier that depends on a condition the template cannot decide: each branch that makes the
# parameter unshareable is named.
report contains findings.at_level(_on_branch(i, msg, help), "warning") if {
	target.kind == "parameter"
	some i, b in input.parameter.tier_branches
	b.value in {"Standard", "Intelligent-Tiering"}
	not _fine(b.value)
	msg := sprintf("when the condition %s is %s, the parameter %s", [b.condition, _bool[b.when], _branch_tier[b.value]])
	help := sprintf(
		"make this branch Advanced, or share the parameter only when %s is %s",
		[b.condition, _bool[b.when == false]],
	)
}

_chosen_by_aws := concat("", [
	"the parameter asks for Intelligent-Tiering, so AWS chooses its tier: Advanced, which sharing needs, only ",
	"when its value is over 4 KB, it has parameter policies, or the account's Standard quota is reached",
])

_check_tier := "write Tier Advanced to be sure, or check with --live which tier AWS gave it"

_fine("Intelligent-Tiering") if input.parameter.policies

_branch_tier := {
	"Standard": "is in the Standard tier, and only Advanced parameters can be shared",
	"Intelligent-Tiering": concat("", [
		"asks for Intelligent-Tiering, so AWS chooses its tier, and only Advanced parameters can be ",
		"shared",
	]),
}

# _on_branch(i, msg, help) is a finding on branch i of the tier's Fn::If.
_on_branch(i, msg, help) := object.union(findings.fact_help("tier_branch", msg, help), {"branch": i})

_bool := {true: "true", false: "false"}
