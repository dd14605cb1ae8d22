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

report contains findings.on_key(findings.at_help(array.concat(b.path, [key]), p.message, p.help)) if {
	some st in statements.list
	some b in conditions.blocks(st)
	some key, _ in b.block
	k := lower(key)
	startswith(k, "aws:")
	not text.unknown(key)
	not conditions.key_known(k)
	p := _problem(key, k)
}

_problem(key, k) := {"message": sprintf("%q names no tag", [key]), "help": sprintf("write %sTAGNAME", [p])} if {
	# a tag key prefix without the tag's name
	some lp, p in conditions.tag_prefixes
	k in {lp, trim_suffix(lp, "/")}
} else := {"message": _not_global(key), "help": sprintf("did you mean %q?", [suggestion])} if {
	# a misspelled tag key prefix: compare what comes before the slash
	contains(key, "/")
	before := concat("", [split(key, "/")[0], "/"])
	p := conditions.closest(before, conditions.tag_prefixes)
	suggestion := concat("", [p, substring(key, count(before), -1)])
} else := {"message": _not_global(key), "help": sprintf("did you mean %q?", [suggestion])} if {
	suggestion := conditions.closest(key, conditions.global_keys)
} else := {
	"message": sprintf("%q is not an AWS global condition key, so it is never in the request", [key]),
	"help": "use a documented aws: key, or the service's own key (ssm:...)",
}

_not_global(key) := sprintf("%q is not an AWS global condition key", [key])
