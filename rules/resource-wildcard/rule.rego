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
#   source: SSM-FACTS.md, "Parameters"
package ssmpolicy.rules.resource_wildcard

import data.ssmpolicy.lib

report contains lib.finding(r.path, msg) if {
	some r in lib.resource_values
	r.allow
	r.name == "Resource"
	lib.wildcard(r.value)
	parameter_policy(r.value)
	msg := sprintf("the Resource %q is a wildcard: it reaches every parameter it matches, now and later; name %s", [lib.shown(r.value), fix])
}

# parameter_policy(v) holds when the target is a parameter, or when its kind is not known and
# the Resource itself is "*" or a parameter ARN.
parameter_policy(_) if lib.kind == "parameter"

parameter_policy(v) if {
	not lib.kind
	v == "*"
}

parameter_policy(v) if {
	not lib.kind
	startswith(lib.arn_parts(v).resource, "parameter")
}

fix := sprintf("the parameter's full ARN, %s", [lib.shown(input.resource.arn)]) if lib.kind == "parameter"

fix := "the parameter's full ARN, arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME" if not lib.kind == "parameter"
