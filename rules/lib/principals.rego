# Helpers for the principal, Sid and condition rules (principal-*, not-principal, sid-*,
# condition-*). Same package as lib.rego; every name here starts with principal_, cond_ or
# sid_ so that it cannot collide with the helpers of the other lib files.
package ssmpolicy.lib

# principal_shown(s) quotes s for a message, its deploy-time parts written <unknown>.
principal_shown(s) := sprintf("%q", [replace(s, unknown_marker, "<unknown>")])

# principal_entries lists every principal of the policy (Principal and NotPrincipal of every
# statement) once, with what is known of it, so that the principal rules share the work:
#   path, element ("Principal" | "NotPrincipal"), type ("*" | "AWS" | "Service" | ...), value,
#   allow (the statement's Effect is Allow),
#   kind: "account", "role", "user", "assumed-role", "federated-user" for AWS principals,
#         the type for the others, "*" for a wildcard, "" when malformed or unknown,
#   account: the 12-digit account the principal belongs to, or "",
#   partition: the partition of a principal ARN, or "",
#   problem: what principal-format says about it, or "".
principal_entries := [e |
	some p in principal_list
	d := principal_describe(p.type, p.value)
	e := {
		"path": p.path, "element": p.element, "type": p.type, "value": p.value, "allow": p.allow,
		"kind": d.kind, "account": d.account, "partition": d.partition, "problem": d.problem,
	}
]

# principal_list is every principal of every statement, {path, element, type, value, allow},
# before principal_describe looks at it: computed by the engine (input.derived), or here.
principal_list := input.derived.principals if input.derived

principal_list := [p |
	some st in statements
	allowed := principal_allow_flag(st)
	some name in ["Principal", "NotPrincipal"]
	some q in principals(st, name)
	p := {"path": q.path, "element": name, "type": q.type, "value": q.value, "allow": allowed}
] if not input.derived

principal_allow_flag(st) := true if {
	allow(st)
} else := false

# principal_describe(type, v) is {kind, account, partition, problem} (see principal_entries).
# The usual forms - an account id, a well-formed IAM or STS ARN - take one regex match.
principal_describe("AWS", v) := {"kind": "account", "account": v, "partition": "", "problem": ""} if {
	account_id(v)
} else := d if {
	regex.match(principal_aws_good_re, v)
	parts := split(v, ":")
	d := {"kind": principal_kind_of_resource(parts[5]), "account": parts[4], "partition": parts[1], "problem": ""}
} else := {"kind": "*", "account": "", "partition": "", "problem": ""} if {
	v == "*"
} else := {
	"kind": principal_kind_or_empty(v),
	"account": principal_account_or_empty(v),
	"partition": principal_partition_or_empty(v),
	"problem": principal_aws_problem(v),
}

principal_describe("*", _) := {"kind": "*", "account": "", "partition": "", "problem": ""}

principal_describe(t, v) := {"kind": t, "account": "", "partition": p, "problem": principal_problem(t, v)} if {
	t in {"Service", "Federated", "CanonicalUser"}
	p := principal_federated_partition(t, v)
}

# a type the grammar does not know is the schema's business
principal_describe(t, _) := {"kind": "", "account": "", "partition": "", "problem": ""} if {
	not t in {"*", "AWS", "Service", "Federated", "CanonicalUser"}
}

principal_federated_partition("Federated", v) := principal_partition_or_empty(v)

principal_federated_partition(t, _) := "" if t != "Federated"

principal_kind_or_empty(v) := k if {
	k := principal_kind(v)
} else := ""

principal_account_or_empty(v) := a if {
	a := principal_account(v)
} else := ""

principal_partition_or_empty(v) := p if {
	p := principal_partition(v)
} else := ""

principal_kind_of_resource("root") := "account"

principal_kind_of_resource(r) := split(r, "/")[0] if r != "root"

# principal_aws_good_re matches the well-formed AWS principal ARNs, without wildcards: a
# literal (its partitions are lib.partitions), since a pattern
# built with sprintf would be built again for every policy.
principal_aws_good_re := `^arn:(aws|aws-cn|aws-eusc|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):(iam::[0-9]{12}:(root|(user|role)/([!-)+->@-~]*/)?[\w+=,.@-]{1,64})|sts::[0-9]{12}:(assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}|federated-user/[\w+=,.@-]{2,32}))$`

