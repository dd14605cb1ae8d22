# METADATA
# title: Slow
# description: Does ten billion steps of work.
# custom:
#   id: slow
#   level: warning
#   kinds: [parameter]
#   source: none
package ssmpolicy.rules.slow

report contains {"path": [], "message": "done"} if {
	count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1000000]) > 0
}
