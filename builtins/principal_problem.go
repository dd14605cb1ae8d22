package builtins

import (
	"fmt"
	"slices"
	"strings"
)

// The problems below are principal-format's findings: what is wrong with how a principal of
// each type is written, and how to write it; none when nothing can be said (well-formed, or
// unknown in a way that could be right).

// problem is what is wrong (msg) and how to put it right (help).
type problem struct{ msg, help string }

func wildcardProblem(v string) problem {
	return problem{quoted(v) + " has a wildcard in it, and principals take no partial wildcards",
		"list the accounts by their 12-digit ids, or use \"*\" with a StringEquals condition on aws:PrincipalOrgID or aws:PrincipalAccount"}
}

const writeAccount = "write the account's 12-digit id (111122223333) or its root ARN (arn:aws:iam::111122223333:root)"

func awsProblem(v string) problem {
	switch {
	case v == "*":
		return problem{} // principal-wildcard's business
	case wildcard(v) && strings.ReplaceAll(v, Unknown, "") != "*":
		return wildcardProblem(v)
	case unknown(v):
		return unknownProblem(v)
	case isAccount(v):
		return problem{}
	}
	if spacedDigitsRe.MatchString(v) {
		digits := strings.ReplaceAll(strings.ReplaceAll(v, "-", ""), " ", "")
		if len(digits) == 12 {
			return problem{fmt.Sprintf("the account id %q has dashes or spaces, and an account id is 12 digits", v), fmt.Sprintf("write %q", digits)}
		}
	}
	if digitsRe.MatchString(v) {
		return problem{fmt.Sprintf("the account id %q has %d digits, and an AWS account id has 12 (leading zeros included)", v, len(v)),
			"write the account's 12-digit id"}
	}
	if !strings.HasPrefix(v, "arn:") {
		return problem{fmt.Sprintf("%q is neither a 12-digit account id nor an IAM ARN", v), writeAccount}
	}
	return arnProblem(v)
}

// arnProblem: what is wrong with an AWS principal written as an ARN: its shape, the fields
// before the resource, or the resource.
func arnProblem(v string) problem {
	parts := strings.Split(v, ":")
	switch {
	case len(parts) != 6:
		return problem{fmt.Sprintf("%q is not a well-formed principal ARN: it has %d colon-separated fields, and an IAM "+
			"principal ARN has six", v, len(parts)), writeAccount}
	case !isPartition(parts[1]):
		return problem{fmt.Sprintf("the partition %q of %q is not an AWS partition", parts[1], v),
			"write aws, aws-cn, aws-us-gov or another AWS partition"}
	case parts[2] != "iam" && parts[2] != "sts":
		return problem{fmt.Sprintf("%q is an ARN of the %s service, not a principal", v, parts[2]),
			fmt.Sprintf("name an account: its 12-digit id or arn:%s:iam::ACCOUNT:root", parts[1])}
	case parts[3] != "":
		return problem{fmt.Sprintf("%q has the region %q, but IAM and STS principal ARNs have an empty region field", v, parts[3]),
			fmt.Sprintf("write arn:%s:%s::%s", parts[1], parts[2], strings.Join(parts[4:], ":"))}
	case !isAccount(parts[4]):
		return problem{fmt.Sprintf("the account %q in %q is not a 12-digit account id", parts[4], v), "write the account's 12-digit id"}
	}
	return resourceProblem(v, parts)
}

func resourceProblem(v string, parts []string) problem {
	service, resource := parts[2], parts[5]
	typ := strings.Split(resource, "/")[0]
	switch {
	case service == "iam" && (resource == "root" || identityRe.MatchString(resource)),
		service == "sts" && (sessionRe.MatchString(resource) || federatedUserRe.MatchString(resource)):
		return problem{}
	case service == "iam" && strings.HasPrefix(resource, "group/"):
		return problem{fmt.Sprintf("%q is an IAM group, and a group cannot be a principal", v), "name the account, or the users or roles"}
	case service == "iam" && (typ == "assumed-role" || typ == "federated-user"):
		return problem{fmt.Sprintf("%q names an STS session under the iam service", v),
			fmt.Sprintf("write arn:%s:sts::%s:%s", parts[1], parts[4], resource)}
	case service == "sts" && (typ == "root" || typ == "user" || typ == "role"):
		return problem{fmt.Sprintf("%q names an IAM identity under the sts service", v),
			fmt.Sprintf("write arn:%s:iam::%s:%s", parts[1], parts[4], resource)}
	case slices.Contains([]string{"user", "role", "assumed-role", "federated-user"}, typ):
		return problem{fmt.Sprintf("the %s name in %q is malformed", typ, v),
			"write a name of 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -"}
	}
	return problem{fmt.Sprintf("%q names no principal", v),
		"end an IAM principal ARN in root, user/NAME or role/NAME (an STS one in assumed-role/ROLE/SESSION or federated-user/NAME)"}
}

