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

# unknown(s) holds when s has a part known only at deploy time. (These three are called for
# most strings of a policy: each is one call of a built-in, the marker written out.)
unknown(s) if contains(s, "\ue000")

# wildcard(s) holds for a string with an IAM wildcard.
wildcard(s) if regex.match(`[*?]`, s)

# special(s) holds when s has an IAM wildcard or a part known only at deploy time.
special(s) if regex.match(`[*?\x{E000}]`, s)

# shown(s) writes a value for a message, its unknown parts as <unknown>.
shown(s) := strings.replace_n({unknown_marker: "<unknown>"}, s)

# quoted(s) quotes s for a message, its deploy-time parts written <unknown>.
quoted(s) := sprintf("%q", [replace(s, unknown_marker, "<unknown>")])
