# Helpers for the rules about actions and resources: action-wildcard, not-action,
# action-unsupported, action-not-promotable, resource-mismatch, resource-wildcard,
# resource-format, not-resource, resource-kind, securestring-key.
#
# Matching is done with glob.match and null delimiters, after escaping glob.match's own syntax
# ([ ] { } \), so that only IAM's wildcards (* and ?) and unknown parts act as wildcards and a
# * also matches across the dots, slashes and colons of a name (glob.match with an empty
# delimiter list would stop * at a dot).
package ssmpolicy.lib

# --- Elements ----------------------------------------------------------------------------

# action_values lists the Action values of every statement, each {"value", "lower", "path",
# "allow"}: one pass over the statements, shared by the action rules.
action_values := input.derived.action_values if input.derived

action_values := [{"value": a.value, "lower": lower(a.value), "path": a.path, "allow": allow} |
	some st in statements
	allow := object.get(st.value, "Effect", null) == "Allow"
	some a in element(st, "Action")
] if not input.derived

# resource_values lists the Resource and NotResource values of every statement, each
# {"value", "path", "name", "allow"}, shared by the resource rules.
resource_values := input.derived.resource_values if input.derived

resource_values := [{"value": r.value, "path": r.path, "name": name, "allow": allow} |
	some st in statements
	allow := object.get(st.value, "Effect", null) == "Allow"
	some name in ["Resource", "NotResource"]
	some r in element(st, name)
] if not input.derived

# --- Actions -----------------------------------------------------------------------------

# action_names spells the shareable actions the way AWS documents them, for messages.
action_names := {
	"ssm:describeparameters": "ssm:DescribeParameters",
	"ssm:getparameter": "ssm:GetParameter",
	"ssm:getparameters": "ssm:GetParameters",
	"ssm:getparameterhistory": "ssm:GetParameterHistory",
	"ssm:createopsitem": "ssm:CreateOpsItem",
	"ssm:addtagstoresource": "ssm:AddTagsToResource",
	"ssm:getopsitem": "ssm:GetOpsItem",
	"ssm:updateopsitem": "ssm:UpdateOpsItem",
	"ssm:describeopsitems": "ssm:DescribeOpsItems",
	"ssm:listopsitemevents": "ssm:ListOpsItemEvents",
	"ssm:listopsitemrelateditems": "ssm:ListOpsItemRelatedItems",
	"ssm:getopssummary": "ssm:GetOpsSummary",
}

# action_name(a) is the documented spelling of the lower-cased action a, or a itself.
action_name(a) := action_names[a]

action_name(a) := a if not action_names[a]

# action_list(s) writes a set of lower-cased actions as a sorted, comma-separated list.
action_list(s) := concat(", ", sort([action_name(a) | some a in s]))

# allowed_actions_text names the action set of the target's kind, for messages.
allowed_actions_text := sprintf("a parameter can share only %s", [action_list(parameter_actions)]) if kind == "parameter"

allowed_actions_text := sprintf("an OpsItemGroup can share only %s", [action_list(opsitemgroup_actions)]) if kind == "opsitemgroup"

allowed_actions_text := sprintf("a parameter can share only %s, an OpsItemGroup only %s", [
	action_list(parameter_actions),
	action_list(opsitemgroup_actions),
]) if not kind

# action_pattern(a) is the glob of an Action value: case-insensitive, * and ? are IAM's
# wildcards, an unknown part matches anything.
action_pattern(a) := iam_glob(lower(a))

# allowed_matched(a) is the set of shareable actions (for the target's kind) an Action value
# can stand for: itself, what its wildcard matches, or what its unknown part could be.
allowed_matched(a) := {x | some x in allowed_actions; glob.match(action_pattern(a), null, x)} if {
	iam_special(a)
}

allowed_matched(a) := {x | some x in allowed_actions; x == lower(a)} if not iam_special(a)

# --- Globs ---------------------------------------------------------------------------------

# iam_special(s) holds when s has an IAM wildcard or a part known only at deploy time.
iam_special(s) if wildcard(s)

iam_special(s) if unknown(s)

# iam_glob(s) is the glob.match pattern (null delimiters) of an IAM pattern: * and ? are
# wildcards, an unknown part is *, everything else is literal.
iam_glob(s) := strings.replace_n({
	"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}",
	unknown_marker: "*",
}, s)

# unknown_glob(s) is the glob of a value whose only wildcards are its unknown parts (the target
# ARN: a * in it is a literal character).
unknown_glob(s) := strings.replace_n({
	"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}", "*": "\\*", "?": "\\?",
	unknown_marker: "*",
}, s)

# resource_value(v) is a Resource value with its policy variables (${aws:username}, ...)
# treated as unknown: they are resolved per request, so a linter cannot know them.
resource_value(v) := regex.replace(v, `\$\{[^}]*\}`, unknown_marker) if contains(v, "${")

resource_value(v) := v if not contains(v, "${")

# may_match(r, t) holds when the Resource value r (IAM wildcards and unknown parts) can match
# the ARN t (unknown parts only) — when it could, for some value of the unknown parts. When
# both sides have wildcards, they are compared field by field (an unknown part stands for one
# field, and an SSM ARN has exactly five colons), each field by the literal text before its
# first and after its last wildcard: a necessary condition, so the rules never report on a
# guess.
may_match(r, t) if {
	not iam_special(r)
	not unknown(t)
	r == t
}

may_match(r, t) if {
	iam_special(r)
	not unknown(t)
	glob.match(iam_glob(r), null, t)
}

