# Helpers shared by the rules. Every helper returns elements together with their path in the
# policy, so that a rule reports *where* and Go turns the path into a line and column.
#
# The input document:
#   input.policy        the policy, as written
#   input.policy_size   its size in bytes, compacted to one line as it is sent
#   input.resource      the target resource, when its ARN is known: arn, partition, service,
#                       region, account, type ("parameter", "opsitemgroup", or what the ARN says),
#                       id (the text after the type and its slash)
#   input.parameter     what is known of the parameter: tier, type, key_id, key_manager
#   input.config        accounts_allowed (a list, when configured)
#   input.derived       lists computed by the engine, shared by many rules (see statements)
# A string containing lib.unknown_marker has parts known only at deploy time: rules treat it
# as "could be anything" and never report on a guess.
package ssmpolicy.lib

# unknown_marker stands in a string for a part known only at deploy time.
unknown_marker := "\ue000"

# unknown(s) holds when s has a part known only at deploy time.
unknown(s) if contains(s, unknown_marker)

# statements is the list of statements, each {"path": [...], "value": {...}}, for both forms
# of Statement: one object or a list. The engine computes it (and the other shared lists) in Go
# as input.derived; the Rego definitions below give the same lists when it is absent, as in
# the rules' tests, and a Go test checks that the two agree.
statements := input.derived.statements if input.derived

statements := [st |
	some i, s in input.policy.Statement
	is_object(s)
	st := {"path": ["Statement", i], "value": s}
] if {
	not input.derived
	is_array(input.policy.Statement)
}

statements := [{"path": ["Statement"], "value": input.policy.Statement}] if {
	not input.derived
	is_object(input.policy.Statement)
}

# values(x, path) lists the strings of an element written as a string or a list of strings,
# each {"value": v, "path": p}.
values(x, path) := [{"value": x, "path": path}] if is_string(x)

values(x, path) := [e |
	some i, v in x
	is_string(v)
	e := {"value": v, "path": array.concat(path, [i])}
] if is_array(x)

values(x, _) := [] if {
	not is_string(x)
	not is_array(x)
}

# element(st, name) lists the strings of the statement's element name (Action, Resource, ...).
element(st, name) := values(st.value[name], array.concat(st.path, [name]))

element(st, name) := [] if not st.value[name]

allow(st) if st.value.Effect == "Allow"

# principals(st, name) lists the principals of Principal or NotPrincipal, each
# {"type": "*" | "AWS" | "Service" | "Federated" | "CanonicalUser", "value": v, "path": p}.
principals(st, name) := [{"type": "*", "value": "*", "path": array.concat(st.path, [name])}] if {
	st.value[name] == "*"
}

principals(st, name) := [p |
	is_object(st.value[name])
	some kind, x in st.value[name]
	some v in values(x, array.concat(st.path, [name, kind]))
	p := {"type": kind, "value": v.value, "path": v.path}
] if is_object(st.value[name])

principals(st, name) := [] if {
	not st.value[name] == "*"
	not is_object(st.value[name])
}

# account_id matches a 12-digit AWS account id.
account_id(s) if regex.match(`^[0-9]{12}$`, s)

# account_of(v) is the account an AWS principal names: a 12-digit id, or the account's root
# ARN arn:PARTITION:iam::ACCOUNT:root (IAM treats the two as the same principal).
account_of(v) := v if account_id(v)

account_of(v) := parts[4] if {
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[2] == "iam"
	parts[3] == ""
	parts[5] == "root"
	account_id(parts[4])
}

# arn_parts(s) splits an ARN into its fields; the resource part keeps its colons.
arn_parts(s) := {
	"partition": parts[1],
	"service": parts[2],
	"region": parts[3],
	"account": parts[4],
	"resource": concat(":", array.slice(parts, 5, count(parts))),
} if {
	parts := split(s, ":")
	count(parts) >= 6
	parts[0] == "arn"
}

partitions := {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

# Actions are case-insensitive in IAM: rules compare them lower-cased.
action_key(a) := lower(a)

# Parameter actions consumers can be given: the two RAM managed permission sets (SSM-FACTS,
# "Parameters"). AWS publishes no other list; this set is an inference.
parameter_read_only := {"ssm:describeparameters", "ssm:getparameter", "ssm:getparameters"}

parameter_with_history := parameter_read_only | {"ssm:getparameterhistory"}

parameter_actions := parameter_with_history

# OpsItemGroup actions: AWS's CloudFormation example plus the read-only OpsItem actions
# (SSM-FACTS, "OpsItemGroup"). No allow-list is published: an inference.
opsitemgroup_actions := {
	"ssm:createopsitem", "ssm:addtagstoresource", "ssm:getopsitem", "ssm:updateopsitem",
	"ssm:describeopsitems", "ssm:listopsitemevents", "ssm:listopsitemrelateditems",
	"ssm:getopssummary",
}

# kind is the resource kind of the target, when its ARN is known.
kind := input.resource.type if input.resource.type in {"parameter", "opsitemgroup"}

# allowed_actions is the action set the target's kind can share; both kinds' sets when the
# kind is not known.
allowed_actions := parameter_actions if kind == "parameter"

allowed_actions := opsitemgroup_actions if kind == "opsitemgroup"

allowed_actions := parameter_actions | opsitemgroup_actions if not kind

# wildcard(s) holds for a string with an IAM wildcard.
wildcard(s) if contains(s, "*")

wildcard(s) if contains(s, "?")

# glob_match(pattern, s): IAM wildcard matching, case-sensitive (for ARNs): * matches any run
# of characters, slashes and dots included, and ? one character. OPA's glob syntax also gives
# meaning to [ ] { } and \, which IAM does not: they are escaped first. The null delimiter list
# keeps * from stopping at dots (an empty list would mean ".").
glob_match(pattern, s) if glob.match(glob_escape(pattern), null, s)

glob_escape(p) := strings.replace_n({"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}"}, p)

# pinning_keys are the condition keys that pin a wildcard principal to accounts or an
# organization.
pinning_keys := {"aws:principalorgid", "aws:principalaccount", "aws:principalorgpaths"}

# pinned(st) holds when a StringEquals-family condition of the statement names the principal's
# organization, organization path or account with values that pin something: a value made only
# of wildcards (StringLike "*") pins nothing, while an organization path ending in /* does.
pinned(st) if {
	some op, block in st.value.Condition
	pinning_operator(op)
	some key, x in block
	lower(key) in pinning_keys
	vals := values(x, [])
	count(vals) > 0
	every v in vals {
		not regex.match(`^[*?/]*$`, v.value)
	}
}

pinning_operator(op) if {
	base := trim_prefix(trim_prefix(op, "ForAnyValue:"), "ForAllValues:")
	base in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
}

# pinned_accounts(st) lists the accounts named by aws:PrincipalAccount conditions, with paths.
pinned_accounts(st) := [a |
	some op, block in st.value.Condition
	pinning_operator(op)
	some key, x in block
	lower(key) == "aws:principalaccount"
	some v in values(x, array.concat(st.path, ["Condition", op, key]))
	a := v
]

# finding builds a finding at a path in the policy.
finding(path, message) := {"path": path, "message": message}

# fact_finding builds a finding about a fact of the target (at: arn, tier, type, key).
fact_finding(at, message) := {"at": at, "path": [], "message": message}
