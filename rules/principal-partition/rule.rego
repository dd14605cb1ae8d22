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
#   source: SSM-FACTS.md, "Which resources"
package ssmpolicy.rules.principal_partition

import data.ssmpolicy.lib

resource_partition := p if {
	p := input.resource.partition
	p in lib.partitions
}

report contains lib.finding(e.path, msg) if {
	some e in lib.principal_entries
	e.partition in lib.partitions
	e.partition != resource_partition
	msg := sprintf("%s is in the %s partition, but the resource is in %s: partitions are separate, grant a principal of the %s partition", [lib.principal_shown(e.value), e.partition, resource_partition, resource_partition])
}

report contains lib.finding(e.path, msg) if {
	some e in lib.principal_entries
	e.type == "Service"
	endswith(e.value, ".amazonaws.com.cn")
	resource_partition != "aws-cn"
	msg := sprintf("%q is a service principal of the China partition (aws-cn), but the resource is in %s: write %q", [e.value, resource_partition, trim_suffix(e.value, ".cn")])
}
