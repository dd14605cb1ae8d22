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
#   source: SSM-FACTS.md, "Parameters"
package ssmpolicy.rules.parameter_tier

import data.ssmpolicy.lib

report contains {
	"at": "tier",
	"path": [],
	"message": sprintf("the parameter is in the %s tier: only Advanced parameters can be shared", [tier]),
	"help": "raise it with put-parameter --tier Advanced; it cannot go back",
} if {
	lib.kind == "parameter"
	tier := input.parameter.tier
	not lib.unknown(tier)
	tier != "Advanced"
}
