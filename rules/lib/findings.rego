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

# on_key(f) places the finding f on the key its path ends in rather than on that key's value:
# for a finding about a key (a misspelt operator, a condition key, an element that should not
# be there). A finding about a value stays on the value.
on_key(f) := object.union(f, {"key": true})

# at_level(f, level) marks f with a level below its rule's default, one of the rule's
# custom.levels: version reports an invalid value as an error and the old one as a warning. A
# level set in the configuration replaces the default; no finding is shown above it.
at_level(f, level) := object.union(f, {"level": level})
