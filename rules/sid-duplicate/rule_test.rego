package ssmpolicy.rules["sid-duplicate_test"]

import data.ssmpolicy.rules["sid-duplicate"] as rule

paths(r) := {f.path | some f in r}

stmt(sid) := {
	"Sid": sid,
	"Effect": "Allow",
	"Principal": {"AWS": "444455556666"},
	"Action": "ssm:GetParameter",
	"Resource": "*",
}

test_repeat_fires_at_the_repeat if {
	paths(rule.report) == {["Statement", 2, "Sid"]} with input as {"policy": {"Statement": [
		stmt("Read"),
		stmt("Write"),
		stmt("Read"),
	]}}
}

test_message_names_the_first_statement if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("Write"), stmt("Read"), stmt("Read")]}}
	contains(f.message, "statement 1")
	f.help == "rename this one"
	contains(f.message, "\"Read\"")
}

test_every_repeat_is_reported if {
	paths(rule.report) == {["Statement", 1, "Sid"], ["Statement", 3, "Sid"]} with input as {"policy": {"Statement": [
		stmt("A"),
		stmt("A"),
		stmt("B"),
		stmt("A"),
	]}}
}

test_distinct_sids_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("Read"), stmt("Write")]}}
}

test_sids_are_compared_as_written if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("Read"), stmt("read")]}}
}

test_empty_sids_are_no_sids if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(""), stmt("")]}}
}

test_statements_without_sid if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [
		object.remove(stmt("x"), ["Sid"]),
		object.remove(stmt("x"), ["Sid"]),
	]}}
}

test_single_statement_object if {
	count(rule.report) == 0 with input as {"policy": {"Statement": stmt("Read")}}
}

test_unknown_sids_are_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("Read\ue000"), stmt("Read\ue000")]}}
}

test_non_object_items_keep_their_index if {
	paths(rule.report) == {["Statement", 2, "Sid"]} with input as {"policy": {"Statement": [stmt("A"), "junk", stmt("A")]}}
}
