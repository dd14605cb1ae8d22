package ssmpolicy.rules.require_sid_test

import data.ssmpolicy.rules.require_sid as rule

test_statement_without_sid_fires if {
	{f.path | some f in rule.report} == {["Statement", 1]} with input as {"policy": {"Statement": [{"Sid": "A"}, {"Effect": "Allow"}]}}
}

test_statements_with_sids_pass if {
	count(rule.report) == 0 with input as {"policy": {"Statement": [{"Sid": "A"}]}}
}