// unknownProblem: an AWS principal with a deploy-time part is wrong only when its known start
// can begin neither an account id nor an IAM ARN, or a field of it that is wholly known is
// wrong.
func unknownProblem(v string) problem {
	prefix := strings.Split(v, Unknown)[0]
	if !accountStartRe.MatchString(prefix) && !arnPrefixPossible(prefix) {
		return problem{fmt.Sprintf("%s can be neither a 12-digit account id nor an IAM ARN, whatever its unknown part is", quoted(v)),
			writeAccount}
	}
	f, ok := arnFields(v)
	if !ok {
		return problem{}
	}
	if p, ok := f[1]; ok && !isPartition(p) {
		return problem{fmt.Sprintf("the partition %q of %s is not an AWS partition", p, quoted(v)),
			"write aws, aws-cn, aws-us-gov or another AWS partition"}
	}
	if s, ok := f[2]; ok && s != "iam" && s != "sts" {
		return problem{fmt.Sprintf("%s is an ARN of the %s service, not a principal", quoted(v), s), "name an account, user or role"}
	}
	if r, ok := f[3]; ok && r != "" {
		return problem{fmt.Sprintf("%s has the region %q, but IAM and STS principal ARNs have an empty region field", quoted(v), r),
			"leave the region field empty"}
	}
	if a, ok := f[4]; ok && !isAccount(a) {
		return problem{fmt.Sprintf("the account %q in %s is not a 12-digit account id", a, quoted(v)), "write the account's 12-digit id"}
	}
	return problem{}
}

const notAWildcard = "only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal"

func serviceProblem(v string) problem {
	const name = "write the service's name, like ssm.amazonaws.com"
	switch {
	case v == "*":
		return problem{"a service principal cannot be \"*\": " + notAWildcard, name}
	case wildcard(v):
		return wildcardProblem(v)
	case unknown(v), serviceNameRe.MatchString(v):
		return problem{}
	case serviceNameRe.MatchString(strings.ToLower(v)):
		return problem{fmt.Sprintf("the service principal %q is not in lower case, as service principals are written", v),
			fmt.Sprintf("write %q", strings.ToLower(v))}
	case strings.HasPrefix(v, "arn:"):
		return problem{fmt.Sprintf("%q is an ARN, but a service principal is the service's name", v), name}
	}
	return problem{fmt.Sprintf("%q is not a service principal", v), name}
}

func federatedProblem(v string) problem {
	switch {
	case v == "*":
		return problem{"a federated principal cannot be \"*\": " + notAWildcard, "name the identity provider"}
	case wildcard(v):
		return wildcardProblem(v)
	case unknown(v), providerARN(v):
		return problem{}
	case strings.HasPrefix(v, "arn:"):
		return problem{fmt.Sprintf("%q is not an identity provider ARN", v),
			"write arn:aws:iam::111122223333:saml-provider/NAME or arn:aws:iam::111122223333:oidc-provider/HOST"}
	case domainRe.MatchString(v):
		return problem{}
	}
	return problem{fmt.Sprintf("%q is neither an identity provider ARN nor a provider's domain name", v),
		"write the provider's ARN, or its domain name (cognito-identity.amazonaws.com, accounts.google.com, ...)"}
}

// providerARN: v is the ARN of an IAM SAML or OIDC identity provider.
func providerARN(v string) bool {
	parts := strings.Split(v, ":")
	return len(parts) == 6 && parts[0] == "arn" && isPartition(parts[1]) && parts[2] == "iam" && parts[3] == "" &&
		isAccount(parts[4]) && providerNameRe.MatchString(parts[5])
}

func canonicalProblem(v string) problem {
	const id = "write the canonical user id: 64 hexadecimal digits"
	switch {
	case v == "*":
		return problem{"a canonical user principal cannot be \"*\": " + notAWildcard, id}
	case unknown(v), canonicalRe.MatchString(v):
		return problem{}
	}
	return problem{fmt.Sprintf("%q is not a canonical user id, which is 64 hexadecimal digits", v), id}
}
