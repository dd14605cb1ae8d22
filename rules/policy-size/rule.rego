# METADATA
# title: Policy is larger than 1024 bytes
# description: >-
#   PutResourcePolicy refuses a policy greater than 1024 bytes. The size is counted on the policy
#   compacted to one line, as ssmpolicy apply sends it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutResourcePolicy.html
# custom:
#   id: policy-size
#   level: error
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "The policy document"
package ssmpolicy.rules["policy-size"]

import data.ssmpolicy.findings
import data.ssmpolicy.target
import data.ssmpolicy.text

_limit := 1024

report contains findings.fact_help("document", msg, _help) if {
	size := input.policy_size
	size > _limit
	not _unknown_parts
	msg := sprintf(
		"the policy is %d bytes compacted to one line, over the %d-byte limit of PutResourcePolicy",
		[size, _limit],
	)
}

# With parts known only at deploy time, the size is not known: report only when the known text
# alone is over the limit. Each character is at least one byte, and json.marshal's HTML escapes
# (\u003c, \u003e, \u0026) stand for one byte each.
report contains findings.fact_help("document", msg, _help) if {
	input.policy_size > _limit
	_unknown_parts
	doc := json.marshal(input.policy)
	escapes := (strings.count(doc, `\u003c`) + strings.count(doc, `\u003e`)) + strings.count(doc, `\u0026`)
	known := count(replace(doc, text.unknown_marker, "")) - (5 * escapes)
	known > _limit
	msg := sprintf(
		concat("", [
			"the policy is at least %d bytes compacted to one line without its deploy-time values, over the ",
			"%d-byte limit of PutResourcePolicy",
		]),
		[known, _limit],
	)
}

_shrink := concat("", [
	"merge statements that differ only in their principals, write accounts as 12-digit ids rather than ",
	"root ARNs, drop optional Sids, or grant an organization (\"*\" pinned by aws:PrincipalOrgID) instead ",
	"of many accounts",
])

# A customer managed permission cannot carry aws:PrincipalOrgID: a parameter share that needs
# two-step promotion cannot be promoted with it (action-not-promotable).
_help := concat("", [
	_shrink,
	"; for a parameter, that pin keeps the share from being promoted unless its actions are exactly one of ",
	"RAM's managed permissions",
]) if {
	not target.kind == "opsitemgroup"
} else := _shrink

_unknown_parts if contains(json.marshal(input.policy), text.unknown_marker)
