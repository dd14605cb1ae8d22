# METADATA
# title: Principal is malformed
# description: >-
#   An AWS principal must be a 12-digit account id or a well-formed IAM or STS ARN (root, user,
#   role, assumed-role session, federated user), without partial wildcards; a service principal
#   is NAME.amazonaws.com. Accounts named in aws:PrincipalAccount to pin a wildcard principal are
#   checked the same way. IAM rejects a policy with a malformed principal.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
# custom:
#   id: principal-format
#   level: error
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "Principals" and "Pinning a wildcard principal"
package ssmpolicy.rules["principal-format"]

import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.statements

report contains findings.at(e.path, e.problem) if {
	some e in principals.entries
	e.problem != ""
}

report contains findings.at(a.path, msg) if {
	some st in statements.list
	some a in principals.pinned_accounts(st)
	msg := principals.condition_account_problem(a.value)
	msg != ""
}
