package ssmpolicy.rules["resource-kind_test"]

import data.ssmpolicy.rules["resource-kind"] as rule

ats(r) := {f.at | some f in r}

resource(arn) := {"arn": arn, "service": p[2], "type": t[0], "id": concat("/", array.slice(t, 1, count(t)))} if {
	p := split(arn, ":")
	t := split(p[5], "/")
}

check(arn) := r if {
	r := rule.report with input as {"policy": {"Statement": []}, "resource": resource(arn)}
}

test_parameter_passes if {
	count(check("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")) == 0
}

test_default_opsitemgroup_passes if {
	count(check("arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default")) == 0
}

test_other_opsitemgroup_fires_at_the_arn if {
	ats(check("arn:aws:ssm:us-east-1:111122223333:opsitemgroup/other")) == {"arn"}
}

test_document_fires if {
	ats(check("arn:aws:ssm:us-east-1:111122223333:document/MyDoc")) == {"arn"}
}

test_opsitem_is_not_a_target if {
	ats(check("arn:aws:ssm:us-east-1:111122223333:opsitem/oi-0123456789ab")) == {"arn"}
}

test_other_service_fires_once if {
	count(check("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf")) == 1
}

test_unknown_parts_are_not_a_guess if {
	count(check("arn:\ue000:ssm:\ue000:\ue000:\ue000")) == 0
	count(check("arn:aws:ssm:us-east-1:111122223333:opsitemgroup/\ue000")) == 0
	count(check("arn:aws:\ue000:us-east-1:111122223333:parameter/x")) == 0
}

test_unknown_arn_does_not_run if {
	count(rule.report) == 0 with input as {"policy": {"Statement": []}}
}

test_unparsed_arn_is_left_to_resource_format if {
	count(rule.report) == 0 with input as {"policy": {"Statement": []}, "resource": {"arn": "/app/db"}}
}

test_message_names_the_type if {
	some f in check("arn:aws:ssm:us-east-1:111122223333:document/MyDoc")
	contains(f.message, "\"document\"")
}
