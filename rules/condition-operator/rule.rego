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

report contains findings.at(array.concat(st.path, ["Condition", op]), msg) if {
	some st in statements.list
	is_object(st.value.Condition)
	some op, _ in st.value.Condition
	not text.unknown(op)
	msg := _problem(op)
}

_problem(op) := msg if {
	parsed := ssmpolicy.condition.operator(op)
	parsed.base == "Null"
	parsed.if_exists
	msg := sprintf(
		"%q: Null has no IfExists form, since Null itself tests whether the key is present; write %q",
		[op, concat("", [parsed.prefix, "Null"])],
	)
} else := msg if {
	parsed := ssmpolicy.condition.operator(op)
	parsed.spelled != op
	msg := sprintf("the condition operator %q is written %q in IAM's grammar: write it so", [op, parsed.spelled])
} else := msg if {
	not ssmpolicy.condition.operator(op)
	msg := _unknown_message(op)
}

# _unknown_message names the closest operator when there is one.
_unknown_message(op) := msg if {
	# a set prefix that is neither ForAllValues: nor ForAnyValue:
	contains(op, ":")
	conditions.parts(op).prefix == ""
	before := split(op, ":")[0]
	msg := sprintf(
		"%q is not a condition operator: the set operator prefix %q must be ForAllValues: or ForAnyValue:",
		[op, concat("", [before, ":"])],
	)
} else := msg if {
	s := conditions.parts(op)
	rest := trim_suffix(s.rest, "IfExists")
	ie := s.rest != rest
	base := conditions.closest(rest, conditions.operators)
	suggestion := concat("", [s.prefix, base, _if_exists(ie, base)])
	msg := sprintf("%q is not a condition operator: did you mean %q?", [op, suggestion])
} else := sprintf(
	concat("", [
		"%q is not a condition operator: IAM knows the String, Numeric, Date, Arn, Bool, BinaryEquals, ",
		"IpAddress, NotIpAddress and Null operators, with an IfExists suffix and a ForAllValues: or ",
		"ForAnyValue: prefix",
	]),
	[op],
)

_if_exists(true, base) := "IfExists" if base != "Null"

_if_exists(true, "Null") := ""

_if_exists(false, _) := ""