# principal_wildcard_in(st) holds when the statement's Principal is "*" or names {"AWS": "*"}.
principal_wildcard_in(st) if {
	some p in principals(st, "Principal")
	p.type in {"*", "AWS"}
	p.value == "*"
}

# principal_pinned_accounts(st) lists the accounts an Allow statement with a wildcard principal
# is pinned to by aws:PrincipalAccount (PRODUCT.md, principal-wildcard): these are checked like
# principals.
principal_pinned_accounts(st) := pinned_accounts(st) if {
	is_object(st.value.Condition)
	allow(st)
	principal_wildcard_in(st)
} else := []

# --- ARNs whose parts may be known only at deploy time ---------------------------------------

# principal_arn_fields(v) is an object {index: text} of the fields of the ARN v that are known:
# 0 "arn", 1 partition, 2 service, 3 region, 4 account, 5 resource. Without a deploy-time part
# that is all six (v must have exactly six). With one, the fields wholly before the first
# unknown part, counted from the start, and those wholly after the last one, counted from the
# end (IAM principal ARNs have six fields and no colon in the resource).
principal_arn_fields(v) := {i: f | some i, f in parts} if {
	not unknown(v)
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
}

principal_arn_fields(v) := object.union(head, tail) if {
	unknown(v)
	pieces := split(v, unknown_marker)
	prefix := pieces[0]
	suffix := pieces[count(pieces) - 1]
	principal_arn_prefix_possible(prefix)
	pf := split(prefix, ":")
	head := {i: pf[i] | count(pf) >= 2; some i in numbers.range(0, count(pf) - 2); i <= 5}
	sf := split(suffix, ":")
	n := count(sf)
	tail := {5 - (n - 1 - j): sf[j] | some j in numbers.range(1, n - 1); n > 1; 5 - (n - 1 - j) >= 1}
}

# principal_arn_prefix_possible(p): the known start p of a value can begin an ARN.
principal_arn_prefix_possible(p) if startswith(p, "arn:")

principal_arn_prefix_possible(p) if startswith("arn:", p)

# principal_resource_type(v) is the type of an IAM/STS principal ARN's resource ("root",
# "role", "user", "assumed-role", "federated-user", "group", ...), when known.
principal_resource_type(v) := t if {
	r := principal_arn_fields(v)[5]
	t := split(r, "/")[0]
} else := t if {
	# the resource is only partly known, but its type is written before the unknown part
	unknown(v)
	prefix := split(v, unknown_marker)[0]
	startswith(prefix, "arn:")
	pf := split(prefix, ":")
	count(pf) == 6
	contains(pf[5], "/")
	t := split(pf[5], "/")[0]
}

# principal_account(v) is the 12-digit account an AWS principal belongs to: the account itself,
# its root ARN, or the account of a user, role or session ARN.
principal_account(v) := v if {
	account_id(v)
} else := a if {
	f := principal_arn_fields(v)
	a := f[4]
	account_id(a)
	not principal_other_service(f)
}

principal_other_service(f) if {
	s := f[2]
	not s in {"iam", "sts"}
}

# principal_partition(v) is the partition of a principal ARN, when known.
principal_partition(v) := principal_arn_fields(v)[1]

# principal_kind(p) is what an AWS principal names: "account" (id or root ARN), "role",
# "user", "assumed-role", "federated-user"; undefined for "*" and what is malformed.
principal_kind(v) := "account" if {
	account_id(v)
} else := "account" if {
	principal_arn_fields(v)[5] == "root"
} else := t if {
	t := principal_resource_type(v)
	t in {"role", "user", "assumed-role", "federated-user"}
}

# --- principal-format ---------------------------------------------------------------------------

# IAM user, role and session names: 1 to 64 of A-Z a-z 0-9 + = , . @ _ -
principal_identity_re := `^(user|role)/([!-~]*/)?[\w+=,.@-]{1,64}$`

principal_session_re := `^assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}$`

principal_federated_user_re := `^federated-user/[\w+=,.@-]{2,32}$`

# principal_problem(type, v) says what is wrong with a principal of the type, or "" when
# nothing can be said (well-formed, or unknown in a way that could be right).
principal_problem("AWS", v) := principal_aws_problem(v)

principal_problem("Service", v) := principal_service_problem(v)

principal_problem("Federated", v) := principal_federated_problem(v)

principal_problem("CanonicalUser", v) := principal_canonical_problem(v)

