# METADATA
# title: Principal is a wildcard
# description: >-
#   An Allow statement whose principal is "*" (or {"AWS": "*"}) grants every AWS account,
#   unless a StringEquals condition on aws:PrincipalOrgID, aws:PrincipalAccount or
#   aws:PrincipalOrgPaths pins the principal down.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
# custom:
#   id: principal-wildcard
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "Pinning a wildcard principal"
package ssmpolicy.rules["principal-wildcard"]

import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.statements

report contains findings.at(p.path, msg) if {
	some st in statements.list
	statements.allow(st)
	some p in principals.of(st, "Principal")
	p.type in {"*", "AWS"}
	p.value == "*"
	not principals.pinned(st)
	msg := concat("", [
		"the principal \"*\" grants every AWS account: name the accounts, or pin it with a StringEquals ",
		"condition on aws:PrincipalOrgID or aws:PrincipalAccount",
	])
}
