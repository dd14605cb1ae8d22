# METADATA
# title: The parameter does not exist in AWS
# description: >-
#   With --live, DescribeParameters finds no parameter with the target's name in the account
#   and region the credentials point at. PutResourcePolicy would fail with
#   ResourceNotFoundException.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
# custom:
#   id: resource-not-found
#   level: error
#   kinds: [parameter]
#   engine: go
#   source: docs/aws-facts.md, "The API"; docs/apply.md, "--live"
package ssmpolicy.rules["resource-not-found"]

# The command line reports this rule itself, from the --live lookup; this package carries its
# metadata into the catalogue. Its tests are Go tests (cli/live_test.go).
