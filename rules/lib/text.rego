# METADATA
# description: |
#   What a string of the policy or the target says: parts known only at deploy time, IAM
#   wildcards, and how a value is written in a message.
#
#   A string containing text.unknown_marker has parts known only at deploy time (a
#   CloudFormation pseudo parameter, a Terraform value known after apply): rules treat it as
#   "could be anything" and never report on a guess.
package ssmpolicy.text

# unknown_marker stands in a string for a part known only at deploy time.
unknown_marker := "\ue000"

# unknown(s) holds when s has a part known only at deploy time.
unknown(s) if contains(s, unknown_marker)

# wildcard(s) holds for a string with an IAM wildcard.
wildcard(s) if contains(s, "*")

wildcard(s) if contains(s, "?")

# special(s) holds when s has an IAM wildcard or a part known only at deploy time.
special(s) if wildcard(s)

special(s) if unknown(s)

# shown(s) writes a value for a message, its unknown parts as <unknown>.
shown(s) := strings.replace_n({unknown_marker: "<unknown>"}, s)

# quoted(s) quotes s for a message, its deploy-time parts written <unknown>.
quoted(s) := sprintf("%q", [replace(s, unknown_marker, "<unknown>")])
