# METADATA
# title: Ignore entry is past its expiry date
# description: >-
#   An ignore entry of the configuration has an expires date in the past: the findings it
#   silenced are reported again, and this finding names the entry's line.
# custom:
#   id: suppression-expired
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/configuration.md, "Suppressions"
package ssmpolicy.rules["suppression-expired"]

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
