# METADATA
# title: Every statement has a Sid
# description: >-
#   Our reviews refer to statements by Sid; a statement without one cannot be discussed.
# related_resources:
#   - ref: https://wiki.example.com/policy-style#sid
# custom:
#   id: require-sid
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   source: team policy style guide
package ssmpolicy.rules.require_sid

import data.ssmpolicy.lib

report contains lib.finding(st.path, "this statement has no Sid: give it one our reviews can refer to") if {
	some st in lib.statements
	not st.value.Sid
}
