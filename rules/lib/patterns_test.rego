package ssmpolicy.patterns_test

import data.ssmpolicy.patterns

test_match_crosses_dots_and_slashes if {
	patterns.match("arn:aws:ssm:*:111122223333:parameter/app/*", "arn:aws:ssm:us-east-1:111122223333:parameter/app/db.url")
}

test_match_question_mark if {
	patterns.match("parameter/a?c", "parameter/abc")
	not patterns.match("parameter/a?c", "parameter/abbc")
}

test_match_brackets_are_literal if {
	patterns.match("parameter/[x]*", "parameter/[x]/y")
	not patterns.match("parameter/[x]", "parameter/x")
}

test_match_is_case_sensitive if {
	not patterns.match("parameter/App", "parameter/app")
}