principal_wildcard_message(v) := sprintf(
	"%s has a wildcard in it: principals take no partial wildcards; list the accounts by their 12-digit ids, or use \"*\" with a StringEquals condition on aws:PrincipalOrgID or aws:PrincipalAccount",
	[principal_shown(v)],
)

principal_aws_problem(v) := "" if {
	v == "*" # principal-wildcard's business
} else := principal_wildcard_message(v) if {
	wildcard(v)
	replace(v, unknown_marker, "") != "*"
} else := principal_unknown_problem(v) if {
	unknown(v)
} else := "" if {
	account_id(v)
} else := msg if {
	regex.match(`^[0-9][0-9 -]*$`, v)
	digits := replace(replace(v, "-", ""), " ", "")
	count(digits) == 12
	msg := sprintf("the account id %q must be written as 12 digits without dashes or spaces: %q", [v, digits])
} else := msg if {
	regex.match(`^[0-9]+$`, v)
	msg := sprintf("the account id %q has %d digits, an AWS account id has 12 (leading zeros included)", [v, count(v)])
} else := msg if {
	not startswith(v, "arn:")
	msg := sprintf("%q is neither a 12-digit account id nor an IAM ARN (arn:aws:iam::111122223333:root)", [v])
} else := principal_arn_problem(v)

# principal_arn_problem(v): what is wrong with an AWS principal written as an ARN.
principal_arn_problem(v) := msg if {
	parts := split(v, ":")
	count(parts) != 6
	msg := sprintf("%q is not a well-formed principal ARN: it has %d colon-separated fields, an IAM principal ARN has six (arn:aws:iam::111122223333:root)", [v, count(parts)])
} else := msg if {
	parts := split(v, ":")
	not parts[1] in partitions
	msg := sprintf("the partition %q of %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", [parts[1], v])
} else := msg if {
	parts := split(v, ":")
	not parts[2] in {"iam", "sts"}
	msg := sprintf("%q is an ARN of the %s service, not a principal: name an account (its 12-digit id or arn:%s:iam::ACCOUNT:root)", [v, parts[2], parts[1]])
} else := msg if {
	parts := split(v, ":")
	parts[3] != ""
	msg := sprintf("%q has the region %q, but IAM and STS principal ARNs have an empty region field (arn:%s:%s::ACCOUNT:...)", [v, parts[3], parts[1], parts[2]])
} else := msg if {
	parts := split(v, ":")
	not account_id(parts[4])
	msg := sprintf("the account %q in %q is not a 12-digit account id", [parts[4], v])
} else := principal_resource_problem(v, split(v, ":"))

principal_resource_problem(v, parts) := "" if {
	parts[2] == "iam"
	parts[5] == "root"
} else := "" if {
	parts[2] == "iam"
	regex.match(principal_identity_re, parts[5])
} else := "" if {
	parts[2] == "sts"
	regex.match(principal_session_re, parts[5])
} else := "" if {
	parts[2] == "sts"
	regex.match(principal_federated_user_re, parts[5])
} else := msg if {
	parts[2] == "iam"
	startswith(parts[5], "group/")
	msg := sprintf("%q is an IAM group, and a group cannot be a principal: name the account, or the users or roles", [v])
} else := msg if {
	parts[2] == "iam"
	split(parts[5], "/")[0] in {"assumed-role", "federated-user"}
	msg := sprintf("%q names an STS session under the iam service: write arn:%s:sts::%s:%s", [v, parts[1], parts[4], parts[5]])
} else := msg if {
	parts[2] == "sts"
	split(parts[5], "/")[0] in {"root", "user", "role"}
	msg := sprintf("%q names an IAM identity under the sts service: write arn:%s:iam::%s:%s", [v, parts[1], parts[4], parts[5]])
} else := msg if {
	split(parts[5], "/")[0] in {"user", "role", "assumed-role", "federated-user"}
	msg := sprintf("the %s name in %q is malformed: names are 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -", [split(parts[5], "/")[0], v])
} else := sprintf("%q names no principal: an IAM principal ARN ends in root, user/NAME or role/NAME (an STS one in assumed-role/ROLE/SESSION or federated-user/NAME)", [v])

