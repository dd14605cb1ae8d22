# METADATA
# title: Unknown condition operator
# description: >-
#   A Condition block must be keyed by one of IAM's condition operators (String*, Numeric*,
#   Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null), optionally with the IfExists
#   suffix (not on Null) and a ForAllValues: or ForAnyValue: prefix, spelled as IAM documents
#   them. IAM rejects a policy with an unknown operator.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
# custom:
#   id: condition-operator
#   level: error
#   kinds: [parameter, opsitemgroup]
#   needs: [Condition]
#   source: docs/aws-facts.md, "Conditions"
package ssmpolicy.rules["condition-operator"]

import data.ssmpolicy.conditions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

# The finding is about the operator, a key: it points at the key, not at its block.
report contains findings.on_key(findings.at_help(array.concat(st.path, ["Condition", op]), p.message, p.help)) if {
	some st in statements.list
	is_object(st.value.Condition)
	some op, _ in st.value.Condition
	not text.unknown(op)
	p := _problem(op)
}

_problem(op) := {
	"message": sprintf("%q: Null has no IfExists form, since Null itself tests whether the key is present", [op]),
	"help": sprintf("write %q", [concat("", [parsed.prefix, "Null"])]),
} if {
	parsed := ssmpolicy.condition.operator(op)
	parsed.base == "Null"
	parsed.if_exists
} else := {
	"message": sprintf("the condition operator %q is written %q in IAM's grammar", [op, parsed.spelled]),
	"help": sprintf("write %q", [parsed.spelled]),
} if {
	parsed := ssmpolicy.condition.operator(op)
	parsed.spelled != op
} else := _unknown(op) if {
	not ssmpolicy.condition.operator(op)
}

# _unknown names the closest operator when there is one.
_unknown(op) := {
	"message": sprintf(
		"%q is not a condition operator: its set operator prefix %q is neither ForAllValues: nor ForAnyValue:",
		[op, concat("", [split(op, ":")[0], ":"])],
	),
	"help": "write ForAllValues: or ForAnyValue: before the operator",
} if {
	# a set prefix that is neither ForAllValues: nor ForAnyValue:
	contains(op, ":")
	conditions.parts(op).prefix == ""
} else := {
	"message": sprintf("%q is not a condition operator", [op]),
	"help": sprintf("did you mean %q?", [suggestion]),
} if {
	s := conditions.parts(op)
	rest := trim_suffix(s.rest, "IfExists")
	ie := s.rest != rest
	base := conditions.closest(rest, conditions.operators)
	suggestion := concat("", [s.prefix, base, _if_exists(ie, base)])
} else := {"message": sprintf("%q is not a condition operator", [op]), "help": concat("", [
	"use one of IAM's String, Numeric, Date, Arn, Bool, BinaryEquals, IpAddress, NotIpAddress and Null ",
	"operators, with an IfExists suffix or a ForAllValues: or ForAnyValue: prefix where needed",
])}

_if_exists(true, base) := "IfExists" if base != "Null"

_if_exists(true, "Null") := ""

_if_exists(false, _) := ""
