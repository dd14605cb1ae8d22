package ssmpolicy.rules.version_test

import data.ssmpolicy.rules.version

paths(r) := {f.path | some f in r}

test_current_version_passes if {
	count(version.report) == 0 with input as {"policy": {"Version": "2012-10-17", "Statement": []}}
}

test_missing_version_fires_on_the_policy if {
	paths(version.report) == {[]} with input as {"policy": {"Statement": []}}
}

test_old_version_fires_on_version if {
	paths(version.report) == {["Version"]} with input as {"policy": {"Version": "2008-10-17", "Statement": []}}
}

test_unknown_version_is_not_a_guess if {
	count(version.report) == 0 with input as {"policy": {"Version": "\ue000", "Statement": []}}
}

test_wrong_type_is_left_to_the_schema if {
	count(version.report) == 0 with input as {"policy": {"Version": 2012, "Statement": []}}
}

test_the_fix_is_the_help_not_the_message if {
	fs := version.report with input as {"policy": {"Statement": []}}
	{[f.message, f.help] | some f in fs} == {["the policy has no Version", "add \"Version\": \"2012-10-17\""]}
}
