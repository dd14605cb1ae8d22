# METADATA
# title: SecureString parameter uses an AWS managed key
# description: >-
#   A shared SecureString parameter must be encrypted with a customer managed KMS key: AWS
#   managed keys (no key, alias/aws/ssm, any alias/aws/ key, or a key whose KeyManager is AWS)
#   cannot be shared, so consumers cannot decrypt the value.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
#   - ref: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
# custom:
#   id: securestring-key
#   level: error
#   kinds: [parameter]
#   requires: [type, key]
#   source: docs/aws-facts.md, "Sharing a parameter"
package ssmpolicy.rules["securestring-key"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.target
import data.ssmpolicy.text

_fix := concat("", [
	"encrypt the parameter with a customer managed key, and share that key with the consumer accounts ",
	"through KMS separately",
])

_cannot := "and AWS managed keys cannot be shared"

report contains findings.fact_help("key", msg, _fix) if {
	_secure
	input.parameter.key_id == ""
	msg := sprintf(
		"the SecureString parameter names no KMS key, so it is encrypted with the AWS managed key alias/aws/ssm, %s",
		[_cannot],
	)
}

report contains findings.fact_help("key", msg, _fix) if {
	_secure
	key := input.parameter.key_id
	_aws_alias(key)
	msg := sprintf(
		concat("", [
			"the SecureString parameter is encrypted with %q, an AWS managed key (the alias/aws/ prefix is ",
			"reserved for them), %s",
		]),
		[text.shown(key), _cannot],
	)
}

report contains findings.fact_help("key", msg, _fix) if {
	_secure
	input.parameter.key_manager == "AWS"
	not _named_aws_key
	msg := sprintf(
		"the SecureString parameter's key%s is an AWS managed key (KMS says its KeyManager is AWS), %s",
		[_key_text, _cannot],
	)
}

# _named_aws_key holds when the key's name already says it is AWS managed (reported above).
_named_aws_key if input.parameter.key_id == ""

_named_aws_key if _aws_alias(input.parameter.key_id)

_key_text := sprintf(" %q", [text.shown(input.parameter.key_id)]) if input.parameter.key_id

_key_text := "" if not input.parameter.key_id

# _secure holds for a SecureString parameter (only parameters have a type; an OpsItemGroup
# target has none).
_secure if {
	input.parameter.type == "SecureString"
	not target.kind == "opsitemgroup"
}

_aws_alias(key) if startswith(key, "alias/aws/")

_aws_alias(key) if {
	f := ssmpolicy.arn.parse(key)
	f.service == "kms"
	startswith(f.resource, "alias/aws/")
}