# principal_unknown_problem(v): an AWS principal with a deploy-time part is wrong only when its
# known start can begin neither an account id nor an IAM ARN, or a field of it that is wholly
# known is wrong.
principal_unknown_problem(v) := msg if {
	prefix := split(v, unknown_marker)[0]
	not regex.match(`^[0-9]{0,12}$`, prefix)
	not principal_arn_prefix_possible(prefix)
	msg := sprintf("%s can be neither a 12-digit account id nor an IAM ARN, whatever its unknown part is", [principal_shown(v)])
} else := msg if {
	f := principal_arn_fields(v)
	msgs := [m | some i in [1, 2, 3, 4]; m := principal_field_problem(v, i, f[i])]
	count(msgs) > 0
	msg := msgs[0]
} else := ""

principal_field_problem(v, 1, p) := sprintf("the partition %q of %s is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", [p, principal_shown(v)]) if {
	not p in partitions
}

principal_field_problem(v, 2, s) := sprintf("%s is an ARN of the %s service, not a principal: name an account, user or role", [principal_shown(v), s]) if {
	not s in {"iam", "sts"}
}

principal_field_problem(v, 3, r) := sprintf("%s has the region %q, but IAM and STS principal ARNs have an empty region field", [principal_shown(v), r]) if {
	r != ""
}

principal_field_problem(v, 4, a) := sprintf("the account %q in %s is not a 12-digit account id", [a, principal_shown(v)]) if {
	not account_id(a)
}

principal_service_problem(v) := "a service principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal; name the service, like ssm.amazonaws.com" if {
	v == "*"
} else := principal_wildcard_message(v) if {
	wildcard(v)
} else := "" if {
	unknown(v)
} else := "" if {
	principal_service_name(v)
} else := msg if {
	principal_service_name(lower(v))
	msg := sprintf("service principals are written in lower case: %q, not %q", [lower(v), v])
} else := msg if {
	startswith(v, "arn:")
	msg := sprintf("%q is an ARN, but a service principal is the service's name, like ssm.amazonaws.com", [v])
} else := sprintf("%q is not a service principal: those are written like ssm.amazonaws.com", [v])

# principal_service_name(v): NAME.amazonaws.com (.amazonaws.com.cn in China; the isolated
# partitions' c2s.ic.gov and sc2s.sgov.gov are accepted so as not to guess).
principal_service_name(v) if regex.match(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.(amazonaws\.com(\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov)$`, v)

principal_federated_problem(v) := "a federated principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal" if {
	v == "*"
} else := principal_wildcard_message(v) if {
	wildcard(v)
} else := "" if {
	unknown(v)
} else := "" if {
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[1] in partitions
	parts[2] == "iam"
	parts[3] == ""
	account_id(parts[4])
	regex.match(`^(saml-provider|oidc-provider)/.+$`, parts[5])
} else := msg if {
	startswith(v, "arn:")
	msg := sprintf("%q is not an identity provider ARN (arn:aws:iam::111122223333:saml-provider/NAME or ...:oidc-provider/HOST)", [v])
} else := "" if {
	regex.match(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`, v)
} else := sprintf("%q is neither an identity provider ARN nor a provider's domain name (cognito-identity.amazonaws.com, accounts.google.com, ...)", [v])

principal_canonical_problem(v) := "a canonical user principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal" if {
	v == "*"
} else := "" if {
	unknown(v)
} else := "" if {
	regex.match(`^[0-9a-fA-F]{64}$`, v)
} else := sprintf("%q is not a canonical user id, which is 64 hexadecimal digits", [v])

# principal_condition_account_problem(v): an account named by aws:PrincipalAccount to pin a
# wildcard principal must be a plain 12-digit id, and a pattern pins nothing.
principal_condition_account_problem(v) := "" if {
	unknown(v)
	regex.match(`^[0-9]{0,12}$`, split(v, unknown_marker)[0])
} else := msg if {
	wildcard(v)
	msg := sprintf("aws:PrincipalAccount %s is a pattern, not an account: it does not pin the wildcard principal to named accounts; list 12-digit account ids", [principal_shown(v)])
} else := "" if {
	account_id(v)
} else := msg if {
	a := account_of(v)
	msg := sprintf("aws:PrincipalAccount compares the account id, never an ARN: write %q, not %q", [a, v])
} else := sprintf("aws:PrincipalAccount %s is not a 12-digit account id", [principal_shown(v)])

# --- conditions ----------------------------------------------------------------------------------

