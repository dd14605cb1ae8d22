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

import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.text

report contains findings.at(e.path, msg) if {
	some e in principals.entries
	e.kind in {"role", "user", "assumed-role", "federated-user"}
	msg := sprintf(
		concat("", [
			"%s is %s, not an account: SSM shares with whole accounts, so name %s and let its administrators ",
			"grant access through IAM",
		]),
		[text.quoted(e.value), _what[e.kind], _account_text(e.account)],
	)
}

report contains findings.at(e.path, msg) if {
	some e in principals.entries
	e.kind in {"Service", "Federated", "CanonicalUser"}
	msg := sprintf(
		concat("", [
			"%s is %s, not an account: SSM shares parameters and OpsItemGroups with accounts; name the ",
			"12-digit account id instead",
		]),
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
