package ssmpolicy.rules.version_test

import data.ssmpolicy.rules.version

paths(r) := {f.path | some f in r}

levels(r) := {[f.path, object.get(f, "level", "default")] | some f in r}

test_current_version_passes if {
	count(version.report) == 0 with input as {"policy": {"Version": "2012-10-17", "Statement": []}}
}

test_missing_version_is_a_warning_on_the_policy if {
	levels(version.report) == {[[], "warning"]} with input as {"policy": {"Statement": []}}
}

test_old_version_is_a_warning_on_version if {
	levels(version.report) == {[["Version"], "warning"]} with input as {"policy": {
		"Version": "2008-10-17",
		"Statement": [],
	}}
}

test_invalid_version_is_an_error if {
	# no level of its own: the rule's default, error
	levels(version.report) == {[["Version"], "default"]} with input as {"policy": {
		"Version": "2012-10-18",
		"Statement": [],
	}}
}

test_invalid_version_says_which_are_valid if {
	some f in version.report with input as {"policy": {"Version": "2012-17-10", "Statement": []}}
	f.message == concat("", [
		"Version \"2012-17-10\" is not a version of the policy language, which knows only 2012-10-17 ",
		"and 2008-10-17",
	])
	f.help == "write \"2012-10-17\""
}

test_version_is_case_sensitive if {
	paths(version.report) == {["Version"]} with input as {"policy": {"Version": " 2012-10-17", "Statement": []}}
}

test_unknown_version_is_not_a_guess if {
	count(version.report) == 0 with input as {"policy": {"Version": "\ue000", "Statement": []}}
}

test_wrong_type_is_left_to_the_schema if {
	count(version.report) == 0 with input as {"policy": {"Version": 2012, "Statement": []}}
}

test_no_policy_reports_nothing if {
	count(version.report) == 0 with input as {"resource": {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/a"}}
}

test_the_fix_is_the_help_not_the_message if {
	fs := version.report with input as {"policy": {"Statement": []}}
	{[f.message, f.help] | some f in fs} == {[
		"the policy has no Version, so it is read with the 2008-10-17 grammar",
		"add \"Version\": \"2012-10-17\" at the top of the policy",
	]}
}
