# METADATA
# title: Principal is not an account
# description: >-
#   Parameters and OpsItemGroups are shared with accounts. A role, user, role session, service,
#   federated or canonical user principal is not how AWS documents sharing; name the account and
#   let its administrators grant access inside it through IAM.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-resourcepolicy.html
# custom:
#   id: principal-not-account
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "What a parameter share grants"
#   inference: true
package ssmpolicy.rules["principal-not-account"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.text

# Only the principals an Allow statement grants are shared with: a Deny statement naming a
# role narrows access, and is fine, and the principals a NotPrincipal lists are the ones not
# granted (not-principal reports NotPrincipal with Allow). A principal of the account that owns
# the resource is principal-self's: its fix is to remove it, not to name the account.
_granted contains e if {
	some kind, group in principals.by_kind
	_what[kind]
	some e in group
	e.allow
	e.element == "Principal"
	not _own(e)
}

_own(e) if {
	arns.account_id(input.resource.account)
	e.account == input.resource.account
}

report contains findings.at_help(e.path, msg, help) if {
	some e in _granted
	e.kind in {"role", "user", "assumed-role", "federated-user"}
	msg := sprintf(
		"%s is %s, not an account, and SSM shares with whole accounts",
		[text.quoted(e.value), _what[e.kind]],
	)
	help := sprintf("name %s, and let its administrators grant access through IAM", [_account_text(e.account)])
}

report contains findings.at_help(e.path, msg, "name the 12-digit account id instead") if {
	some e in _granted
	e.kind in {"Service", "Federated", "CanonicalUser"}
	msg := sprintf(
		"%s is %s, not an account, and SSM shares parameters and OpsItemGroups with accounts",
		[text.quoted(e.value), _what[e.kind]],
	)
}

_what := {
	"role": "an IAM role",
	"user": "an IAM user",
	"assumed-role": "a role session (it ends with the session)",
	"federated-user": "a federated user session (it ends with the session)",
	"Service": "a service principal",
	"Federated": "a federated identity provider",
	"CanonicalUser": "an S3 canonical user id",
}

_account_text("") := "its account"

_account_text(a) := sprintf("the account %s", [a]) if a != ""
