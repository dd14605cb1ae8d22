# METADATA
# description: The resource the policy is for, as far as its ARN is known.
package ssmpolicy.target

import data.ssmpolicy.arns

# kind is the resource kind of the target, when its ARN is known: parameter or opsitemgroup.
kind := input.resource.type if input.resource.type in {"parameter", "opsitemgroup"}

# well_formed holds when the target's ARN names one resource and resource-format has nothing
# to say of its fields: no wildcard, no parameter//. A rule that compares values with the
# target's ARN, or names it in a fix, checks it first, so as not to suggest a malformed ARN.
well_formed if arns.ssm_well_formed(input.resource.arn)

# (The common case above is one regular expression; the fields are checked one by one only
# for an ARN it does not match.)
well_formed if {
	arn := input.resource.arn
	not contains(arn, "*")
	not contains(arn, "?")
	count(arns.ssm_problems(arn)) == 0
}
