# METADATA
# title: Object names the same key twice
# description: >-
#   An object repeats a key. JSON readers keep one of the two silently (encoding/json keeps the
#   last), so half of what was written has no effect.
# custom:
#   id: duplicate-key
#   level: error
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/aws-facts.md, "The policy document"
package ssmpolicy.rules["duplicate-key"]

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
