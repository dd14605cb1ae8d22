# METADATA
# title: Shared parameter's RAM share is not promoted
# description: >-
#   audit found a parameter shared through a resource share that PutResourcePolicy created
#   (featureSet CREATED_FROM_POLICY). Until the share is promoted to a standard share, the
#   accounts the policy grants do not see the parameter with DescribeParameters --shared, and
#   the share cannot be managed in RAM.
# related_resources:
#   - ref: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutResourcePolicy.html
#   - ref: https://docs.aws.amazon.com/ram/latest/APIReference/API_PromoteResourceShareCreatedFromPolicy.html
# custom:
#   id: share-not-promoted
#   level: warning
#   kinds: [parameter]
#   engine: go
#   source: docs/aws-facts.md, "Promoting a parameter share"; docs/audit.md, "What it reads"
package ssmpolicy.rules["share-not-promoted"]

# audit reports this rule itself, from the RAM shares it reads; this package carries its
# metadata into the catalogue. Its tests are Go tests (audit/).
