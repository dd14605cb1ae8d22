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
#   source: docs/aws-facts.md, "ARNs and partitions" and "Which resources take a policy"
package ssmpolicy.rules["resource-format"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.resources
import data.ssmpolicy.text

# The target's ARN.
report contains findings.fact_help("arn", msg, _target_fix(arn)) if {
	arn := input.resource.arn
	not _fast_pass(arn)
	problems := array.concat(array.concat(_shape(arn), _length(arn)), _one_resource(arn))
	count(problems) > 0
	msg := sprintf("the resource ARN %q is malformed: %s", [text.shown(arn), concat("; ", problems)])
}

# Every Resource and NotResource value, of every statement. "*" is fine, and so is a value
# with a wildcard that may stand for several fields.
report contains findings.at_help(r.path, msg, arns.ssm_fix(v)) if {
	some r in resources.values
	r.value != "*"
	not arns.ssm_well_formed(r.value)
	v := resources.value(r.value)
	problems := _shape(v)
	count(problems) > 0
	msg := sprintf("the %s %q is not a well-formed SSM ARN: %s", [r.name, text.shown(r.value), concat("; ", problems)])
}

# _fast_pass(arn): the common case, a well-formed ARN of a sane length.
_fast_pass(arn) if {
	count(arn) <= 2048
	arns.ssm_well_formed(arn)
}

# _one_resource(arn): PutResourcePolicy takes the ARN of one resource. A wildcard in the target
# ARN names none: parameter names have no * or ?, and the API does not match patterns.
_one_resource(arn) := ["it has a wildcard (* or ?), and PutResourcePolicy takes the ARN of one resource"] if {
	text.wildcard(arn)
} else := []

_target_fix(arn) := "name the one parameter (or opsitemgroup/default) the policy is for, without * or ?" if {
	text.wildcard(arn)
	count(_shape(arn)) == 0
} else := arns.ssm_fix(arn)

# _shape(s) lists what is wrong with the fields of s.
_shape(s) := ["it is not an ARN"] if {
	not startswith(s, "arn:")
	s != "*"
	not text.special(s)
}

_shape(s) := [sprintf(
	"it has %d of the 6 colon-separated fields arn:PARTITION:ssm:REGION:ACCOUNT:RESOURCE",
	[count(split(s, ":"))],
)] if {
	startswith(s, "arn:")
	count(split(s, ":")) < 6
	not text.special(s)
}

_shape(s) := arns.ssm_problems(s) if {
	startswith(s, "arn:")
	count(split(s, ":")) >= 6
}

_shape(s) := [] if {
	not startswith(s, "arn:")
	text.special(s)
}

_shape("*") := []

_shape(s) := [] if {
	startswith(s, "arn:")
	count(split(s, ":")) < 6
	text.special(s)
}

# _length(arn) checks the API's bounds on ResourceArn; unknown parts count as nothing, so an
# ARN is reported as too short only when it is fully known.
_length(arn) := [sprintf("it is %d characters long, and PutResourcePolicy takes 20 to 2048", [n])] if {
	not text.unknown(arn)
	n := count(arn)
	n < 20
}

_length(arn) := [sprintf("it is at least %d characters long, and PutResourcePolicy takes 20 to 2048", [n])] if {
	n := count(replace(arn, text.unknown_marker, ""))
	n > 2048
}

_length(arn) := [] if {
	n := count(replace(arn, text.unknown_marker, ""))
	n <= 2048
	not _short(arn)
}

_short(arn) if {
	not text.unknown(arn)
	count(arn) < 20
}
