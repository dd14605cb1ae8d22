# METADATA
# title: Deployed policy that no file in the repository describes
# description: >-
#   With audit --against PATH, a resource policy deployed in AWS for which no manifest,
#   CloudFormation template or Terraform plan under PATH describes a policy: it was made
#   outside the repository (the console, the CLI, another tool), or the file that made it is
#   gone.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetResourcePolicies.html
# custom:
#   id: share-outside-repo
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   engine: go
#   source: docs/audit.md, "Against a repository"
package ssmpolicy.rules["share-outside-repo"]

# audit reports this rule itself, from the files under --against; this package carries its
# metadata into the catalogue. Its tests are Go tests (audit/).
