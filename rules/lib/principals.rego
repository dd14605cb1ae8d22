# METADATA
# description: |
#   The principals of the policy and what each one names: its kind, account and partition, and
#   what is wrong with it; and the conditions that pin a wildcard principal to accounts or an
#   organization.
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

# pinned(st) holds when a StringEquals-family condition of the statement names the principal's
# organization, organization path or account with values that pin something: a value made only
# of wildcards (StringLike "*") pins nothing, while an organization path ending in /* does.
pinned(st) if {
	some op, block in st.value.Condition
	_pinning_operator(op)
	some key, x in block
	lower(key) in _pinning_keys
	vals := statements.values(x, [])
	count(vals) > 0
	every v in vals {
		not regex.match(`^[*?/]*$`, v.value)
	}
}

_pinning_operator(op) if {
	base := trim_prefix(trim_prefix(op, "ForAnyValue:"), "ForAllValues:")
	base in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
}

# pinned_accounts(st) lists the accounts named by aws:PrincipalAccount conditions, with paths.
pinned_accounts(st) := [v |
	some op, block in st.value.Condition
	_pinning_operator(op)
	some key, x in block
	lower(key) == "aws:principalaccount"
	some v in statements.values(x, array.concat(st.path, ["Condition", op, key]))
]

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

# condition_account_problem(v): an account named by aws:PrincipalAccount to pin a
# wildcard principal must be a plain 12-digit id, and a pattern pins nothing.
condition_account_problem(v) := "" if {
	text.unknown(v)
	regex.match(`^[0-9]{0,12}$`, split(v, text.unknown_marker)[0])
} else := msg if {
	text.wildcard(v)
	msg := sprintf(
		concat("", [
			"aws:PrincipalAccount %s is a pattern, not an account: it does not pin the wildcard principal to ",
			"named accounts; list 12-digit account ids",
		]),
		[text.quoted(v)],
	)
} else := "" if {
	arns.account_id(v)
} else := msg if {
	a := account_of(v)
	msg := sprintf("aws:PrincipalAccount compares the account id, never an ARN: write %q, not %q", [a, v])
} else := sprintf("aws:PrincipalAccount %s is not a 12-digit account id", [text.quoted(v)])
