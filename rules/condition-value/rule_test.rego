package ssmpolicy.rules["condition-value_test"]

import data.ssmpolicy.rules["condition-value"] as rule

paths(r) := {f.path | some f in r}

stmt(condition) := {
	"Effect": "Allow",
	"Principal": "*",
	"Action": "ssm:GetParameter",
	"Resource": "*",
	"Condition": condition,
}

# check(op, values) is the set of indexes of the values that fire.
check(op, values) := {f.path[5] |
	some f in rule.report with input as {"policy": {"Statement": [stmt({op: {"aws:Key": values}})]}}
}

test_bool if {
	check("Bool", [true, false, "true", "False", "yes", 1, "1"]) == {4, 5, 6}
}

test_null if {
	check("Null", [true, "false", "maybe"]) == {2}
}

test_numeric if {
	check("NumericLessThan", [10, "10", "-3.5", "ten", true, "1e3", "10 "]) == {3, 4, 5, 6}
}

test_date if {
	check("DateGreaterThanIfExists", [
		"2026-01-31",
		"2026-01-31T23:59:59Z",
		"2026-01-31T23:59:59.123Z",
		"2026-01-31T23:59:59+01:00",
		"2026-01-31T23:59Z",
		"1767225599",
		1767225599,
		"20260131T235959Z",
		"2026-13-01", # 8
		"2026-02-30", # 9
		"yesterday", # 10
		"2026-01-31T25:00:00Z", # 11
		true, # 12
		"2026-01-31 23:59:59", # 13
	]) == {8, 9, 10, 11, 12, 13}
}

test_ip if {
	check("IpAddress", [
		"203.0.113.0/24",
		"203.0.113.5",
		"2001:db8::/32",
		"::1",
		"2001:0db8:0000:0000:0000:0000:0000:0001",
		"fe80::1:2/64",
		"300.1.1.1", # 6
		"10.0.0.0/33", # 7
		"not-an-ip", # 8
		"2001:db8::1::2", # 9
		"2001:db8:1:2:3:4:5:6:7", # 10
		"2001:db8::/129", # 11
		17, # 12
	]) == {6, 7, 8, 9, 10, 11, 12}
}

test_ipv4_mapped_ipv6 if {
	check(
		"IpAddress",
		["::ffff:192.0.2.1", "::ffff:192.0.2.1/128", "::ffff:300.0.2.1", "1:2:3:4:5:6:7:192.0.2.1"],
	) == {2, 3}
}

test_not_ip_address_if_exists if {
	check("NotIpAddressIfExists", ["10.0.0.0/8", "10.0.0.0/8,"]) == {1}
}

test_arn if {
	check("ArnLike", [
		"arn:aws:ssm:us-east-1:111122223333:parameter/x",
		"arn:aws:ssm:*:*:parameter/*",
		"arn:aws:s3:::bucket",
		"*", # 3
		"arn:aws:ssm", # 4
		"111122223333", # 5
		false, # 6
	]) == {3, 4, 5, 6}
}

test_arn_equals_takes_wildcards if {
	check("ArnEquals", ["arn:aws:iam::111122223333:role/*"]) == set()
}

test_binary if {
	check("BinaryEquals", ["QmluYXJ5VmFsdWU=", "not base64!", 3]) == {1, 2}
}

test_string_operators_take_anything if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({
		"StringEquals": {"aws:Key": ["x", 1, true]},
		"ForAnyValue:StringLike": {"aws:Key": "*"},
	})]}}
}

test_single_value_path_and_statement_object if {
	doc := {"Statement": stmt({"Bool": {"aws:SecureTransport": "yes"}})}
	paths(rule.report) == {["Statement", "Condition", "Bool", "aws:SecureTransport"]} with input as {"policy": doc}
}

test_list_value_path if {
	doc := {"Statement": [stmt({"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "an hour"]}})]}
	want := {["Statement", 0, "Condition", "NumericLessThan", "aws:MultiFactorAuthAge", 1]}
	paths(rule.report) == want with input as {"policy": doc}
}

test_message_names_value_and_type if {
	doc := {"Statement": [stmt({"NumericLessThan": {"aws:MultiFactorAuthAge": "an hour"}})]}
	some f in rule.report with input as {"policy": doc}
	contains(f.message, `"an hour"`)
	contains(f.message, "NumericLessThan compares numbers")
}

test_unknown_values_and_policy_variables_are_not_a_guess if {
	check("DateLessThan", ["\ue000", "${aws:CurrentTime}", "2026-\ue000"]) == set()
}

test_unknown_operator_is_left_to_condition_operator if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt({"NumericLessThanEqual": {"aws:Key": "ten"}})]}}
}

test_operator_in_wrong_case_still_checks_values if {
	check("numericlessthan", ["ten"]) == {0}
}

test_set_prefix_and_if_exists if {
	check("ForAnyValue:NumericEqualsIfExists", ["1", "one"]) == {1}
}
