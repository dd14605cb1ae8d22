# METADATA
# title: Action the resource kind cannot share
# description: >-
#   An action outside the set the resource kind can share (a parameter's four read actions; an
#   OpsItemGroup's OpsItem actions), or another service's action. A wildcard that matches
#   none of them is reported too.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-resourcepolicy.html
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutResourcePolicy.html
# custom:
#   id: action-unsupported
#   level: error
#   kinds: [parameter, opsitemgroup]
#   source: docs/aws-facts.md, "What a parameter share grants" and "Sharing an OpsItemGroup"
#   inference: true
package ssmpolicy.rules["action-unsupported"]

import data.ssmpolicy.actions
import data.ssmpolicy.findings
import data.ssmpolicy.text

report contains findings.at(a.path, _message(a.value)) if {
	some a in actions.values
	not a.lower in actions.allowed
	count(actions.matched(a.value)) == 0
}

# _service is the known service prefix of an action, lower-cased.
_service(v) := s if {
	i := indexof(v, ":")
	i > 0
	s := lower(substring(v, 0, i))
	not text.special(s)
}

_message(v) := sprintf(
	"%q is an action of another service (%s): an SSM resource policy grants only SSM actions, and %s",
	[text.shown(v), _service(v), actions.allowed_text],
) if {
	_service(v) != "ssm"
}

_message(v) := sprintf("%q is not an action: write SERVICE:Action, and %s", [text.shown(v), actions.allowed_text]) if {
	not _service(v)
	not text.special(v)
}

_message(v) := sprintf("%q matches no action this resource can share: %s", [text.shown(v), actions.allowed_text]) if {
	not _service(v) != "ssm"
	text.wildcard(v)
}

_message(v) := sprintf(
	"%q cannot be a shareable action, whatever its unknown part is: %s",
	[text.shown(v), actions.allowed_text],
) if {
	not _service(v) != "ssm"
	not text.wildcard(v)
	text.unknown(v)
}

_message(v) := sprintf("%q cannot be shared: %s", [text.shown(v), actions.allowed_text]) if {
	_service(v) == "ssm"
	not text.special(v)
}
