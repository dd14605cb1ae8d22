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
#   source: IAM grammar (SSM-FACTS.md); RFC 8259 section 4 (names SHOULD be unique)
package ssmpolicy.rules["duplicate-key"]

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
