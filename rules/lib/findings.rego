# METADATA
# description: |
#   The two shapes of a finding. A rule reports where, never a line or column: the engine turns
#   the path into the position in the file the user edits.
package ssmpolicy.findings

# at(path, message) is a finding at a path in the policy.
at(path, message) := {"path": path, "message": message}

# fact(about, message) is a finding about a fact of the target; about is arn, tier, type, key,
# document (the whole policy) or origin (where the target was declared).
fact(about, message) := {"at": about, "path": [], "message": message}

# at_help(path, message, help) is a finding at a path with the fix apart: the message says
# what is wrong, help how to put it right (shown on a line of its own).
at_help(path, message, help) := object.union(at(path, message), {"help": help})

# fact_help(about, message, help) is a finding about a fact of the target with the fix apart.
fact_help(about, message, help) := object.union(fact(about, message), {"help": help})
