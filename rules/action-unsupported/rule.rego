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

report contains findings.at_help(a.path, _message(a.value), _help) if {
	some name in _unlisted
	some a in actions.by_lower[name]
	count(actions.matched(a.value)) == 0
}

# _unlisted are the Action values, lower-cased, that are not actions the resource can share.
_unlisted := object.keys(actions.by_lower) - actions.allowed

# _service is the known service prefix of an action, lower-cased.
_service(v) := s if {
	i := indexof(v, ":")
	i > 0
	s := lower(substring(v, 0, i))
	not text.special(s)
}

_message(v) := sprintf(
	"%q is an action of another service (%s), and an SSM resource policy grants only SSM actions",
	[text.shown(v), _service(v)],
) if {
	_service(v) != "ssm"
}

_message(v) := sprintf("%q is not an action, which is written SERVICE:Action", [text.shown(v)]) if {
	not _service(v)
	not text.special(v)
}

_message(v) := sprintf("%q matches no action this resource can share", [text.shown(v)]) if {
	not _service(v) != "ssm"
	text.wildcard(v)
}

_message(v) := sprintf(
	"%q cannot be an action this resource can share, whatever its unknown part is",
	[text.shown(v)],
) if {
	not _service(v) != "ssm"
	not text.wildcard(v)
	text.unknown(v)
}

_message(v) := sprintf("%q is not an action this resource can share", [text.shown(v)]) if {
	_service(v) == "ssm"
	not text.special(v)
}

# _help names what the resource can share.
_help := sprintf("remove it: %s", [actions.allowed_text])
