package ssmpolicy.rules["resource-format_test"]

import data.ssmpolicy.rules["resource-format"] as rule

paths(r) := {f.path | some f in r}

ats(r) := {f.at | some f in r}

good := "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"

stmt(res) := {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": res}

target(arn) := r if {
	r := rule.report with input as {"policy": {"Statement": []}, "resource": {"arn": arn}}
}

resources(res) := r if {
	r := rule.report with input as {"policy": {"Statement": [stmt(res)]}}
}

test_good_arns_pass if {
	count(target(good)) == 0
	count(target("arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/a")) == 0
	count(target("arn:aws-cn:ssm:cn-north-1:111122223333:opsitemgroup/default")) == 0
	count(target("arn:aws-eusc:ssm:eusc-de-east-1:111122223333:parameter/a")) == 0
	count(target("arn:aws-iso-b:ssm:us-isob-east-1:111122223333:parameter/a")) == 0
	count(resources([good, "*", "arn:aws:ssm:us-east-1:111122223333:opsitem/*", "arn:aws:ssm:*:*:parameter/*"])) == 0
}

test_double_slash_target_fires_at_the_arn if {
	ats(target("arn:aws:ssm:us-east-1:111122223333:parameter//app/db")) == {"arn"}
}

test_double_slash_message_explains_cloudformation if {
	some f in target("arn:aws:ssm:us-east-1:111122223333:parameter//app/db")
	contains(f.message, "parameter/a/b")
	contains(f.help, "parameter${P}")
}

# A wildcard in the target ARN names no one parameter: PutResourcePolicy takes one resource.
test_wildcard_target_fires_at_the_arn if {
	every arn in [
		"arn:aws:ssm:us-east-1:111122223333:parameter/app/*",
		"arn:aws:ssm:us-east-1:111122223333:parameter/app/d?",
		"arn:aws:ssm:*:111122223333:parameter/app",
		"*",
	] {
		fs := target(arn)
		ats(fs) == {"arn"}
		some f in fs
		contains(f.message, "takes the ARN of one resource")
		f.help == "name the one parameter (or opsitemgroup/default) the policy is for, without * or ?"
	}
}

test_wildcard_target_with_other_problems_says_how_to_write_it if {
	some f in target("arn:aws:ssm:us-east-1:1234:parameter/app/*")
	contains(f.message, "\"1234\" is not a 12-digit")
	contains(f.message, "takes the ARN of one resource")
	startswith(f.help, "write arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME")
}

test_the_fix_is_the_help if {
	some f in resources("arn:aws:ssm:us-east-1:111122223333:parameter")
	f.message == concat("", [
		"the Resource \"arn:aws:ssm:us-east-1:111122223333:parameter\" is not a well-formed SSM ARN: it ",
		"names no parameter",
	])
	f.help == "write parameter/NAME"
}

test_double_slash_with_unknown_parts_fires if {
	count(target("arn:\ue000:ssm:\ue000:\ue000:parameter//app/db")) == 1
}

test_double_slash_resource_fires_on_the_item if {
	paths(resources([good, "arn:aws:ssm:us-east-1:111122223333:parameter//app/db"])) == {["Statement", 0, "Resource", 1]}
}

test_bad_partition if {
	count(target("arn:amazon:ssm:us-east-1:111122223333:parameter/app/db")) == 1
}

test_bad_region if {
	count(target("arn:aws:ssm:US-EAST-1:111122223333:parameter/app/db")) == 1
	count(target("arn:aws:ssm:useast1:111122223333:parameter/app/db")) == 1
}

test_empty_region if {
	some f in target("arn:aws:ssm::111122223333:parameter/app/db")
	contains(f.message, "region is empty")
}

test_bad_account if {
	some f in target("arn:aws:ssm:us-east-1:11112222333:parameter/app/db")
	contains(f.message, "\"11112222333\" is not a 12-digit")
}

test_several_problems_in_one_finding if {
	count(target("arn:aws:ssm::1234:parameter//x")) == 1
	some f in target("arn:aws:ssm::1234:parameter//x")
	contains(f.message, "region is empty")
	contains(f.message, "\"1234\"")
	contains(f.message, "parameter//")
}

test_no_name if {
	count(target("arn:aws:ssm:us-east-1:111122223333:parameter/")) == 1
	count(target("arn:aws:ssm:us-east-1:111122223333:parameter")) == 1
	count(target("arn:aws:ssm:us-east-1:111122223333:opsitemgroup")) == 1
}

test_not_an_arn if {
	ats(target("/app/db")) == {"arn"}
	paths(resources("app/db")) == {["Statement", 0, "Resource"]}
}

test_too_few_fields if {
	count(target("arn:aws:ssm:us-east-1:parameter/app/db")) == 1
	count(resources("arn:aws:ssm:us-east-1:parameter/app/db")) == 1
}

test_wildcard_may_span_fields if {
	count(resources(["arn:aws:ssm:*", "arn:aws:ssm:us-east-1:*"])) == 0
}

test_too_long if {
	some f in target(concat(
		"",
		["arn:aws:ssm:us-east-1:111122223333:parameter/", concat("", [x | some _ in numbers.range(1, 2100); x := "a"])],
	))
	contains(f.message, "20 to 2048")
}

test_unknown_parts_are_fine if {
	count(target("arn:\ue000:ssm:\ue000:\ue000:parameter/\ue000")) == 0
	count(target("\ue000")) == 0
	count(target("arn:\ue000:parameter/x")) == 0
	count(resources([
		"\ue000",
		"arn:aws:ssm:us-east-1:${aws:PrincipalAccount}:parameter/x",
		"arn:aws:ssm:\ue000:111122223333:parameter\ue000",
	])) == 0
}

test_known_parts_are_still_checked if {
	count(target("arn:\ue000:ssm:\ue000:1234:parameter/app")) == 1
}

test_other_services_are_left_to_other_rules if {
	count(resources("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf")) == 0
	count(target("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf")) == 0
}

test_not_resource_values_are_checked if {
	paths(rule.report) == {["Statement", "NotResource", 0]} with input as {"policy": {"Statement": {
		"Effect": "Deny", "Principal": "*", "Action": "ssm:*",
		"NotResource": ["arn:aws:ssm:us-east-1:111:parameter/x"],
	}}}
}

test_wildcard_fields_are_not_checked if {
	count(resources("arn:aws:ssm:us-*:1111*:parameter/*")) == 0
}
