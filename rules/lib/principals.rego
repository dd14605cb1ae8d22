# METADATA
# description: |
#   The principals of the policy and what each one names: its kind, account and partition, and
#   what is wrong with it; and the conditions that pin a wildcard principal to accounts or an
#   organization (with exact values only: docs/aws-facts.md, "Pinning a wildcard principal").
package ssmpolicy.principals

import data.ssmpolicy.arns
import data.ssmpolicy.statements
import data.ssmpolicy.text

# of(st, name) lists the principals of Principal or NotPrincipal, each
# {"type": "*" | "AWS" | "Service" | "Federated" | "CanonicalUser", "value": v, "path": p}.
of(st, name) := [{"type": "*", "value": "*", "path": array.concat(st.path, [name])}] if {
	st.value[name] == "*"
}

of(st, name) := [p |
	is_object(st.value[name])
	some kind, x in st.value[name]
	some v in statements.values(x, array.concat(st.path, [name, kind]))
	p := {"type": kind, "value": v.value, "path": v.path}
] if {
	is_object(st.value[name])
}

of(st, name) := [] if {
	not st.value[name] == "*"
	not is_object(st.value[name])
}

# account_of(v) is the account an AWS principal names: a 12-digit id, or the account's root
# ARN arn:PARTITION:iam::ACCOUNT:root (IAM treats the two as the same principal).
account_of(v) := v if arns.account_id(v)

account_of(v) := fields[4] if {
	fields := split(v, ":")
	count(fields) == 6
	fields[0] == "arn"
	fields[2] == "iam"
	fields[3] == ""
	fields[5] == "root"
	arns.account_id(fields[4])
}

# _pinning_keys are the condition keys that pin a wildcard principal to accounts or an
# organization.
_pinning_keys := {"aws:principalorgid", "aws:principalaccount", "aws:principalorgpaths"}

# pins(st) lists the conditions of the statement on a pinning key, each {"op", "key",
# "path" (of the key), "pins", "why"}: pins says whether the condition narrows the principal to
# named accounts or an organization, why (when it does not) says what keeps it from it.
pins(st) := [p |
	some op, block in st.value.Condition
	is_object(block)
	some key, x in block
	lower(key) in _pinning_keys
	vals := statements.values(x, [])
	p := _pin(op, key, [v.value | some v in vals], array.concat(st.path, ["Condition", op, key]))
] if {
	is_object(st.value.Condition)
} else := []

_pin(op, key, vals, path) := {"op": op, "key": key, "path": path, "pins": true, "why": ""} if {
	_exact(op, lower(key), vals)
} else := {"op": op, "key": key, "path": path, "pins": false, "why": _why(op, lower(key))}

# _exact holds for a condition that pins with exact values: StringEquals,
# StringEqualsIgnoreCase, or StringLike whose values have no wildcard; never IfExists (true
# when the key is absent) nor ForAllValues: (true when the key is absent, whatever the key).
_exact(op, key, vals) if {
	o := ssmpolicy.condition.operator(op)
	o.base in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
	not o.if_exists
	o.prefix != "ForAllValues:"
	count(vals) > 0
	every v in vals {
		_exact_value(o.base, key, v)
	}
}

_exact_value(base, _, v) if {
	is_string(v)
	base != "StringLike"
}

_exact_value("StringLike", _, v) if {
	is_string(v)
	not text.wildcard(v)
}

# An organization path under StringLike pins to its organization when the organization id,
# before the first slash, is exact: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/* is AWS's own
# example of a path condition.
_exact_value("StringLike", "aws:principalorgpaths", v) if {
	is_string(v)
	org := split(v, "/")[0]
	org != ""
	not text.wildcard(org)
}

# _why says what keeps a condition on a pinning key from pinning.
_why(op, key) := sprintf("%s is not a condition operator", [op]) if {
	not ssmpolicy.condition.operator(op)
} else := sprintf("%s is also true when the key is absent from the request", [op]) if {
	ssmpolicy.condition.operator(op).if_exists
} else := sprintf("%s is also true when the key is absent from the request", [op]) if {
	ssmpolicy.condition.operator(op).prefix == "ForAllValues:"
} else := sprintf("%s does not name the values to pin to", [op]) if {
	not ssmpolicy.condition.operator(op).base in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
} else := sprintf("%s with * or ? matches more than one %s", [op, _what[key]])

