# METADATA
# title: NotAction with Allow
# description: >-
#   An Allow statement with NotAction grants every action except those it lists, including
#   actions AWS adds later. Name the granted actions in Action instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
# custom:
#   id: not-action
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   needs: [NotAction]
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules["not-action"]

import data.ssmpolicy.actions
import data.ssmpolicy.findings
import data.ssmpolicy.statements

report contains findings.on_key(findings.at_help(array.concat(st.path, ["NotAction"]), _message, _help)) if {
	some st in statements.list
	statements.allow(st)
	"NotAction" in object.keys(st.value)
}

_message := "NotAction with Allow grants every action it does not list, including ones AWS adds later"

_help := sprintf("name the granted actions in Action instead (%s)", [actions.allowed_text])
