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
#   source: SSM-FACTS.md, "Parameters" and "OpsItemGroup"
#   inference: true
package ssmpolicy.rules.action_unsupported

import data.ssmpolicy.lib

report contains lib.finding(a.path, message(a.value)) if {
	some a in lib.action_values
	not a.lower in lib.allowed_actions
	count(lib.allowed_matched(a.value)) == 0
}

# service is the known service prefix of an action, lower-cased.
service(v) := s if {
	i := indexof(v, ":")
	i > 0
	s := lower(substring(v, 0, i))
	not lib.iam_special(s)
}

message(v) := sprintf("%q is an action of another service (%s): an SSM resource policy grants only SSM actions, and %s", [lib.shown(v), service(v), lib.allowed_actions_text]) if {
	service(v) != "ssm"
}

message(v) := sprintf("%q is not an action: write SERVICE:Action, and %s", [lib.shown(v), lib.allowed_actions_text]) if {
	not service(v)
	not lib.iam_special(v)
}

message(v) := sprintf("%q matches no action this resource can share: %s", [lib.shown(v), lib.allowed_actions_text]) if {
	not service(v) != "ssm"
	lib.wildcard(v)
}

message(v) := sprintf("%q cannot be a shareable action, whatever its unknown part is: %s", [lib.shown(v), lib.allowed_actions_text]) if {
	not service(v) != "ssm"
	not lib.wildcard(v)
	lib.unknown(v)
}

message(v) := sprintf("%q cannot be shared: %s", [lib.shown(v), lib.allowed_actions_text]) if {
	service(v) == "ssm"
	not lib.iam_special(v)
}
