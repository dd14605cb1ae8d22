# METADATA
# title: Policy grants the resource's own account
# description: >-
#   A principal in the account that owns the resource needs no resource policy: IAM policies in
#   that account already decide its access. Listing it adds nothing to the share and hides the
#   accounts that really receive it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
# custom:
#   id: principal-self
#   level: suggestion
#   kinds: [parameter, opsitemgroup]
#   requires: [arn]
#   source: SSM-FACTS.md, "Parameters"
package ssmpolicy.rules.principal_self

import data.ssmpolicy.lib

owner := input.resource.account if {
	lib.account_id(input.resource.account)
}

report contains lib.finding(e.path, msg) if {
	some e in lib.principal_entries
	e.allow
	e.element == "Principal"
	e.type == "AWS"
	e.account == owner
	msg := sprintf("%s, which owns this resource: it needs no resource policy (IAM policies in the account grant access), so remove it", [who(e.value)])
}

who(v) := sprintf("the principal is account %s", [owner]) if v == owner

who(v) := sprintf("%s is in account %s", [lib.principal_shown(v), owner]) if v != owner

report contains lib.finding(a.path, msg) if {
	some st in lib.statements
	some a in lib.principal_pinned_accounts(st)
	lib.principal_account(a.value) == owner
	msg := sprintf("aws:PrincipalAccount names account %s, which owns this resource: it needs no resource policy (IAM policies in the account grant access), so remove it", [owner])
}
