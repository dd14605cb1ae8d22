# METADATA
# title: Action is a wildcard
# description: >-
#   An Allow statement whose Action is "*", "ssm:*" or any pattern with * or ? grants every
#   action the pattern matches, including actions AWS adds later. List the actions instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
# custom:
#   id: action-wildcard
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "The policy grammar", "What a parameter share grants" and "Sharing an OpsItemGroup"
package ssmpolicy.rules["action-wildcard"]

import data.ssmpolicy.actions
import data.ssmpolicy.findings
import data.ssmpolicy.text

report contains findings.at_help(a.path, _message(a.value), _help(a.value)) if {
	some a in actions.by_allow[true]
	text.wildcard(a.value)
}

_message(v) := sprintf(
	"the action %q is a wildcard, which grants whatever it matches, now and as AWS adds actions",
	[text.shown(v)],
) if {
	count(actions.matched(v)) > 0
}

_message(v) := sprintf(
	"the action %q is a wildcard that matches no action this resource can share",
	[text.shown(v)],
) if {
	count(actions.matched(v)) == 0
}

_help(v) := sprintf(
	"list the actions instead: of those this resource can share, it matches %s",
	[actions.list(m)],
) if {
	m := actions.matched(v)
	count(m) > 0
}

_help(v) := sprintf("list the actions instead (%s)", [actions.allowed_text]) if {
	count(actions.matched(v)) == 0
}