# cond_base_by_lower maps IAM's condition operators, without set prefix and IfExists suffix,
# from their lower-case form to their spelling. (Written out: a literal costs nothing per
# policy, a comprehension is evaluated for each.)
cond_base_by_lower := {
	"stringequals": "StringEquals", "stringnotequals": "StringNotEquals",
	"stringequalsignorecase": "StringEqualsIgnoreCase",
	"stringnotequalsignorecase": "StringNotEqualsIgnoreCase",
	"stringlike": "StringLike", "stringnotlike": "StringNotLike",
	"numericequals": "NumericEquals", "numericnotequals": "NumericNotEquals",
	"numericlessthan": "NumericLessThan", "numericlessthanequals": "NumericLessThanEquals",
	"numericgreaterthan": "NumericGreaterThan", "numericgreaterthanequals": "NumericGreaterThanEquals",
	"dateequals": "DateEquals", "datenotequals": "DateNotEquals",
	"datelessthan": "DateLessThan", "datelessthanequals": "DateLessThanEquals",
	"dategreaterthan": "DateGreaterThan", "dategreaterthanequals": "DateGreaterThanEquals",
	"bool": "Bool", "binaryequals": "BinaryEquals",
	"ipaddress": "IpAddress", "notipaddress": "NotIpAddress",
	"arnequals": "ArnEquals", "arnlike": "ArnLike", "arnnotequals": "ArnNotEquals", "arnnotlike": "ArnNotLike",
	"null": "Null",
}

cond_prefixes := {"forallvalues:": "ForAllValues:", "foranyvalue:": "ForAnyValue:"}

# cond_blocks(st) lists the statement's condition blocks, {"op", "block", "path"}.
cond_blocks(st) := [{"op": op, "block": block, "path": array.concat(st.path, ["Condition", op])} |
	some op, block in st.value.Condition
	is_object(block)
] if {
	is_object(st.value.Condition)
} else := []

# cond_split(op) splits an operator, case-insensitively, into {"prefix", "rest"}: prefix is
# the canonical set operator ("ForAllValues:", "ForAnyValue:" or "").
cond_split(op) := {"prefix": canon, "rest": substring(op, count(p), -1)} if {
	some p, canon in cond_prefixes
	startswith(lower(op), p)
} else := {"prefix": "", "rest": op}

# cond_parse(op) is {"prefix", "base", "if_exists", "spelled"} for an operator IAM knows,
# whatever its letter case; "spelled" is the operator as IAM documents it.
cond_parse(op) := {"prefix": s.prefix, "base": base, "if_exists": ie, "spelled": spelled} if {
	s := cond_split(op)
	rest := lower(s.rest)
	[base_l, ie] := cond_strip_if_exists(rest)
	base := cond_base_by_lower[base_l]
	spelled := concat("", [s.prefix, base, cond_if_exists_text(ie)])
}

cond_strip_if_exists(r) := [substring(r, 0, count(r) - 8), true] if {
	endswith(r, "ifexists")
	cond_base_by_lower[substring(r, 0, count(r) - 8)]
} else := [r, false]

cond_if_exists_text(true) := "IfExists"

cond_if_exists_text(false) := ""

# cond_family(base) is the kind of value the operator compares.
cond_family(base) := "string" if startswith(base, "String")

cond_family(base) := "numeric" if startswith(base, "Numeric")

cond_family(base) := "date" if startswith(base, "Date")

cond_family(base) := "bool" if base in {"Bool", "Null"}

cond_family(base) := "binary" if base == "BinaryEquals"

cond_family(base) := "ip" if base in {"IpAddress", "NotIpAddress"}

cond_family(base) := "arn" if startswith(base, "Arn")

# cond_values(x, path) lists the scalars of a condition value (one, or a list), with paths.
cond_values(x, path) := [{"value": v, "path": array.concat(path, [i])} |
	some i, v in x
	not is_array(v)
	not is_object(v)
] if {
	is_array(x)
} else := [{"value": x, "path": path}] if {
	not is_object(x)
} else := []

# cond_similarity(a, b) counts the characters two strings share at their start and end.
cond_similarity(a, b) := min([p + s, n]) if {
	n := min([count(a), count(b)])
	n > 0
	p := count([i | some i in numbers.range(1, n); substring(a, 0, i) == substring(b, 0, i)])
	ra := strings.reverse(a)
	rb := strings.reverse(b)
	s := count([i | some i in numbers.range(1, n); substring(ra, 0, i) == substring(rb, 0, i)])
} else := 0

