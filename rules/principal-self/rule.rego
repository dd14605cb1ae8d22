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
#   source: docs/aws-facts.md, "Principals"
package ssmpolicy.rules["principal-self"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.statements
import data.ssmpolicy.text

_owner := input.resource.account if {
	arns.account_id(input.resource.account)
}

_help := "remove it: IAM policies in the account that owns the resource grant access there"

report contains findings.at_help(e.path, msg, _help) if {
	some e in principals.by_account[_owner]
	e.allow
	e.element == "Principal"
	e.type == "AWS"
	msg := sprintf("%s, which owns this resource and needs no resource policy to reach it", [_who(e.value)])
}

# (Only a wildcard principal is pinned to accounts by a condition.)
report contains findings.at_help(a.path, msg, _help) if {
	_owner
	principals.by_value["*"]
	some st in statements.list
	some a in principals.condition_accounts(st)
	principals.account(a.value) == _owner
	msg := sprintf(
		"aws:PrincipalAccount names account %s, which owns this resource and needs no resource policy to reach it",
		[_owner],
	)
}

_who(v) := sprintf("the principal is account %s", [_owner]) if v == _owner

_who(v) := sprintf("%s is in account %s", [text.quoted(v), _owner]) if v != _owner
