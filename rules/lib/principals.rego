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
# statement) once, with what is known of it, so that the principal rules share the work:
#   path, element ("Principal" | "NotPrincipal"), type ("*" | "AWS" | "Service" | ...), value,
#   allow (the statement's Effect is Allow),
#   kind: "account", "role", "user", "assumed-role", "federated-user" for AWS principals,
#         the type for the others, "*" for a wildcard, "" when malformed or unknown,
#   account: the 12-digit account the principal belongs to, or "",
#   partition: the partition of a principal ARN, or "",
#   problem: what principal-format says about it, or "".
entries := [e |
	some p in _list
	d := describe(p.type, p.value)
	e := {
		"path": p.path, "element": p.element, "type": p.type, "value": p.value, "allow": p.allow,
		"kind": d.kind, "account": d.account, "partition": d.partition, "problem": d.problem,
	}
]

# _list is every principal of every statement, {path, element, type, value, allow},
# before describe looks at it: computed by the engine (input.derived), or here.
_list := input.derived.principals

_list := [p |
	some st in statements.list
	allowed := _allow_flag(st)
	some name in ["Principal", "NotPrincipal"]
	some q in of(st, name)
	p := {"path": q.path, "element": name, "type": q.type, "value": q.value, "allow": allowed}
] if {
	not input.derived
}

_allow_flag(st) if {
	statements.allow(st)
} else := false

# describe(type, v) is {kind, account, partition, problem} (see entries).
# The usual forms - an account id, a well-formed IAM or STS ARN - take one regex match.
describe("AWS", v) := {"kind": "account", "account": v, "partition": "", "problem": ""} if {
	arns.account_id(v)
} else := d if {
	regex.match(_aws_good_re, v)
	parts := split(v, ":")
	d := {"kind": _kind_of_resource(parts[5]), "account": parts[4], "partition": parts[1], "problem": ""}
} else := {"kind": "*", "account": "", "partition": "", "problem": ""} if {
	v == "*"
} else := {
	"kind": _kind_or_empty(v),
	"account": _account_or_empty(v),
	"partition": _partition_or_empty(v),
	"problem": _aws_problem(v),
}

describe("*", _) := {"kind": "*", "account": "", "partition": "", "problem": ""}

describe(t, v) := {"kind": t, "account": "", "partition": p, "problem": _problem(t, v)} if {
	t in {"Service", "Federated", "CanonicalUser"}
	p := _federated_partition(t, v)
}

# a type the grammar does not know is the schema's business
describe(t, _) := {"kind": "", "account": "", "partition": "", "problem": ""} if {
	not t in {"*", "AWS", "Service", "Federated", "CanonicalUser"}
}

_federated_partition("Federated", v) := _partition_or_empty(v)

_federated_partition(t, _) := "" if t != "Federated"

_kind_or_empty(v) := k if {
	k := _kind(v)
} else := ""

_account_or_empty(v) := a if {
	a := account(v)
} else := ""

_partition_or_empty(v) := p if {
	p := _partition(v)
} else := ""

_kind_of_resource("root") := "account"

_kind_of_resource(r) := split(r, "/")[0] if r != "root"

# _aws_good_re matches the well-formed AWS principal ARNs, without wildcards: a
# literal (its partitions are arns.partitions), since a pattern
# built with sprintf would be built again for every policy.
_aws_good_re := `^arn:(aws|aws-cn|aws-eusc|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):(iam::[0-9]{12}:(root|(user|role)/([!-)+->@-~]*/)?[\w+=,.@-]{1,64})|sts::[0-9]{12}:(assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}|federated-user/[\w+=,.@-]{2,32}))$`

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

# ARNs whose parts may be known only at deploy time.

# _arn_fields(v) is an object {index: text} of the fields of the ARN v that are known:
# 0 "arn", 1 partition, 2 service, 3 region, 4 account, 5 resource. Without a deploy-time part
# that is all six (v must have exactly six). With one, the fields wholly before the first
# unknown part, counted from the start, and those wholly after the last one, counted from the
# end (IAM principal ARNs have six fields and no colon in the resource).
_arn_fields(v) := {i: f | some i, f in parts} if {
	not text.unknown(v)
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
}

_arn_fields(v) := object.union(head, tail) if {
	text.unknown(v)
	pieces := split(v, text.unknown_marker)
	prefix := pieces[0]
	_arn_prefix_possible(prefix)
	pf := split(prefix, ":")
	head := {i: pf[i] | count(pf) >= 2; some i in numbers.range(0, count(pf) - 2); i <= 5}
	suffix := pieces[count(pieces) - 1]
	sf := split(suffix, ":")
	n := count(sf)
	tail := {5 - ((n - 1) - j): sf[j] | some j in numbers.range(1, n - 1); n > 1; 5 - ((n - 1) - j) >= 1}
}

# _arn_prefix_possible(p): the known start p of a value can begin an ARN.
_arn_prefix_possible(p) if startswith(p, "arn:")

_arn_prefix_possible(p) if startswith("arn:", p)

# _resource_type(v) is the type of an IAM/STS principal ARN's resource ("root",
# "role", "user", "assumed-role", "federated-user", "group", ...), when known.
_resource_type(v) := t if {
	r := _arn_fields(v)[5]
	t := split(r, "/")[0]
} else := t if {
	# the resource is only partly known, but its type is written before the unknown part
	text.unknown(v)
	prefix := split(v, text.unknown_marker)[0]
	startswith(prefix, "arn:")
	pf := split(prefix, ":")
	count(pf) == 6
	contains(pf[5], "/")
	t := split(pf[5], "/")[0]
}

# account(v) is the 12-digit account an AWS principal belongs to: the account itself,
# its root ARN, or the account of a user, role or session ARN.
account(v) := v if {
	arns.account_id(v)
} else := a if {
	f := _arn_fields(v)
	a := f[4]
	arns.account_id(a)
	not _other_service(f)
}

_other_service(f) if {
	s := f[2]
	not s in {"iam", "sts"}
}

# _partition(v) is the partition of a principal ARN, when known.
_partition(v) := _arn_fields(v)[1]

# _kind(p) is what an AWS principal names: "account" (id or root ARN), "role",
# "user", "assumed-role", "federated-user"; undefined for "*" and what is malformed.
_kind(v) := "account" if {
	arns.account_id(v)
} else := "account" if {
	_arn_fields(v)[5] == "root"
} else := t if {
	t := _resource_type(v)
	t in {"role", "user", "assumed-role", "federated-user"}
}
