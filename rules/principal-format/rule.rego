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

report contains findings.at_help(e.path, e.problem, e.help) if {
	some problem, group in principals.by_problem
	problem != ""
	some e in group
}

# An account named by aws:PrincipalAccount, pinning a wildcard principal or not, is an account
# id. A pattern is not reported here: principal-wildcard says that it does not pin.
report contains findings.at_help(a.path, msg, "write the 12-digit account id") if {
	some st in statements.list
	some a in principals.account_conditions(st)
	msg := principals.condition_account_problem(a.value)
	msg != ""
}
