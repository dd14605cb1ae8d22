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
#   source: SSM-FACTS.md, "IAM grammar"
package ssmpolicy.rules.principal_format

import data.ssmpolicy.lib

report contains lib.finding(e.path, e.problem) if {
	some e in lib.principal_entries
	e.problem != ""
}

report contains lib.finding(a.path, msg) if {
	some st in lib.statements
	some a in lib.pinned_accounts(st)
	msg := lib.principal_condition_account_problem(a.value)
	msg != ""
}
