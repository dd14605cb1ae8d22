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
#   source: SSM-FACTS.md, "IAM grammar"
package ssmpolicy.rules.condition_operator

import data.ssmpolicy.lib

report contains lib.finding(array.concat(st.path, ["Condition", op]), msg) if {
	some st in lib.statements
	is_object(st.value.Condition)
	some op, _ in st.value.Condition
	not lib.unknown(op)
	msg := problem(op)
}

problem(op) := msg if {
	parsed := lib.cond_parse(op)
	parsed.base == "Null"
	parsed.if_exists
	msg := sprintf("%q: Null has no IfExists form, since Null itself tests whether the key is present; write %q", [op, concat("", [parsed.prefix, "Null"])])
} else := msg if {
	parsed := lib.cond_parse(op)
	parsed.spelled != op
	msg := sprintf("the condition operator %q is written %q in IAM's grammar: write it so", [op, parsed.spelled])
} else := msg if {
	not lib.cond_parse(op)
	msg := unknown_message(op)
}

# unknown_message names the closest operator when there is one.
unknown_message(op) := msg if {
	# a set prefix that is neither ForAllValues: nor ForAnyValue:
	contains(op, ":")
	lib.cond_split(op).prefix == ""
	before := split(op, ":")[0]
	msg := sprintf("%q is not a condition operator: the set operator prefix %q must be ForAllValues: or ForAnyValue:", [op, concat("", [before, ":"])])
} else := msg if {
	s := lib.cond_split(op)
	rest := trim_suffix(s.rest, "IfExists")
	ie := s.rest != rest
	base := lib.cond_closest(rest, lib.cond_base_by_lower)
	suggestion := concat("", [s.prefix, base, if_exists(ie, base)])
	msg := sprintf("%q is not a condition operator: did you mean %q?", [op, suggestion])
} else := sprintf("%q is not a condition operator: IAM knows the String, Numeric, Date, Arn, Bool, BinaryEquals, IpAddress, NotIpAddress and Null operators, with an IfExists suffix and a ForAllValues: or ForAnyValue: prefix", [op])

if_exists(true, base) := "IfExists" if base != "Null"

if_exists(true, "Null") := ""

if_exists(false, _) := ""
