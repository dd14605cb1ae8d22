# METADATA
# description: The resource the policy is for, as far as its ARN is known.
package ssmpolicy.target

# kind is the resource kind of the target, when its ARN is known: parameter or opsitemgroup.
kind := input.resource.type if input.resource.type in {"parameter", "opsitemgroup"}
