# METADATA
# title: Condition value of the wrong type for its operator
# description: >-
#   Each condition operator compares one type of value: Bool and Null take true or false,
#   Numeric operators numbers, Date operators ISO 8601 dates or epoch seconds, IpAddress and
#   NotIpAddress IPv4 or IPv6 addresses or CIDR ranges, Arn operators ARNs, BinaryEquals base64.
#   A value of another type never matches, or makes IAM reject the policy.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
# custom:
#   id: condition-value
#   level: error
#   kinds: [parameter, opsitemgroup]
#   needs: [Condition]
#   source: docs/aws-facts.md, "Conditions"
package ssmpolicy.rules["condition-value"]

import data.ssmpolicy.conditions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

report contains findings.at_help(e.path, msg, help) if {
	some st in statements.list
	some b in conditions.blocks(st)
	parsed := ssmpolicy.condition.operator(b.op)
	family := parsed.family
	family != "string"
	some key, x in b.block
	some e in conditions.values(x, array.concat(b.path, [key]))
	_checked(e.value)
	not ssmpolicy.condition.value_ok(family, e.value)
	msg := sprintf("%s compares %s, and %s is not one", [parsed.spelled, _expected[family], _shown(e.value)])
	help := _fix[family]
}

# A value with a part known only at deploy time, or a policy variable, is not checked.
_checked(v) if not is_string(v)

_checked(v) if {
	is_string(v)
	not text.unknown(v)
	not contains(v, "${")
}

_expected := {
	"bool": "true or false",
	"numeric": "numbers",
	"date": "dates and times",
	"ip": "IP addresses and CIDR ranges",
	"arn": "ARNs",
	"binary": "base64-encoded binary values",
}

_fix := {
	"bool": "write true or false",
	"numeric": "write a number, like 3600 or \"3600\"",
	"date": "write an ISO 8601 date or time, like \"2026-01-31T23:59:59Z\", or epoch seconds",
	"ip": "write an IPv4 or IPv6 address or CIDR range, like \"203.0.113.0/24\" or \"2001:db8::/32\"",
	"arn": concat("", [
		"write an ARN, like \"arn:aws:ssm:us-east-1:111122223333:parameter/name\" (wildcards are allowed ",
		"in each field)",
	]),
	"binary": "write the bytes base64-encoded",
}

_shown(v) := text.quoted(v) if is_string(v)

_shown(v) := json.marshal(v) if not is_string(v)
