# What principal-format says about a principal: the problem with each form a principal can be
# written in, or "" when nothing can be said (well-formed, or unknown in a way that could be
# right). Part of the principals package, described in principals.rego.
package ssmpolicy.principals

import data.ssmpolicy.arns
import data.ssmpolicy.text

# IAM user, role and session names: 1 to 64 of A-Z a-z 0-9 + = , . @ _ -
_identity_re := `^(user|role)/([!-~]*/)?[\w+=,.@-]{1,64}$`

_session_re := `^assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}$`

_federated_user_re := `^federated-user/[\w+=,.@-]{2,32}$`

# _problem(type, v) says what is wrong with a principal of the type, or "" when
# nothing can be said (well-formed, or unknown in a way that could be right).
_problem("AWS", v) := _aws_problem(v)

_problem("Service", v) := _service_problem(v)

_problem("Federated", v) := _federated_problem(v)

_problem("CanonicalUser", v) := _canonical_problem(v)

_wildcard_message(v) := sprintf(
	concat("", [
		"%s has a wildcard in it: principals take no partial wildcards; list the accounts by their ",
		"12-digit ids, or use \"*\" with a StringEquals condition on aws:PrincipalOrgID or ",
		"aws:PrincipalAccount",
	]),
	[text.quoted(v)],
)

_aws_problem(v) := "" if {
	v == "*" # principal-wildcard's business
} else := _wildcard_message(v) if {
	text.wildcard(v)
	replace(v, text.unknown_marker, "") != "*"
} else := _unknown_problem(v) if {
	text.unknown(v)
} else := "" if {
	arns.account_id(v)
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
} else := _arn_problem(v)

# _arn_problem(v): what is wrong with an AWS principal written as an ARN: its shape, the
# fields before the resource, or the resource.
_arn_problem(v) := msg if {
	msg := _arn_shape_problem(v, split(v, ":"))
} else := msg if {
	msg := _arn_field_problem(v, split(v, ":"))
} else := _resource_problem(v, split(v, ":"))

_arn_shape_problem(v, parts) := msg if {
	count(parts) != 6
	msg := sprintf(
		concat("", [
			"%q is not a well-formed principal ARN: it has %d colon-separated fields, an IAM principal ARN ",
			"has six (arn:aws:iam::111122223333:root)",
		]),
		[v, count(parts)],
	)
} else := msg if {
	not parts[1] in arns.partitions
	msg := sprintf("the partition %q of %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", [parts[1], v])
} else := msg if {
	not parts[2] in {"iam", "sts"}
	msg := sprintf(
		concat("", [
			"%q is an ARN of the %s service, not a principal: name an account (its 12-digit id or ",
			"arn:%s:iam::ACCOUNT:root)",
		]),
		[v, parts[2], parts[1]],
	)
}

_arn_field_problem(v, parts) := msg if {
	parts[3] != ""
	msg := sprintf(
		"%q has the region %q, but IAM and STS principal ARNs have an empty region field (arn:%s:%s::ACCOUNT:...)",
		[v, parts[3], parts[1], parts[2]],
	)
} else := msg if {
	not arns.account_id(parts[4])
	msg := sprintf("the account %q in %q is not a 12-digit account id", [parts[4], v])
}

# _resource_ok(parts): the resource of an IAM or STS ARN names a principal.
_resource_ok(parts) if {
	parts[2] == "iam"
	parts[5] == "root"
}

_resource_ok(parts) if {
	parts[2] == "iam"
	regex.match(_identity_re, parts[5])
}

_resource_ok(parts) if {
	parts[2] == "sts"
	regex.match(_session_re, parts[5])
}

_resource_ok(parts) if {
	parts[2] == "sts"
	regex.match(_federated_user_re, parts[5])
}

_resource_problem(v, parts) := "" if {
	_resource_ok(parts)
} else := msg if {
	msg := _misplaced_problem(v, parts)
} else := msg if {
	split(parts[5], "/")[0] in {"user", "role", "assumed-role", "federated-user"}
	msg := sprintf(
		"the %s name in %q is malformed: names are 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -",
		[split(parts[5], "/")[0], v],
	)
} else := sprintf(
	concat("", [
		"%q names no principal: an IAM principal ARN ends in root, user/NAME or role/NAME (an STS one in ",
		"assumed-role/ROLE/SESSION or federated-user/NAME)",
	]),
	[v],
)

# _misplaced_problem(v, parts): an IAM group, or an identity under the wrong service.
_misplaced_problem(v, parts) := msg if {
	parts[2] == "iam"
	startswith(parts[5], "group/")
	msg := sprintf("%q is an IAM group, and a group cannot be a principal: name the account, or the users or roles", [v])
}