may_match(r, t) if {
	not iam_special(r)
	unknown(t)
	glob.match(unknown_glob(t), null, r)
}

may_match(r, t) if {
	iam_special(r)
	unknown(t)
	fr := split(r, ":")
	ft := split(t, ":")
	count(fr) == 6
	count(ft) == 6
	every i in numbers.range(0, 5) {
		field_may_match(fr[i], ft[i])
	}
}

may_match(r, t) if {
	iam_special(r)
	unknown(t)
	not six_fields(r, t)
	affixes_agree(r, t)
}

six_fields(r, t) if {
	count(split(r, ":")) == 6
	count(split(t, ":")) == 6
}

# field_may_match compares one field of each side.
field_may_match(r, t) if r == t

field_may_match(r, t) if {
	iam_special(r)
	not unknown(t)
	glob.match(iam_glob(r), null, t)
}

field_may_match(r, t) if {
	not iam_special(r)
	unknown(t)
	glob.match(unknown_glob(t), null, r)
}

field_may_match(r, t) if {
	iam_special(r)
	unknown(t)
	affixes_agree(r, t)
}

# affixes_agree(r, t): the literal text of r and t before their first wildcard agrees, and so
# does the text after their last.
affixes_agree(r, t) if {
	prefix_agree(regex.replace(r, `[*?\x{E000}][\s\S]*$`, ""), regex.replace(t, `\x{E000}[\s\S]*$`, ""))
	suffix_agree(regex.replace(r, `^[\s\S]*[*?\x{E000}]`, ""), regex.replace(t, `^[\s\S]*\x{E000}`, ""))
}

prefix_agree(a, b) if startswith(a, b)

prefix_agree(a, b) if startswith(b, a)

suffix_agree(a, b) if endswith(a, b)

suffix_agree(a, b) if endswith(b, a)

# --- ARNs ----------------------------------------------------------------------------------

# opsitem_arn is the pattern of the OpsItems an OpsItemGroup policy may name: those of the
# target's partition, region and account.
opsitem_arn := concat(":", [
	"arn", input.resource.partition, "ssm", input.resource.region, input.resource.account,
	concat("", ["opsitem/", unknown_marker]),
])

# resource_allowed(v) holds when the Resource value v may name what the target's policy can
# name: the parameter itself; for an OpsItemGroup, the group or the OpsItems of its account.
resource_allowed(v) if may_match(resource_value(v), input.resource.arn)

resource_allowed(v) if {
	kind == "opsitemgroup"
	input.resource.partition
	may_match(resource_value(v), opsitem_arn)
}

# well_formed_ssm_arn(s) is the fast path of resource-format: a fully known parameter,
# opsitem or opsitemgroup ARN with nothing to report.
well_formed_ssm_arn(s) if regex.match(ssm_arn_regex, s)

ssm_arn_regex := concat("", [
	"^arn:(", concat("|", partitions), "):ssm:[a-z]{2,4}(-[a-z]+)+-[0-9]+:[0-9]{12}:",
	"(parameter/[^/*?\ue000]|opsitem/[^*?\ue000]|opsitemgroup/[^*?\ue000])[^*?\ue000]*$",
])

# region_name matches an AWS region: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1,
# eusc-de-east-1.
region_name(s) if regex.match(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`, s)

# checked(s) holds for an ARN field that can be checked: no wildcard, no unknown part.
checked(s) if not iam_special(s)

# ssm_arn_problems(s) lists what is wrong with an ARN whose service is ssm (or not known),
# one clause per field; [] when nothing is, or when the ARN is not an SSM ARN.
ssm_arn_problems(s) := [m | some i in numbers.range(1, 5); m := arn_problem(f, i)] if {
	f := arn_parts(s)
	not other_service(f.service)
}

ssm_arn_problems(s) := [] if {
	f := arn_parts(s)
	other_service(f.service)
}

other_service(s) if {
	checked(s)
	s != "ssm"
}

arn_problem(f, 1) := sprintf("the partition %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", [f.partition]) if {
	checked(f.partition)
	not f.partition in partitions
}

arn_problem(f, 3) := "the region is empty, and an SSM ARN needs one (like us-east-1)" if {
	f.region == ""
}

arn_problem(f, 3) := sprintf("the region %q is not a region like us-east-1", [f.region]) if {
	f.region != ""
	checked(f.region)
	not region_name(f.region)
}

arn_problem(f, 4) := "the account is empty, and an SSM ARN needs the 12-digit account id" if {
	f.account == ""
}

arn_problem(f, 4) := sprintf("the account %q is not a 12-digit account id", [f.account]) if {
	f.account != ""
	checked(f.account)
	not account_id(f.account)
}

arn_problem(f, 5) := concat("", [
	"it has \"parameter//\": a parameter named /a/b has the ARN ...:parameter/a/b, with one slash ",
	"(CloudFormation's parameter/${P} with a Name that starts with / yields parameter//...: ",
	"write parameter${P} for such names)",
]) if {
	startswith(f.resource, "parameter//")
}

arn_problem(f, 5) := sprintf("it names no %s: write %s/NAME", [t, t]) if {
	t := trim_suffix(f.resource, "/")
	t in {"parameter", "opsitem"}
}

arn_problem(f, 5) := "it names no OpsItemGroup: write opsitemgroup/default" if {
	f.resource in {"opsitemgroup", "opsitemgroup/"}
}

# --- Messages ------------------------------------------------------------------------------

# shown(s) writes a value for a message, its unknown parts as <unknown>.
shown(s) := strings.replace_n({unknown_marker: "<unknown>"}, s)