_what := {
	"aws:principalorgid": "organization",
	"aws:principalaccount": "account",
	"aws:principalorgpaths": "organization",
}

# pinned(st) holds when a condition of the statement pins a wildcard principal (see pins).
pinned(st) if {
	some p in pins(st)
	p.pins
}

# pinned_accounts(st) lists the accounts a pinning aws:PrincipalAccount condition names, with
# their paths: the accounts a wildcard principal is narrowed to.
pinned_accounts(st) := [v |
	some p in pins(st)
	p.pins
	lower(p.key) == "aws:principalaccount"
	some v in statements.values(object.get(st.value.Condition[p.op], p.key, null), p.path)
]

# account_conditions(st) lists every value of an aws:PrincipalAccount condition under a string
# operator, pinning or not, with its path: each must be written as an account id.
account_conditions(st) := [v |
	some op, block in st.value.Condition
	is_object(block)
	startswith(ssmpolicy.condition.operator(op).base, "String")
	some key, x in block
	lower(key) == "aws:principalaccount"
	some v in statements.values(x, array.concat(st.path, ["Condition", op, key]))
] if {
	is_object(st.value.Condition)
} else := []

# entries lists every principal of the policy (Principal and NotPrincipal of every
# statement) once, with what is known of it, so that the principal rules share the work
# (the built-in ssmpolicy.policy.principals):
#   path, element ("Principal" | "NotPrincipal"), type ("*" | "AWS" | "Service" | ...), value,
#   allow (the statement's Effect is Allow),
#   kind: "account", "role", "user", "assumed-role", "federated-user" for AWS principals,
#         the type for the others, "*" for a wildcard, "" when malformed or unknown,
#   account: the 12-digit account the principal belongs to, or "",
#   partition: the partition of a principal ARN, or "",
#   problem: what principal-format says about it, or "".
entries := ssmpolicy.policy.principals(input.policy)

# by_kind, by_type, by_value, by_account, by_partition and by_problem index the entries by
# those fields, once per policy (the built-in ssmpolicy.list.group), so that a rule looks up
# the principals it is about instead of going through all of them.
by_kind := ssmpolicy.list.group(entries, "kind")

by_type := ssmpolicy.list.group(entries, "type")

by_value := ssmpolicy.list.group(entries, "value")

by_account := ssmpolicy.list.group(entries, "account")

by_partition := ssmpolicy.list.group(entries, "partition")

by_problem := ssmpolicy.list.group(entries, "problem")

# account(v) is the 12-digit account an AWS principal belongs to: the account itself, its
# root ARN, or the account of a user, role or session ARN; undefined when there is none.
account(v) := a if {
	a := ssmpolicy.principal.describe("AWS", v).account
	a != ""
}

# _wildcard_in(st) holds when the statement's Principal is "*" or names {"AWS": "*"}.
_wildcard_in(st) if {
	some p in of(st, "Principal")
	p.type in {"*", "AWS"}
	p.value == "*"
}

# condition_accounts(st) lists the accounts an Allow statement with a wildcard principal
# is pinned to by aws:PrincipalAccount (see principal-wildcard): these are checked like
# principals.
condition_accounts(st) := pinned_accounts(st) if {
	is_object(st.value.Condition)
	statements.allow(st)
	_wildcard_in(st)
} else := []

# condition_account_problem(v): an account named by aws:PrincipalAccount must be a plain
# 12-digit id. A pattern is not an account: principal-wildcard says it does not pin.
condition_account_problem(v) := "" if {
	text.unknown(v)
	regex.match(`^[0-9]{0,12}$`, split(v, text.unknown_marker)[0])
} else := "" if {
	text.wildcard(v)
} else := "" if {
	arns.account_id(v)
} else := msg if {
	a := account_of(v)
	msg := sprintf("aws:PrincipalAccount compares the account id %s, never an ARN such as %q", [a, v])
} else := sprintf("aws:PrincipalAccount %s is not a 12-digit account id", [text.quoted(v)])