# cond_closest(s, candidates) is the candidate (of a set, array or object's values) most like s (compared lower-cased), when it
# shares at least 70% of the longer one's characters at its start and end.
cond_closest(s, candidates) := best if {
	ls := lower(s)
	scored := {[sc, c] | some c in candidates; sc := cond_similarity(ls, lower(c))}
	top := max({x[0] | some x in scored})
	best := min({x[1] | some x in scored; x[0] == top})
	top * 10 >= max([count(s), count(best)]) * 7
}

# cond_global_keys maps the documented AWS global condition context keys (IAM User Guide, "AWS
# global condition context keys"), lower-cased, to their spelling; tag keys are matched by
# cond_tag_prefixes.
cond_global_keys := {
	"aws:principalarn": "aws:PrincipalArn", "aws:principalaccount": "aws:PrincipalAccount",
	"aws:principalorgpaths": "aws:PrincipalOrgPaths", "aws:principalorgid": "aws:PrincipalOrgID",
	"aws:principalisawsservice": "aws:PrincipalIsAWSService",
	"aws:principalservicename": "aws:PrincipalServiceName",
	"aws:principalservicenameslist": "aws:PrincipalServiceNamesList",
	"aws:principaltype": "aws:PrincipalType", "aws:userid": "aws:userid", "aws:username": "aws:username",
	"aws:assumedroot": "aws:AssumedRoot", "aws:federatedprovider": "aws:FederatedProvider",
	"aws:tokenissuetime": "aws:TokenIssueTime", "aws:signinsessionarn": "aws:SignInSessionArn",
	"aws:multifactorauthage": "aws:MultiFactorAuthAge",
	"aws:multifactorauthpresent": "aws:MultiFactorAuthPresent",
	"aws:chatbotsourcearn": "aws:ChatbotSourceArn",
	"aws:ec2instancesourcevpc": "aws:Ec2InstanceSourceVpc",
	"aws:ec2instancesourceprivateipv4": "aws:Ec2InstanceSourcePrivateIPv4",
	"aws:sourceidentity": "aws:SourceIdentity",
	"aws:sourceip": "aws:SourceIp", "aws:sourcevpc": "aws:SourceVpc", "aws:sourcevpcarn": "aws:SourceVpcArn",
	"aws:sourcevpce": "aws:SourceVpce", "aws:vpceaccount": "aws:VpceAccount", "aws:vpceorgid": "aws:VpceOrgID",
	"aws:vpceorgpaths": "aws:VpceOrgPaths", "aws:vpcsourceip": "aws:VpcSourceIp",
	"aws:resourceaccount": "aws:ResourceAccount", "aws:resourceorgid": "aws:ResourceOrgID",
	"aws:resourceorgpaths": "aws:ResourceOrgPaths",
	"aws:calledvia": "aws:CalledVia", "aws:calledviafirst": "aws:CalledViaFirst",
	"aws:calledvialast": "aws:CalledViaLast", "aws:calledviaawsmcp": "aws:CalledViaAWSMCP",
	"aws:viaawsservice": "aws:ViaAWSService", "aws:viaawsmcpservice": "aws:ViaAWSMCPService",
	"aws:currenttime": "aws:CurrentTime", "aws:epochtime": "aws:EpochTime", "aws:referer": "aws:Referer",
	"aws:requestedregion": "aws:RequestedRegion", "aws:tagkeys": "aws:TagKeys",
	"aws:securetransport": "aws:SecureTransport", "aws:sourceaccount": "aws:SourceAccount",
	"aws:sourcearn": "aws:SourceArn", "aws:sourceorgid": "aws:SourceOrgID",
	"aws:sourceorgpaths": "aws:SourceOrgPaths", "aws:useragent": "aws:UserAgent",
	"aws:ismcpserviceaction": "aws:IsMcpServiceAction",
}

# cond_tag_prefixes maps the tag key prefixes, lower-cased, to their spelling.
cond_tag_prefixes := {
	"aws:principaltag/": "aws:PrincipalTag/",
	"aws:requesttag/": "aws:RequestTag/",
	"aws:resourcetag/": "aws:ResourceTag/",
}

# cond_key_known(k): k is a documented global key (k lower-cased), or a tag key with a name.
cond_key_known(k) if cond_global_keys[k]

cond_key_known(k) if {
	some p, _ in cond_tag_prefixes
	startswith(k, p)
	count(k) > count(p)
}
