# METADATA
# title: NotPrincipal with Allow
# description: >-
#   An Allow statement with NotPrincipal grants every principal in the world except the ones it
#   lists. AWS advises against NotPrincipal with Allow; name the accounts in Principal instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
# custom:
#   id: not-principal
#   level: security-warning
#   kinds: [parameter, opsitemgroup]
#   needs: [NotPrincipal]
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules["not-principal"]

import data.ssmpolicy.findings
import data.ssmpolicy.statements

report contains findings.on_key(findings.at_help(array.concat(st.path, ["NotPrincipal"]), _message, _help)) if {
	some st in statements.list
	statements.allow(st)
	"NotPrincipal" in object.keys(st.value)
}

_message := "NotPrincipal with Allow grants every principal except the ones listed, anonymous users included"

_help := "name the accounts to share with in Principal instead"
