# METADATA
# title: Checks did not run for lack of facts
# description: >-
#   A rule needs a fact no input gave (the resource ARN, the parameter's tier, type or key). The
#   rule does not guess; one finding per target says which checks did not run and how to give
#   the facts.
# custom:
#   id: context-missing
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/inputs.md, "What stays unknown"
package ssmpolicy.rules["context-missing"]

# The engine reports this rule itself (it is about reading the input, not the policy's
# meaning); this package carries its metadata into the catalogue. Its tests are Go tests.
