package ssmpolicy.rules["sid-format_test"]

import data.ssmpolicy.rules["sid-format"] as rule

paths(r) := {f.path | some f in r}

stmt(sid) := {
	"Sid": sid,
	"Effect": "Allow",
	"Principal": {"AWS": "444455556666"},
	"Action": "ssm:GetParameter",
	"Resource": "*",
}

test_hyphen_fires if {
	paths(rule.report) == {["Statement", 1, "Sid"]} with input as {"policy": {"Statement": [
		stmt("ReadOnly"),
		stmt("Read-Only"),
	]}}
}

test_letters_and_digits_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("ShareWith444455556666")]}}
}

test_single_statement_object_with_space if {
	paths(rule.report) == {["Statement", "Sid"]} with input as {"policy": {"Statement": stmt("read only")}}
}

test_message_names_characters_and_suggests if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("allow-read_only")]}}
	contains(f.message, `"-_"`)
	f.help == `write it as "allowReadOnly"`
}

test_non_ascii_letter_fires if {
	count(rule.report) == 1 with input as {"policy": {"Statement": [stmt("Lesezugriffé")]}}
}

test_empty_sid_passes if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("")]}}
}

test_unknown_part_alone_is_not_a_guess if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt("Read\ue000")]}}
}

test_known_bad_character_next_to_unknown_part if {
	paths(rule.report) == {["Statement", 0, "Sid"]} with input as {"policy": {"Statement": [stmt("Read-\ue000")]}}
}

test_wrong_type_is_left_to_the_schema if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [stmt(12)]}}
}

test_sid_without_letters if {
	some f in rule.report with input as {"policy": {"Statement": [stmt("---")]}}
	f.help == "write it in letters and digits only"
}
