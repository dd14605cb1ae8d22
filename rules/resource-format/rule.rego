# METADATA
# title: Malformed SSM ARN
# description: >-
#   The target's ARN or a Resource value is not a well-formed SSM ARN: an unknown partition, a
#   region that is empty or not like us-east-1, an account that is not 12 digits,
#   parameter//NAME (two slashes, the CloudFormation parameter/${P} trap), no resource name,
#   or a target ARN outside the 20 to 2048 characters the API accepts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutResourcePolicy.html
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
# custom:
#   id: resource-format
#   level: error
#   kinds: [parameter, opsitemgroup]
#   source: SSM-FACTS.md, "Which resources"
package ssmpolicy.rules.resource_format

import data.ssmpolicy.lib

# The target's ARN.
report contains lib.fact_finding("arn", msg) if {
	arn := input.resource.arn
	not fast_pass(arn)
	problems := array.concat(shape(arn), length(arn))
	count(problems) > 0
	msg := sprintf("the resource ARN %q is malformed: %s", [lib.shown(arn), concat("; ", problems)])
}

# Every Resource and NotResource value, of every statement. "*" is fine, and so is a value
# with a wildcard that may stand for several fields.
report contains lib.finding(r.path, msg) if {
	some r in lib.resource_values
	r.value != "*"
	not lib.well_formed_ssm_arn(r.value)
	v := lib.resource_value(r.value)
	problems := shape(v)
	count(problems) > 0
	msg := sprintf("the %s %q is not a well-formed SSM ARN: %s", [r.name, lib.shown(r.value), concat("; ", problems)])
}

# fast_pass(arn): the common case, a well-formed ARN of a sane length.
fast_pass(arn) if {
	count(arn) <= 2048
	lib.well_formed_ssm_arn(arn)
}

# shape(s) lists what is wrong with the fields of s.
shape(s) := ["it is not an ARN: write arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME (or opsitemgroup/default)"] if {
	not startswith(s, "arn:")
	s != "*"
	not lib.iam_special(s)
}

shape(s) := [sprintf("it has %d of the 6 colon-separated fields arn:PARTITION:ssm:REGION:ACCOUNT:RESOURCE", [count(split(s, ":"))])] if {
	startswith(s, "arn:")
	count(split(s, ":")) < 6
	not lib.iam_special(s)
}

shape(s) := lib.ssm_arn_problems(s) if {
	startswith(s, "arn:")
	count(split(s, ":")) >= 6
}

shape(s) := [] if {
	not startswith(s, "arn:")
	lib.iam_special(s)
}

shape("*") := []

shape(s) := [] if {
	startswith(s, "arn:")
	count(split(s, ":")) < 6
	lib.iam_special(s)
}

# length(arn) checks the API's bounds on ResourceArn; unknown parts count as nothing, so an
# ARN is reported as too short only when it is fully known.
length(arn) := [sprintf("it is %d characters long, and PutResourcePolicy takes 20 to 2048", [n])] if {
	not lib.unknown(arn)
	n := count(arn)
	n < 20
}

length(arn) := [sprintf("it is at least %d characters long, and PutResourcePolicy takes 20 to 2048", [n])] if {
	n := count(replace(arn, lib.unknown_marker, ""))
	n > 2048
}

length(arn) := [] if {
	n := count(replace(arn, lib.unknown_marker, ""))
	n <= 2048
	not short(arn)
}

short(arn) if {
	not lib.unknown(arn)
	count(arn) < 20
}
