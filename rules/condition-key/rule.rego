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
#   source: SSM-FACTS.md, "IAM grammar"
package ssmpolicy.rules.condition_key

import data.ssmpolicy.lib

report contains lib.finding(array.concat(b.path, [key]), msg) if {
	some st in lib.statements
	some b in lib.cond_blocks(st)
	some key, _ in b.block
	k := lower(key)
	startswith(k, "aws:")
	not lib.unknown(key)
	not lib.cond_key_known(k)
	msg := problem(key, k)
}

problem(key, k) := msg if {
	# a tag key prefix without the tag's name
	some lp, p in lib.cond_tag_prefixes
	k in {lp, trim_suffix(lp, "/")}
	msg := sprintf("%q names no tag: write %sTAGNAME", [key, p])
} else := msg if {
	# a misspelled tag key prefix: compare what comes before the slash
	contains(key, "/")
	before := concat("", [split(key, "/")[0], "/"])
	p := lib.cond_closest(before, lib.cond_tag_prefixes)
	suggestion := concat("", [p, substring(key, count(before), -1)])
	msg := sprintf("%q is not an AWS global condition key: did you mean %q?", [key, suggestion])
} else := msg if {
	suggestion := lib.cond_closest(key, lib.cond_global_keys)
	msg := sprintf("%q is not an AWS global condition key: did you mean %q?", [key, suggestion])
} else := sprintf("%q is not an AWS global condition key, so it is never in the request: use a documented aws: key or the service's own key (ssm:...)", [key])
