# METADATA
# title: The input and AWS disagree about the parameter
# description: >-
#   With --live, the tier, type or KMS key a manifest, template, plan or context flag gives
#   differs from what DescribeParameters says. The checks use AWS's value; the finding points
#   at the value the input wrote, so that it can be corrected.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
# custom:
#   id: context-mismatch
#   level: warning
#   kinds: [parameter]
#   engine: go
#   source: docs/aws-facts.md, "The API"; docs/apply.md, "--live"
package ssmpolicy.rules["context-mismatch"]

# The command line reports this rule itself, from the --live lookup; this package carries its
# metadata into the catalogue. Its tests are Go tests (cli/live_test.go).
