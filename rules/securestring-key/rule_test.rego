package ssmpolicy.rules["securestring-key_test"]

import data.ssmpolicy.rules["securestring-key"] as rule

ats(r) := {f.at | some f in r}

# check(p) is what the rule reports on a parameter target with the facts p.
check(p) := r if {
	r := rule.report with input as {
		"policy": {"Statement": []},
		"resource": {"type": "parameter", "arn": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"},
		"parameter": p,
	}
}

test_no_key_fires_at_the_key if {
	ats(check({"type": "SecureString", "key_id": ""})) == {"key"}
}

test_default_alias_fires if {
	ats(check({"type": "SecureString", "key_id": "alias/aws/ssm"})) == {"key"}
}

test_other_aws_alias_fires if {
	count(check({"type": "SecureString", "key_id": "alias/aws/secretsmanager"})) == 1
}

test_aws_alias_arn_fires if {
	count(check({"type": "SecureString", "key_id": "arn:aws:kms:us-east-1:111122223333:alias/aws/ssm"})) == 1
}

test_key_manager_aws_fires if {
	count(check({"type": "SecureString", "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "key_manager": "AWS"})) == 1
}

test_key_manager_aws_and_aws_alias_fire_once if {
	count(check({"type": "SecureString", "key_id": "alias/aws/ssm", "key_manager": "AWS"})) == 1
}

test_customer_alias_passes if {
	count(check({"type": "SecureString", "key_id": "alias/app-secrets"})) == 0
	count(check({"type": "SecureString", "key_id": "alias/app-secrets", "key_manager": "CUSTOMER"})) == 0
	count(check({"type": "SecureString", "key_id": "arn:aws:kms:us-east-1:111122223333:alias/awsome"})) == 0
	count(check({
		"type": "SecureString",
		"key_id": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	})) == 0
}

test_string_parameter_passes if {
	count(check({"type": "String", "key_id": "alias/aws/ssm"})) == 0
}

test_key_absent_is_not_a_guess if {
	count(check({"type": "SecureString"})) == 0
}

test_type_absent_is_not_a_guess if {
	count(check({"key_id": ""})) == 0
}

test_unknown_key_is_not_a_guess if {
	count(check({"type": "SecureString", "key_id": "\ue000"})) == 0
	count(check({"type": "SecureString", "key_id": "alias/\ue000"})) == 0
}

test_unknown_key_under_the_aws_prefix_fires if {
	count(check({"type": "SecureString", "key_id": "alias/aws/\ue000"})) == 1
}

test_unknown_arn_with_type_given_fires if {
	count(rule.report) == 1 with input as {
		"policy": {"Statement": []},
		"parameter": {"type": "SecureString", "key_id": "alias/aws/ssm"},
	}
}

test_opsitemgroup_has_no_key if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": []},
		"resource": {"type": "opsitemgroup"},
		"parameter": {"type": "SecureString", "key_id": ""},
	}
}

test_message_says_to_share_the_key_through_kms if {
	some f in check({"type": "SecureString", "key_id": ""})
	contains(f.message, "alias/aws/ssm")
	contains(f.help, "customer managed key")
	contains(f.help, "through KMS")
}
