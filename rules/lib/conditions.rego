# METADATA
# description: |
#   Condition blocks, and what the messages about them suggest: IAM's condition operators and
#   the documented global condition keys. Reading an operator, and whether a value has the type
#   it compares, are the built-ins ssmpolicy.condition.operator and .value_ok.
package ssmpolicy.conditions

# operators maps IAM's condition operators, without set prefix and IfExists suffix, from
# their lower-case form to their spelling: the suggestions of condition-operator. (Written
# out: a literal costs nothing per policy. A Go test checks that it lists the operators
# ssmpolicy.condition.operator knows.)
operators := {
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

_prefixes := {"forallvalues:": "ForAllValues:", "foranyvalue:": "ForAnyValue:"}

# blocks(st) lists the statement's condition blocks, {"op", "block", "path"}.
blocks(st) := [{"op": op, "block": block, "path": array.concat(st.path, ["Condition", op])} |
	some op, block in st.value.Condition
	is_object(block)
] if {
	is_object(st.value.Condition)
} else := []

# parts(op) splits an operator, case-insensitively, into {"prefix", "rest"}: prefix is
# the canonical set operator ("ForAllValues:", "ForAnyValue:" or "").
parts(op) := {"prefix": canon, "rest": substring(op, count(p), -1)} if {
	some p, canon in _prefixes
	startswith(lower(op), p)
} else := {"prefix": "", "rest": op}

# values(x, path) lists the scalars of a condition value (one, or a list), with paths.
values(x, path) := [{"value": v, "path": array.concat(path, [i])} |
	some i, v in x
	not is_array(v)
	not is_object(v)
] if {
	is_array(x)
} else := [{"value": x, "path": path}] if {
	not is_object(x)
} else := []

# _similarity(a, b) counts the characters two strings share at their start and end.
_similarity(a, b) := min([p + s, n]) if {
	n := min([count(a), count(b)])
	n > 0
	p := count([i | some i in numbers.range(1, n); substring(a, 0, i) == substring(b, 0, i)])
	ra := strings.reverse(a)
	rb := strings.reverse(b)
	s := count([i | some i in numbers.range(1, n); substring(ra, 0, i) == substring(rb, 0, i)])
} else := 0

# closest(s, candidates) is the candidate (of a set, array or object's values) most like s
# (compared lower-cased), when it shares at least 70% of the longer one's characters at its
# start and end.
closest(s, candidates) := best if {
	ls := lower(s)
	scored := {[sc, c] | some c in candidates; sc := _similarity(ls, lower(c))}
	top := max({x[0] | some x in scored})
	best := min({x[1] | some x in scored; x[0] == top})
	top * 10 >= max([count(s), count(best)]) * 7
}

# global_keys maps the documented AWS global condition context keys (IAM User Guide, "AWS
# global condition context keys"), lower-cased, to their spelling; tag keys are matched by
# tag_prefixes.
global_keys := {
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

# tag_prefixes maps the tag key prefixes, lower-cased, to their spelling.
tag_prefixes := {
	"aws:principaltag/": "aws:PrincipalTag/",
	"aws:requesttag/": "aws:RequestTag/",
	"aws:resourcetag/": "aws:ResourceTag/",
}

# key_known(k): k is a documented global key (k lower-cased), or a tag key with a name.
key_known(k) if global_keys[k]

key_known(k) if {
	some p, _ in tag_prefixes
	startswith(k, p)
	count(k) > count(p)
}
