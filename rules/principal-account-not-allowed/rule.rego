# METADATA
# title: Account outside accounts.allowed
# description: >-
#   When the configuration lists the accounts a policy may grant (accounts.allowed), every
#   account an Allow statement names - as an id, a root ARN, the account of a user, role or
#   session ARN, or an aws:PrincipalAccount value pinning a wildcard principal - must be in it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
# custom:
#   id: principal-account-not-allowed
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "Principals"
package ssmpolicy.rules["principal-account-not-allowed"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.statements

# _allowed is the configured list; root ARNs in it stand for their accounts.
_allowed contains _allowed_account(x) if {
	some x in input.config.accounts_allowed
}

# The account that owns the resource is not a share with anyone else: principal-self reports it.
_owner := input.resource.account if arns.account_id(input.resource.account)

_outside(account) if {
	not account in _allowed
	account != _owner
}

_outside(account) if {
	not account in _allowed
	not _owner
}

_allowed_account(x) := a if {
	a := principals.account_of(x)
} else := x

_help := "remove it, or add it to accounts.allowed if the share is intended"

report contains findings.at_help(e.path, msg, _help) if {
	is_array(input.config.accounts_allowed)
	some e in principals.entries
	e.allow
	e.element == "Principal"
	e.type == "AWS"
	e.account != ""
	_outside(e.account)
	msg := sprintf(
		"%s grants account %s, which is not in accounts.allowed of the configuration",
		[_principal_text(e.value, e.account), e.account],
	)
}

report contains findings.at_help(a.path, msg, _help) if {
	is_array(input.config.accounts_allowed)
	some st in statements.list
	some a in principals.condition_accounts(st)
	account := principals.account(a.value)
	_outside(account)
	msg := sprintf(
		concat("", [
			"aws:PrincipalAccount pins the wildcard principal to account %s, which is not in accounts.allowed ",
			"of the configuration",
		]),
		[account],
	)
}

_principal_text(v, account) := "the principal" if v == account

_principal_text(v, account) := sprintf("the principal %q", [v]) if v != account
