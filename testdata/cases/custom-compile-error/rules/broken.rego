# METADATA
# title: Broken
# description: Does not compile.
# custom:
#   id: broken
#   level: error
#   kinds: [parameter]
#   source: none
package ssmpolicy.rules.broken

report contains {"path": [], "message": x} if {
	x := undefined_function(input.policy)
}