_misplaced_problem(v, parts) := msg if {
	parts[2] == "iam"
	split(parts[5], "/")[0] in {"assumed-role", "federated-user"}
	msg := sprintf(
		"%q names an STS session under the iam service: write arn:%s:sts::%s:%s",
		[v, parts[1], parts[4], parts[5]],
	)
}

_misplaced_problem(v, parts) := msg if {
	parts[2] == "sts"
	split(parts[5], "/")[0] in {"root", "user", "role"}
	msg := sprintf(
		"%q names an IAM identity under the sts service: write arn:%s:iam::%s:%s",
		[v, parts[1], parts[4], parts[5]],
	)
}

# _unknown_problem(v): an AWS principal with a deploy-time part is wrong only when its
# known start can begin neither an account id nor an IAM ARN, or a field of it that is wholly
# known is wrong.
_unknown_problem(v) := msg if {
	prefix := split(v, text.unknown_marker)[0]
	not regex.match(`^[0-9]{0,12}$`, prefix)
	not _arn_prefix_possible(prefix)
	msg := sprintf(
		"%s can be neither a 12-digit account id nor an IAM ARN, whatever its unknown part is",
		[text.quoted(v)],
	)
} else := msg if {
	f := _arn_fields(v)
	msgs := [m | some i in [1, 2, 3, 4]; m := _field_problem(v, i, f[i])]
	count(msgs) > 0
	msg := msgs[0]
} else := ""

_field_problem(v, 1, field) := sprintf(
	"the partition %q of %s is not an AWS partition (aws, aws-cn, aws-us-gov, ...)",
	[field, text.quoted(v)],
) if {
	not field in arns.partitions
}

_field_problem(v, 2, field) := sprintf(
	"%s is an ARN of the %s service, not a principal: name an account, user or role",
	[text.quoted(v), field],
) if {
	not field in {"iam", "sts"}
}

_field_problem(v, 3, field) := sprintf(
	"%s has the region %q, but IAM and STS principal ARNs have an empty region field",
	[text.quoted(v), field],
) if {
	field != ""
}

_field_problem(v, 4, field) := sprintf(
	"the account %q in %s is not a 12-digit account id",
	[field, text.quoted(v)],
) if {
	not arns.account_id(field)
}

_service_problem(v) := concat("", [
	"a service principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard ",
	"principal; name the service, like ssm.amazonaws.com",
]) if {
	v == "*"
} else := _wildcard_message(v) if {
	text.wildcard(v)
} else := "" if {
	text.unknown(v)
} else := "" if {
	_service_name(v)
} else := msg if {
	_service_name(lower(v))
	msg := sprintf("service principals are written in lower case: %q, not %q", [lower(v), v])
} else := msg if {
	startswith(v, "arn:")
	msg := sprintf("%q is an ARN, but a service principal is the service's name, like ssm.amazonaws.com", [v])
} else := sprintf("%q is not a service principal: those are written like ssm.amazonaws.com", [v])

# _service_name(v): NAME.amazonaws.com (.amazonaws.com.cn in China; the isolated
# partitions' c2s.ic.gov and sc2s.sgov.gov are accepted so as not to guess).
_service_name(v) if regex.match(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.(amazonaws\.com(\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov)$`, v)

_federated_problem(v) := concat("", [
	"a federated principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a ",
	"wildcard principal",
]) if {
	v == "*"
} else := _wildcard_message(v) if {
	text.wildcard(v)
} else := "" if {
	text.unknown(v)
} else := "" if {
	_provider_arn(v)
} else := msg if {
	startswith(v, "arn:")
	msg := sprintf(
		concat("", [
			"%q is not an identity provider ARN (arn:aws:iam::111122223333:saml-provider/NAME or ",
			"...:oidc-provider/HOST)",
		]),
		[v],
	)
} else := "" if {
	regex.match(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`, v)
} else := sprintf(
	concat("", [
		"%q is neither an identity provider ARN nor a provider's domain name ",
		"(cognito-identity.amazonaws.com, accounts.google.com, ...)",
	]),
	[v],
)

# _provider_arn(v): v is the ARN of an IAM SAML or OIDC identity provider.
_provider_arn(v) if {
	parts := split(v, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[1] in arns.partitions
	parts[2] == "iam"
	parts[3] == ""
	arns.account_id(parts[4])
	regex.match(`^(saml-provider|oidc-provider)/.+$`, parts[5])
}

_canonical_problem(v) := concat("", [
	"a canonical user principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a ",
	"wildcard principal",
]) if {
	v == "*"
} else := "" if {
	text.unknown(v)
} else := "" if {
	regex.match(`^[0-9a-fA-F]{64}$`, v)
} else := sprintf("%q is not a canonical user id, which is 64 hexadecimal digits", [v])

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
