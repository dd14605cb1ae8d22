# METADATA
# title: Shares only in eu-west-1, only with accounts
# description: >-
#   A team rule that calls the built-in functions directly: the target's region comes from
#   ssmpolicy.arn.parse, what each principal names from ssmpolicy.principal.describe.
# custom:
#   id: region-pinned
#   level: error
#   kinds: [parameter]
#   source: team policy style guide
package ssmpolicy.rules["region-pinned"]

import data.ssmpolicy.findings
import data.ssmpolicy.principals

report contains findings.fact("arn", sprintf("parameters are shared from eu-west-1 only, not %s", [region])) if {
	region := ssmpolicy.arn.parse(input.resource.arn).region
	region != "eu-west-1"
}

report contains findings.at(e.path, sprintf("share with accounts only, not a %s", [kind])) if {
	some e in principals.entries
	kind := ssmpolicy.principal.describe(e.type, e.value).kind
	not kind in {"account", "*"}
}
