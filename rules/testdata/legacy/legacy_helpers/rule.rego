# METADATA
# title: Written to the first custom rule guide
# description: >-
#   Uses every helper the first version of docs/custom-rules.md documented, under its old name,
#   so that a test shows such rules keep working.
# custom:
#   id: legacy-helpers
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   source: docs/custom-rules.md
package ssmpolicy.rules.legacy_helpers

import data.ssmpolicy.lib

report contains lib.finding(st.path, "this statement has no Sid") if {
	some st in lib.statements
	not st.value.Sid
}

report contains lib.finding(a.path, sprintf("%s is not for sharing", [a.value])) if {
	some st in lib.statements
	lib.allow(st)
	some a in lib.element(st, "Action")
	lower(a.value) == "ssm:putparameter"
}

report contains lib.finding(p.path, sprintf("account %s is retired", [lib.account_of(p.value)])) if {
	some st in lib.statements
	some p in lib.principals(st, "Principal")
	p.type == "AWS"
	lib.account_of(p.value) == "999999999999"
}

report contains lib.finding(array.concat(st.path, ["Sid"]), "the Sid is known only at deploy time") if {
	some st in lib.statements
	lib.unknown(st.value.Sid)
	contains(st.value.Sid, lib.unknown_marker)
}

report contains lib.fact_finding("arn", sprintf("region %s is closed", [lib.arn_parts(input.resource.arn).region])) if {
	lib.arn_parts(input.resource.arn).region == "eu-west-3"
}
