# METADATA
# title: My version rule
# description: Reuses a built-in id.
# custom:
#   id: version
#   level: error
#   kinds: [parameter]
#   source: none
package ssmpolicy.rules.my_version

report contains {"path": [], "message": "x"} if false
