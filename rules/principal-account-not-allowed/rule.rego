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
#   source: SSM-FACTS.md, "Parameters"
package ssmpolicy.rules.principal_account_not_allowed

import data.ssmpolicy.lib

# allowed is the configured list; root ARNs in it stand for their accounts.
allowed := {a | some x in input.config.accounts_allowed; a := allowed_account(x)}

# The account that owns the resource is not a share with anyone else: principal-self reports it.
owner := input.resource.account if lib.account_id(input.resource.account)

outside(account) if {
	not account in allowed
	account != owner
}

outside(account) if {
	not account in allowed
	not owner
}

allowed_account(x) := a if {
	a := lib.account_of(x)
} else := x

report contains lib.finding(e.path, msg) if {
	is_array(input.config.accounts_allowed)
	some e in lib.principal_entries
	e.allow
	e.element == "Principal"
	e.type == "AWS"
	e.account != ""
	outside(e.account)
	msg := sprintf("%s grants account %s, which is not in accounts.allowed of the configuration: remove it, or add it to the list if the share is intended", [principal_text(e.value, e.account), e.account])
}

report contains lib.finding(a.path, msg) if {
	is_array(input.config.accounts_allowed)
	some st in lib.statements
	some a in lib.principal_pinned_accounts(st)
	account := lib.principal_account(a.value)
	outside(account)
	msg := sprintf("aws:PrincipalAccount pins the wildcard principal to account %s, which is not in accounts.allowed of the configuration: remove it, or add it to the list if the share is intended", [account])
}

principal_text(v, account) := "the principal" if v == account

principal_text(v, account) := sprintf("the principal %q", [v]) if v != account
