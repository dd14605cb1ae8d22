# METADATA
# title: Version missing or not 2012-10-17
# description: >-
#   A policy without Version, or with the old 2008-10-17, is read with the old grammar, in
#   which policy variables such as ${aws:username} are literal text.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
# custom:
#   id: version
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "The policy grammar"
#   fixable: true
package ssmpolicy.rules.version

import data.ssmpolicy.findings
import data.ssmpolicy.text

report contains findings.at_help([], "the policy has no Version", "add \"Version\": \"2012-10-17\"") if {
	is_object(input.policy)
	not "Version" in object.keys(input.policy)
}

report contains findings.at_help(
	["Version"],
	sprintf("Version is %q", [v]),
	"use \"2012-10-17\", the current policy language",
) if {
	v := input.policy.Version
	is_string(v)
	v != "2012-10-17"
	not text.unknown(v)
}
