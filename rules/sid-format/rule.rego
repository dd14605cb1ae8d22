# METADATA
# title: Sid has characters other than A-Z a-z 0-9
# description: >-
#   IAM accepts only ASCII letters and digits in a Sid. Hyphens, underscores, spaces and dots,
#   which some other services tolerate, are refused.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
# custom:
#   id: sid-format
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   needs: [Sid]
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules["sid-format"]

import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

report contains findings.at_help(array.concat(st.path, ["Sid"]), msg, _fix(_suggestion(sid))) if {
	some st in statements.list
	sid := st.value.Sid
	is_string(sid)

	# a deploy-time part could be anything, but the characters around it are known
	known := replace(sid, text.unknown_marker, "")
	not regex.match(`^[A-Za-z0-9]*$`, known)
	bad := concat("", sort({c | some c in regex.find_n(`[^A-Za-z0-9]`, known, -1)}))
	msg := sprintf("the Sid %s has characters other than A-Z, a-z and 0-9 (%q)", [text.quoted(sid), bad])
}

_fix("") := "write it in letters and digits only"

_fix(s) := sprintf("write it as %q", [s]) if s != ""

# _suggestion drops the offending characters and capitalises the word after each one; none
# for a Sid with a deploy-time part.
_suggestion(sid) := "" if {
	text.unknown(sid)
} else := concat("", [w |
	some i, word in regex.split(`[^A-Za-z0-9]+`, sid)
	word != ""
	w := _capitalise(i, word)
])

_capitalise(0, word) := word

_capitalise(i, word) := concat("", [upper(substring(word, 0, 1)), substring(word, 1, -1)]) if i > 0
