# The ten ssmpolicy rules that need no context, written for conftest (v0.71.1, Rego v1), so that
# bench/run.sh compares the two tools doing comparable work on the same policy files.
#
# They see one policy document at a time and know nothing of the manifest, so parameter-tier,
# securestring-key and the "names another parameter" half of resource-mismatch have no
# equivalent here: resource-mismatch only checks that Resource is a single parameter ARN.
# Each message starts with the ssmpolicy rule id it stands for.
package main

# Only documents with a Statement are policies; anything else conftest is given (a manifest, a
# stray JSON file) is left alone, as ssmpolicy skips it.
is_policy if "Statement" in object.keys(input)

# Statement may be one object or a list.
statements := input.Statement if is_array(input.Statement)

statements := [input.Statement] if is_object(input.Statement)

# as_list turns a string-or-list element into a list.
as_list(x) := x if is_array(x)

as_list(x) := [x] if is_string(x)

allows(s) if s.Effect == "Allow"

aws_principals(p) := as_list(p.AWS) if is_object(p)

# The four read actions of the two RAM managed permission sets, lowercase because IAM action
# names are case-insensitive.
read_actions := {"ssm:describeparameters", "ssm:getparameter", "ssm:getparameters", "ssm:getparameterhistory"}

# A condition that pins the principal down makes a wildcard principal legitimate.
pinning_keys := {"aws:principalorgid", "aws:principalaccount", "aws:principalorgpaths"}

pinned(s) if {
	some op, keys in s.Condition
	startswith(lower(op), "stringequals")
	some key, _ in keys
	lower(key) in pinning_keys
}

wildcard_principal(s) if s.Principal == "*"

wildcard_principal(s) if "*" in aws_principals(s.Principal)

# principal-wildcard
deny contains msg if {
	some i, s in statements
	allows(s)
	wildcard_principal(s)
	not pinned(s)
	msg := sprintf("principal-wildcard: Statement %d grants every AWS account", [i])
}

# principal-format: an account is a 12-digit id or its root ARN.
valid_principal(p) if regex.match(`^[0-9]{12}$`, p)

valid_principal(p) if regex.match(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:root$`, p)

deny contains msg if {
	some i, s in statements
	some el in ["Principal", "NotPrincipal"]
	some p in aws_principals(s[el])
	p != "*"
	not valid_principal(p)
	msg := sprintf("principal-format: Statement %d %s %q is neither a 12-digit account id nor an account root ARN", [i, el, p])
}

# action-unsupported: the wildcard ones are action-wildcard's business.
deny contains msg if {
	some i, s in statements
	some a in as_list(s.Action)
	not contains(a, "*")
	not contains(a, "?")
	not lower(a) in read_actions
	msg := sprintf("action-unsupported: Statement %d action %q cannot be shared on a parameter", [i, a])
}

# action-wildcard
deny contains msg if {
	some i, s in statements
	allows(s)
	some a in as_list(s.Action)
	regex.match(`[*?]`, a)
	msg := sprintf("action-wildcard: Statement %d action %q is a wildcard", [i, a])
}

# not-principal
deny contains msg if {
	some i, s in statements
	allows(s)
	"NotPrincipal" in object.keys(s)
	msg := sprintf("not-principal: Statement %d allows with NotPrincipal, granting everyone else", [i])
}

# resource-mismatch: without the manifest, the target is unknown; what can still be checked is
# that the statement names exactly one resource and that it is a parameter.
parameter_arn(r) if regex.match(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+$`, r)

deny contains msg if {
	some i, s in statements
	not "Resource" in object.keys(s)
	msg := sprintf("resource-mismatch: Statement %d has no Resource", [i])
}

deny contains msg if {
	some i, s in statements
	count(as_list(s.Resource)) > 1
	msg := sprintf("resource-mismatch: Statement %d names %d resources, a parameter policy names one", [i, count(as_list(s.Resource))])
}

deny contains msg if {
	some i, s in statements
	some r in as_list(s.Resource)
	not contains(r, "*")
	not parameter_arn(r)
	msg := sprintf("resource-mismatch: Statement %d resource %q is not a parameter ARN", [i, r])
}

# resource-wildcard
deny contains msg if {
	some i, s in statements
	allows(s)
	some r in as_list(s.Resource)
	regex.match(`[*?]`, r)
	msg := sprintf("resource-wildcard: Statement %d resource %q is a wildcard", [i, r])
}

# sid-duplicate
deny contains msg if {
	some sid in {s.Sid | some s in statements}
	n := count([1 | some s in statements; s.Sid == sid])
	n > 1
	msg := sprintf("sid-duplicate: Sid %q is used by %d statements", [sid, n])
}

# version
deny contains msg if {
	is_policy
	not input.Version
	msg := "version: Version is missing; write \"2012-10-17\""
}

deny contains msg if {
	is_policy
	input.Version
	input.Version != "2012-10-17"
	msg := sprintf("version: Version %q is not \"2012-10-17\"", [input.Version])
}

# policy-size: json.marshal writes compact JSON, as the policy is sent. OPA sorts keys and
# escapes as Go does, so the length equals the user's compacted text for the ASCII policies of
# this corpus; count on a string counts characters, which for ASCII is bytes.
deny contains msg if {
	is_policy
	n := count(json.marshal(input))
	n > 1024
	msg := sprintf("policy-size: the policy is %d bytes compacted, over the 1024-byte limit", [n])
}
