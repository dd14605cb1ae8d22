# METADATA
# title: Parameter is not in the Advanced tier
# description: >-
#   Only Advanced-tier parameters can be shared. A Standard or Intelligent-Tiering parameter
#   must be moved to Advanced before PutResourcePolicy accepts a policy for it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
# custom:
#   id: parameter-tier
#   level: error
#   kinds: [parameter]
#   requires: [arn, tier]
#   source: docs/aws-facts.md, "Sharing a parameter"
package ssmpolicy.rules["parameter-tier"]

import data.ssmpolicy.findings
import data.ssmpolicy.target
import data.ssmpolicy.text

report contains findings.fact_help(
	"tier",
	sprintf("the parameter is in the %s tier: only Advanced parameters can be shared", [tier]),
	"raise it with put-parameter --tier Advanced; it cannot go back",
) if {
	target.kind == "parameter"
	tier := input.parameter.tier
	not text.unknown(tier)
	tier != "Advanced"
}
