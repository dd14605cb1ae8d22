# METADATA
# title: Version missing, old or invalid
# description: >-
#   The policy language knows two versions, 2012-10-17 and 2008-10-17. Any other Version is a
#   document AWS does not accept as written (an error). A policy without Version, or with the old
#   2008-10-17, is read with the old grammar, in which policy variables such as
#   ${aws:username} are literal text (a warning).
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
# custom:
#   id: version
#   level: error
#   levels: [error, warning]
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "The policy grammar"
#   fixable: true
package ssmpolicy.rules.version

import data.ssmpolicy.findings
import data.ssmpolicy.text

_current := "2012-10-17"

_old := "2008-10-17"

report contains findings.at_level(
	findings.at_help([], "the policy has no Version, so it is read with the 2008-10-17 grammar", _add),
	"warning",
) if {
	is_object(input.policy)
	not "Version" in object.keys(input.policy)
}

report contains findings.at_level(
	findings.at_help(
		["Version"],
		"Version is the old 2008-10-17, under which policy variables such as ${aws:username} are literal text",
		sprintf("write %q, the current policy language", [_current]),
	),
	"warning",
) if {
	input.policy.Version == _old
}

report contains findings.at_help(
	["Version"],
	sprintf(
		"Version %s is not a version of the policy language, which knows only %s and %s",
		[text.quoted(v), _current, _old],
	),
	sprintf("write %q", [_current]),
) if {
	v := input.policy.Version
	is_string(v)
	not v in {_current, _old}
	not text.unknown(v)
}

_add := sprintf("add \"Version\": %q at the top of the policy", [_current])
