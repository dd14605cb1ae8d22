# METADATA
# title: Principal is in another partition than the resource
# description: >-
#   AWS partitions (aws, aws-cn, aws-us-gov, ...) are separate: a principal of one partition
#   cannot be granted access to a resource of another. A principal ARN, or a China service
#   principal (.amazonaws.com.cn), in another partition than the resource's ARN is an error.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
# custom:
#   id: principal-partition
#   level: error
#   kinds: [parameter, opsitemgroup]
#   requires: [arn]
#   source: docs/aws-facts.md, "ARNs and partitions"
package ssmpolicy.rules["principal-partition"]

import data.ssmpolicy.arns
import data.ssmpolicy.findings
import data.ssmpolicy.principals
import data.ssmpolicy.text

_resource_partition := p if {
	p := input.resource.partition
	p in arns.partitions
}

report contains findings.at_help(e.path, msg, help) if {
	some partition, group in principals.by_partition
	partition in arns.partitions
	partition != _resource_partition
	some e in group
	msg := sprintf(
		"%s is in the %s partition, but the resource is in %s, and partitions are separate",
		[text.quoted(e.value), e.partition, _resource_partition],
	)
	help := sprintf("grant a principal of the %s partition", [_resource_partition])
}

report contains findings.at_help(e.path, msg, help) if {
	_resource_partition != "aws-cn"
	some e in principals.by_type.Service
	endswith(e.value, ".amazonaws.com.cn")
	msg := sprintf(
		"%q is a service principal of the China partition (aws-cn), but the resource is in %s",
		[e.value, _resource_partition],
	)
	help := sprintf("write %q", [trim_suffix(e.value, ".cn")])
}
