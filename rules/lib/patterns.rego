# METADATA
# description: |
#   IAM's wildcard matching. Matching is done with glob.match and null delimiters, after
#   escaping glob.match's own syntax ([ ] { } \), so that only IAM's wildcards (* and ?) and
#   unknown parts act as wildcards and a * also matches across the dots, slashes and colons of
#   a name (glob.match with an empty delimiter list would stop * at a dot).
package ssmpolicy.patterns

import data.ssmpolicy.text

# match(pattern, s): IAM wildcard matching, case-sensitive (for ARNs): * matches any run of
# characters, slashes and dots included, and ? one character. OPA's glob syntax also gives
# meaning to [ ] { } and \, which IAM does not: they are escaped first. The null delimiter list
# keeps * from stopping at dots (an empty list would mean ".").
match(pattern, s) if glob.match(_escape(pattern), null, s)

_escape(p) := strings.replace_n({"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}"}, p)

# iam_glob(s) is the glob.match pattern (null delimiters) of an IAM pattern: * and ? are
# wildcards, an unknown part is *, everything else is literal.
iam_glob(s) := strings.replace_n(
	{
		"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}",
		text.unknown_marker: "*",
	},
	s,
)

# unknown_glob(s) is the glob of a value whose only wildcards are its unknown parts (the target
# ARN: a * in it is a literal character).
unknown_glob(s) := strings.replace_n(
	{
		"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}", "*": "\\*", "?": "\\?",
		text.unknown_marker: "*",
	},
	s,
)

# may_match(r, t) holds when the Resource value r (IAM wildcards and unknown parts) can match
# the ARN t (unknown parts only) — when it could, for some value of the unknown parts. When
# both sides have wildcards, they are compared field by field (an unknown part stands for one
# field, and an SSM ARN has exactly five colons), each field by the literal text before its
# first and after its last wildcard: a necessary condition, so the rules never report on a
# guess.
may_match(r, t) if {
	not text.special(r)
	not text.unknown(t)
	r == t
}

may_match(r, t) if {
	text.special(r)
	not text.unknown(t)
	glob.match(iam_glob(r), null, t)
}

may_match(r, t) if {
	not text.special(r)
	text.unknown(t)
	glob.match(unknown_glob(t), null, r)
}

may_match(r, t) if {
	text.special(r)
	text.unknown(t)
	fr := split(r, ":")
	count(fr) == 6
	ft := split(t, ":")
	count(ft) == 6
	every i in numbers.range(0, 5) {
		_field_may_match(fr[i], ft[i])
	}
}

may_match(r, t) if {
	text.special(r)
	text.unknown(t)
	not _six_fields(r, t)
	_affixes_agree(r, t)
}

_six_fields(r, t) if {
	count(split(r, ":")) == 6
	count(split(t, ":")) == 6
}

# _field_may_match compares one field of each side.
_field_may_match(r, t) if r == t

_field_may_match(r, t) if {
	text.special(r)
	not text.unknown(t)
	glob.match(iam_glob(r), null, t)
}

_field_may_match(r, t) if {
	not text.special(r)
	text.unknown(t)
	glob.match(unknown_glob(t), null, r)
}

_field_may_match(r, t) if {
	text.special(r)
	text.unknown(t)
	_affixes_agree(r, t)
}

# _affixes_agree(r, t): the literal text of r and t before their first wildcard agrees, and so
# does the text after their last.
_affixes_agree(r, t) if {
	_prefix_agree(regex.replace(r, `[*?\x{E000}][\s\S]*$`, ""), regex.replace(t, `\x{E000}[\s\S]*$`, ""))
	_suffix_agree(regex.replace(r, `^[\s\S]*[*?\x{E000}]`, ""), regex.replace(t, `^[\s\S]*\x{E000}`, ""))
}

_prefix_agree(a, b) if startswith(a, b)

_prefix_agree(a, b) if startswith(b, a)

_suffix_agree(a, b) if endswith(a, b)

_suffix_agree(a, b) if endswith(b, a)
