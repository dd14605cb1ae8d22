package ssmpolicy.lib_test

import data.ssmpolicy.lib

test_glob_match_crosses_dots_and_slashes if {
	lib.glob_match("arn:aws:ssm:*:111122223333:parameter/app/*", "arn:aws:ssm:us-east-1:111122223333:parameter/app/db.url")
}

test_glob_match_question_mark if {
	lib.glob_match("parameter/a?c", "parameter/abc")
	not lib.glob_match("parameter/a?c", "parameter/abbc")
}

test_glob_match_brackets_are_literal if {
	lib.glob_match("parameter/[x]*", "parameter/[x]/y")
	not lib.glob_match("parameter/[x]", "parameter/x")
}

test_glob_match_is_case_sensitive if {
	not lib.glob_match("parameter/App", "parameter/app")
}
