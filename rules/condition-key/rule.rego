# METADATA
# title: Unknown aws global condition key
# description: >-
#   A condition key with the aws: prefix that is not one of the documented AWS global condition
#   context keys is never present in the request, so the condition never matches as intended
#   (or always matches, with a Not operator or IfExists). Keys are compared case-insensitively;
#   tag keys (aws:PrincipalTag/, aws:RequestTag/, aws:ResourceTag/) by their prefix.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
# custom:
#   id: condition-key
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   needs: [Condition]
#   source: docs/aws-facts.md, "Conditions"
package ssmpolicy.rules["condition-key"]

import data.ssmpolicy.conditions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

report contains findings.at(array.concat(b.path, [key]), msg) if {
	some st in statements.list
	some b in conditions.blocks(st)
	some key, _ in b.block
	k := lower(key)
	startswith(k, "aws:")
	not text.unknown(key)
	not conditions.key_known(k)
	msg := _problem(key, k)
}

_problem(key, k) := msg if {
	# a tag key prefix without the tag's name
	some lp, p in conditions.tag_prefixes
	k in {lp, trim_suffix(lp, "/")}
	msg := sprintf("%q names no tag: write %sTAGNAME", [key, p])
} else := msg if {
	# a misspelled tag key prefix: compare what comes before the slash
	contains(key, "/")
	before := concat("", [split(key, "/")[0], "/"])
	p := conditions.closest(before, conditions.tag_prefixes)
	suggestion := concat("", [p, substring(key, count(before), -1)])
	msg := sprintf("%q is not an AWS global condition key: did you mean %q?", [key, suggestion])
} else := msg if {
	suggestion := conditions.closest(key, conditions.global_keys)
	msg := sprintf("%q is not an AWS global condition key: did you mean %q?", [key, suggestion])
} else := sprintf(
	concat("", [
		"%q is not an AWS global condition key, so it is never in the request: use a documented aws: key ",
		"or the service's own key (ssm:...)",
	]),
	[key],
)
