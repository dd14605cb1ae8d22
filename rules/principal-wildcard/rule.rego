# METADATA
# title: Principal is a wildcard
# description: >-
#   An Allow statement whose principal is "*" (or {"AWS": "*"}) grants every AWS account, unless
#   a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalOrgPaths pins the
#   principal down with exact values: StringEquals, or StringLike without * or ?; never an
#   IfExists operator or ForAllValues:, which are true when the key is absent.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
# custom:
#   id: principal-wildcard
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "Pinning a wildcard principal"
package ssmpolicy.rules["principal-wildcard"]

import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.statements
import data.ssmpolicy.target

report contains findings.at_help(p.path, msg, _help) if {
	_any_wildcard
	some st in statements.list
	statements.allow(st)
	some p in principals.of(st, "Principal")
	p.type in {"*", "AWS"}
	p.value == "*"
	not principals.pinned(st)
	msg := concat("", ["the principal \"*\" grants every AWS account", _unpinned(st)])
}

# _any_wildcard holds when some principal of the policy is "*": the statements are gone through
# only then (the common policy names accounts).
_any_wildcard if principals.by_value["*"]

# _unpinned(st) says why a condition on a pinning key does not pin, when there is one.
_unpinned(st) := sprintf(": the condition on %s does not pin it, since %s", [p.key, p.why]) if {
	some p in principals.pins(st)
	not p.pins
} else := ""

_help := concat("", [_name_them, _promotion]) if {
	not target.kind == "opsitemgroup"
} else := _name_them

_name_them := concat("", [
	"name the accounts in Principal, or pin \"*\" with StringEquals on aws:PrincipalOrgID or ",
	"aws:PrincipalAccount and exact values",
])

# A customer managed permission cannot carry those keys: a parameter share that needs two-step
# promotion (action-not-promotable) cannot be promoted with such a pin.
_promotion := concat("", [
	"; such a condition keeps a parameter share from being promoted unless its actions are exactly one of ",
	"RAM's managed permissions (see action-not-promotable)",
])
