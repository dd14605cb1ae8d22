# METADATA
# description: |
#   ARNs: the AWS partitions, account ids and region names, and what is wrong with an ARN that
#   is meant to be an SSM ARN. The fields of an ARN are the built-in ssmpolicy.arn.parse.
package ssmpolicy.arns

import data.ssmpolicy.text

partitions := {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

# account_id matches a 12-digit AWS account id.
account_id(s) if regex.match(`^[0-9]{12}$`, s)

# region_name matches an AWS region: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1,
# eusc-de-east-1.
region_name(s) if regex.match(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`, s)

# ssm_well_formed(s) is the fast path of resource-format: a fully known parameter, opsitem or
# opsitemgroup ARN with nothing to report.
ssm_well_formed(s) if regex.match(_ssm_regex, s)

_ssm_regex := concat("", [
	"^arn:(", concat("|", partitions), "):ssm:[a-z]{2,4}(-[a-z]+)+-[0-9]+:[0-9]{12}:",
	"(parameter/[^/*?\ue000]|opsitem/[^*?\ue000]|opsitemgroup/[^*?\ue000])[^*?\ue000]*$",
])

# ssm_problems(s) lists what is wrong with an ARN whose service is ssm (or not known), one
# clause per field; [] when nothing is, or when the ARN is not an SSM ARN.
ssm_problems(s) := [m | some i in numbers.range(1, 5); m := _problem(f, i)] if {
	f := ssmpolicy.arn.parse(s)
	not _other_service(f.service)
}

ssm_problems(s) := [] if {
	f := ssmpolicy.arn.parse(s)
	_other_service(f.service)
}

_other_service(s) if {
	_checked(s)
	s != "ssm"
}

# _checked(s) holds for an ARN field that can be checked: no wildcard, no unknown part.
_checked(s) if not text.special(s)

_problem(f, 1) := msg if {
	_checked(f.partition)
	not f.partition in partitions
	msg := sprintf("the partition %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", [f.partition])
}

_problem(f, 3) := "the region is empty, and an SSM ARN needs one (like us-east-1)" if {
	f.region == ""
}

_problem(f, 3) := sprintf("the region %q is not a region like us-east-1", [f.region]) if {
	f.region != ""
	_checked(f.region)
	not region_name(f.region)
}

_problem(f, 4) := "the account is empty, and an SSM ARN needs the 12-digit account id" if {
	f.account == ""
}

_problem(f, 4) := sprintf("the account %q is not a 12-digit account id", [f.account]) if {
	f.account != ""
	_checked(f.account)
	not account_id(f.account)
}

_problem(f, 5) := concat("", [
	"it has \"parameter//\", and the ARN of a parameter named /a/b is ...:parameter/a/b, with one ",
	"slash",
]) if {
	startswith(f.resource, "parameter//")
}

_problem(f, 5) := sprintf("it names no %s", [t]) if {
	t := trim_suffix(f.resource, "/")
	t in {"parameter", "opsitem"}
}

_problem(f, 5) := "it names no OpsItemGroup" if {
	f.resource in {"opsitemgroup", "opsitemgroup/"}
}

# ssm_fix(s) says how to write the SSM ARN s, for the problems ssm_problems lists.
ssm_fix(s) := concat("", [
	"write one slash after parameter (in CloudFormation, parameter${P} for a Name that starts with /, ",
	"since parameter/${P} yields parameter//...)",
]) if {
	startswith(ssmpolicy.arn.parse(s).resource, "parameter//")
} else := sprintf("write %s/NAME", [t]) if {
	t := trim_suffix(ssmpolicy.arn.parse(s).resource, "/")
	t in {"parameter", "opsitem"}
} else := "write opsitemgroup/default" if {
	ssmpolicy.arn.parse(s).resource in {"opsitemgroup", "opsitemgroup/"}
} else := ssm_form

# ssm_form is how an SSM ARN is written.
ssm_form := "write arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME (or opsitemgroup/default)"
