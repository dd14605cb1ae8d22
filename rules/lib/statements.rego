# METADATA
# description: |
#   The statements of the policy, and the strings of their elements, each with its path in the
#   policy, so that a rule reports *where* and Go turns the path into a line and column.
#
#   The input document:
#     input.policy        the policy, as written
#     input.policy_size   its size in bytes, compacted to one line as it is sent
#     input.resource      the target resource, when its ARN is known: arn, partition, service,
#                         region, account, type ("parameter", "opsitemgroup", or what the ARN
#                         says), id (the text after the type and its slash)
#     input.parameter     what is known of the parameter: tier, type, key_id, key_manager
#     input.config        accounts_allowed (a list, when configured)
package ssmpolicy.statements

# list is the list of statements, each {"path": [...], "value": {...}}, for both forms of
# Statement: one object or a list (the built-in ssmpolicy.policy.statements). Defined here once,
# it is computed once per policy for all the rules.
list := ssmpolicy.policy.statements(input.policy)

# values(x, path) lists the strings of an element written as a string or a list of strings,
# each {"value": v, "path": p}.
values(x, path) := [{"value": x, "path": path}] if is_string(x)

values(x, path) := [e |
	some i, v in x
	is_string(v)
	e := {"value": v, "path": array.concat(path, [i])}
] if {
	is_array(x)
}

values(x, _) := [] if {
	not is_string(x)
	not is_array(x)
}

# element(st, name) lists the strings of the statement's element name (Action, Resource, ...).
element(st, name) := values(st.value[name], array.concat(st.path, [name]))

element(st, name) := [] if not st.value[name]

# allow(st) holds for a statement whose Effect is Allow.
allow(st) if st.value.Effect == "Allow"
