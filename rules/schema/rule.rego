# METADATA
# title: Policy grammar is broken
# description: >-
#   An element is unknown, has the wrong type, or is missing (Effect, Action, Resource,
#   Principal), Principal and NotPrincipal are given together, or Statement is empty. Checked
#   against the policy grammar in schema/policy.schema.json.
# custom:
#   id: schema
#   level: error
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/aws-facts.md, "The policy grammar"
package ssmpolicy.rules.schema

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
