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
#   source: docs/aws-facts.md, "Conditions"
package ssmpolicy.rules["condition-value"]

import data.ssmpolicy.conditions
import data.ssmpolicy.findings
import data.ssmpolicy.statements
import data.ssmpolicy.text

report contains findings.at(e.path, msg) if {
	some st in statements.list
	some b in conditions.blocks(st)
	parsed := conditions.parse(b.op)
	family := conditions.family(parsed.base)
	family != "string"
	some key, x in b.block
	some e in conditions.values(x, array.concat(b.path, [key]))
	_checked(e.value)
	not _valid(family, e.value)
	msg := sprintf(
		"%s compares %s, and %s is not one: %s",
		[parsed.spelled, _expected[family], _shown(e.value), _fix[family]],
	)
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

_valid("bool", v) if is_boolean(v)

_valid("bool", v) if {
	is_string(v)
	lower(v) in {"true", "false"}
}

_valid("numeric", v) if is_number(v)

_valid("numeric", v) if {
	is_string(v)
	regex.match(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`, v)
}

_valid("date", v) if is_number(v)

_valid("date", v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

_valid("date", v) if {
	is_string(v)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$`, v)
	time.parse_ns("2006-01-02", substring(v, 0, 10))
	_time_ok(v)
}

_valid("date", v) if {
	is_string(v)
	regex.match(`^[0-9]{8}T[0-9]{6}Z$`, v)
}

_valid("ip", v) if {
	is_string(v)
	_ipv4(v)
}

_valid("ip", v) if {
	is_string(v)
	_ipv6(v)
}

_valid("arn", v) if {
	is_string(v)
	parts := split(v, ":")
	count(parts) >= 6
	parts[0] == "arn"
}

_valid("binary", v) if {
	is_string(v)
	base64.is_valid(v)
}

# _time_ok: the hours, minutes and seconds of a date-time are in range.
_time_ok(v) if count(v) == 10

_time_ok(v) if {
	count(v) > 10
	to_number(substring(v, 11, 2)) < 24
	to_number(substring(v, 14, 2)) < 60
	_seconds_ok(v)
}

_seconds_ok(v) if not regex.match(`^.{16}:`, v)

_seconds_ok(v) if {
	regex.match(`^.{16}:`, v)
	to_number(substring(v, 17, 2)) < 60
}

_ipv4(v) if {
	regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$`, v)
	[address, prefix] := _address_and_prefix(v)
	prefix <= 32
	every octet in split(address, ".") {
		to_number(octet) <= 255
	}
}

_ipv6(v) if {
	regex.match(`^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(/[0-9]{1,3})?$`, v)
	[address, prefix] := _address_and_prefix(v)
	prefix <= 128
	_ipv6_groups(address, split(address, ":"))
}

# An IPv4 address may end an IPv6 one (::ffff:192.0.2.1), standing for two groups.
_ipv6(v) if {
	regex.match(`^[0-9A-Fa-f:]*:[0-9.]+(/[0-9]{1,3})?$`, v)
	[address, prefix] := _address_and_prefix(v)
	prefix <= 128
	groups := split(address, ":")
	_ipv4(groups[count(groups) - 1])
	_ipv6_groups(address, array.concat(array.slice(groups, 0, count(groups) - 1), ["0", "0"]))
}

_ipv6_groups(address, groups) if {
	# one :: at most; ::: is never valid (it holds two overlapping ::)
	not contains(address, ":::")
	compressed := strings.count(address, "::")
	compressed <= 1
	_ipv6_group_count(address, count(groups), compressed)
	every g in groups {
		count(g) <= 4
	}
}

# Eight groups written out, or fewer with one :: standing for the rest.
_ipv6_group_count(address, n, 0) if {
	n == 8
	not startswith(address, ":")
	not endswith(address, ":")
}

_ipv6_group_count(_, n, 1) if n <= 9

_address_and_prefix(v) := [parts[0], to_number(parts[1])] if {
	parts := split(v, "/")
	count(parts) == 2
}

_address_and_prefix(v) := [v, 0] if not contains(v, "/")
