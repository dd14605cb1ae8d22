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
#   source: SSM-FACTS.md, "Parameters" and "OpsItemGroup"
package ssmpolicy.rules.action_wildcard

import data.ssmpolicy.lib

report contains lib.finding(a.path, message(a.value)) if {
	some a in lib.action_values
	a.allow
	lib.wildcard(a.value)
}

message(v) := sprintf("the action %q is a wildcard that grants whatever it matches, now and as AWS adds actions: list the actions instead (of those this resource can share, it matches %s)", [lib.shown(v), lib.action_list(m)]) if {
	m := lib.allowed_matched(v)
	count(m) > 0
}

message(v) := sprintf("the action %q is a wildcard that matches no action this resource can share: list the actions instead (%s)", [lib.shown(v), lib.allowed_actions_text]) if {
	count(lib.allowed_matched(v)) == 0
}
