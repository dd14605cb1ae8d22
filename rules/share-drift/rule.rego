# METADATA
# title: Deployed policy differs from the file that describes it
# description: >-
#   With audit --against PATH, a resource policy deployed in AWS that differs from every
#   policy the files under PATH describe for the resource, compared as parsed JSON the way
#   apply compares (whitespace, key order, a single statement or string against a one-element
#   list, an account id against its root ARN are not drift). The message names the principals
#   and actions it grants beyond the file.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetResourcePolicies.html
# custom:
#   id: share-drift
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/audit.md, "Against a repository"; docs/apply.md, "The plan"
package ssmpolicy.rules["share-drift"]

# audit reports this rule itself, comparing what AWS holds with the files under --against;
# this package carries its metadata into the catalogue. Its tests are Go tests (audit/).
