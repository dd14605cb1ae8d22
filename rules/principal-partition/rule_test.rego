package ssmpolicy.rules["principal-partition_test"]

import data.ssmpolicy.rules["principal-partition"] as rule

paths(r) := {f.path | some f in r}

stmt(extra) := object.union({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}, extra)

china := {
	"arn": "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/x",
	"partition": "aws-cn",
	"account": "111122223333",
	"type": "parameter",
	"id": "x",
}

commercial := object.union(china, {"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/x", "partition": "aws"})

test_principal_in_another_partition_fires if {
	paths(rule.report) == {["Statement", 0, "Principal", "AWS", i] | some i in [0, 3]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": [
			"arn:aws:iam::444455556666:root",
			"arn:aws-cn:iam::444455556666:root",
			"444455556666",
			"arn:aws:iam::\ue000:role/app",
			"arn:\ue000:iam::444455556666:root",
			"arn:aws-foo:iam::444455556666:root",
		]}})]},
		"resource": china,
	}
}

test_message_names_both_partitions if {
	some f in rule.report with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:root"}})]},
		"resource": china,
	}
	contains(f.message, "aws partition")
	contains(f.message, "aws-cn")
	startswith(f.help, "grant a principal of the")
}

test_same_partition_passes if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:root"}})]},
		"resource": commercial,
	}
}

test_arn_unknown_does_not_fire if {
	doc := {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:root"}})]}
	count(rule.report) == 0 with input as {"policy": doc}
}

test_unknown_resource_partition_never_fires if {
	count(rule.report) == 0 with input as {
		"policy": {"Statement": [stmt({"Principal": {"AWS": "arn:aws:iam::444455556666:root"}})]},
		"resource": object.union(china, {"partition": "\ue000"}),
	}
}

test_single_statement_object_not_principal if {
	paths(rule.report) == {["Statement", "NotPrincipal", "AWS"]} with input as {
		"policy": {"Statement": object.union(
			stmt({"NotPrincipal": {"AWS": "arn:aws-cn:iam::444455556666:root"}}),
			{"Effect": "Deny"},
		)},
		"resource": commercial,
	}
}

test_china_service_principal_elsewhere if {
	paths(rule.report) == {["Statement", 0, "Principal", "Service", 1]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"Service": ["ssm.amazonaws.com", "ssm.amazonaws.com.cn"]}})]},
		"resource": commercial,
	}
}

test_federated_provider_arn if {
	paths(rule.report) == {["Statement", 0, "Principal", "Federated"]} with input as {
		"policy": {"Statement": [stmt({"Principal": {"Federated": "arn:aws-us-gov:iam::444455556666:saml-provider/corp"}})]},
		"resource": commercial,
	}
}
