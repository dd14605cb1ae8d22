# METADATA
# title: Document is not valid JSON or YAML
# description: >-
#   The policy, or the manifest or template that holds it, does not parse. The finding points at
#   the first character the parser could not read.
# custom:
#   id: invalid-json
#   level: error
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/aws-facts.md, "The policy document"
package ssmpolicy.rules["invalid-json"]

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
