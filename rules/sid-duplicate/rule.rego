# METADATA
# title: Two statements share a Sid
# description: >-
#   Sids must be unique within a policy. IAM rejects a policy in which two statements carry the
#   same Sid, and findings, suppressions and reviews that name a statement by its Sid become
#   ambiguous.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
# custom:
#   id: sid-duplicate
#   level: error
#   kinds: [parameter, opsitemgroup]
#   needs: [Sid]
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules["sid-duplicate"]

import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

# _sids lists [index, Sid] for the statements of a Statement list that have a known Sid.
_sids := [[st.path[1], sid] |
	some st in statements.list
	count(st.path) == 2
	sid := st.value.Sid
	is_string(sid)
	sid != ""
	not text.unknown(sid)
]

# _first maps each Sid to the index of the first statement that has it. It is one complete
# object, computed once: a partial object rule would be evaluated again for each Sid looked up,
# comparing every pair of statements. The inner set is indexed by OPA on sid (comprehension
# indexing), so that the whole stays linear in the statements.
# regal ignore:prefer-set-or-object-rule
_first := {sid: min(firsts) |
	some [_, sid] in _sids
	firsts := {j | some [j, s] in _sids; s == sid}
}

report contains findings.at_help(["Statement", i, "Sid"], msg, "rename this one") if {
	count(_sids) > 1
	_repeated
	some [i, sid] in _sids
	f := _first[sid]
	f < i
	msg := sprintf("the Sid %q is already used by statement %d, and Sids must be unique within a policy", [sid, f])
}

# _repeated holds when two statements have the same Sid: _first is computed only then.
_repeated if count({sid | some [_, sid] in _sids}) < count(_sids)
