package builtins

import (
	"fmt"
	"slices"
	"strings"
)

// The problems below are principal-format's messages: what is wrong with how a principal of
// each type is written, or "" when nothing can be said (well-formed, or unknown in a way that
// could be right).

func wildcardMessage(v string) string {
	return quoted(v) + " has a wildcard in it: principals take no partial wildcards; list the accounts by their " +
		"12-digit ids, or use \"*\" with a StringEquals condition on aws:PrincipalOrgID or aws:PrincipalAccount"
}

func awsProblem(v string) string {
	switch {
	case v == "*":
		return "" // principal-wildcard's business
	case wildcard(v) && strings.ReplaceAll(v, Unknown, "") != "*":
		return wildcardMessage(v)
	case unknown(v):
		return unknownProblem(v)
	case isAccount(v):
		return ""
	}
	if spacedDigitsRe.MatchString(v) {
		digits := strings.ReplaceAll(strings.ReplaceAll(v, "-", ""), " ", "")
		if len(digits) == 12 {
			return fmt.Sprintf("the account id %q must be written as 12 digits without dashes or spaces: %q", v, digits)
		}
	}
	if digitsRe.MatchString(v) {
		return fmt.Sprintf("the account id %q has %d digits, an AWS account id has 12 (leading zeros included)", v, len(v))
	}
	if !strings.HasPrefix(v, "arn:") {
		return fmt.Sprintf("%q is neither a 12-digit account id nor an IAM ARN (arn:aws:iam::111122223333:root)", v)
	}
	return arnProblem(v)
}

// arnProblem: what is wrong with an AWS principal written as an ARN: its shape, the fields
// before the resource, or the resource.
func arnProblem(v string) string {
	parts := strings.Split(v, ":")
	switch {
	case len(parts) != 6:
		return fmt.Sprintf("%q is not a well-formed principal ARN: it has %d colon-separated fields, an IAM principal ARN "+
			"has six (arn:aws:iam::111122223333:root)", v, len(parts))
	case !isPartition(parts[1]):
		return fmt.Sprintf("the partition %q of %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", parts[1], v)
	case parts[2] != "iam" && parts[2] != "sts":
		return fmt.Sprintf("%q is an ARN of the %s service, not a principal: name an account (its 12-digit id or "+
			"arn:%s:iam::ACCOUNT:root)", v, parts[2], parts[1])
	case parts[3] != "":
		return fmt.Sprintf("%q has the region %q, but IAM and STS principal ARNs have an empty region field (arn:%s:%s::ACCOUNT:...)",
			v, parts[3], parts[1], parts[2])
	case !isAccount(parts[4]):
		return fmt.Sprintf("the account %q in %q is not a 12-digit account id", parts[4], v)
	}
	return resourceProblem(v, parts)
}

func resourceProblem(v string, parts []string) string {
	service, resource := parts[2], parts[5]
	typ := strings.Split(resource, "/")[0]
	switch {
	case service == "iam" && (resource == "root" || identityRe.MatchString(resource)),
		service == "sts" && (sessionRe.MatchString(resource) || federatedUserRe.MatchString(resource)):
		return ""
	case service == "iam" && strings.HasPrefix(resource, "group/"):
		return fmt.Sprintf("%q is an IAM group, and a group cannot be a principal: name the account, or the users or roles", v)
	case service == "iam" && (typ == "assumed-role" || typ == "federated-user"):
		return fmt.Sprintf("%q names an STS session under the iam service: write arn:%s:sts::%s:%s", v, parts[1], parts[4], resource)
	case service == "sts" && (typ == "root" || typ == "user" || typ == "role"):
		return fmt.Sprintf("%q names an IAM identity under the sts service: write arn:%s:iam::%s:%s", v, parts[1], parts[4], resource)
	case slices.Contains([]string{"user", "role", "assumed-role", "federated-user"}, typ):
		return fmt.Sprintf("the %s name in %q is malformed: names are 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -", typ, v)
	}
	return fmt.Sprintf("%q names no principal: an IAM principal ARN ends in root, user/NAME or role/NAME (an STS one in "+
		"assumed-role/ROLE/SESSION or federated-user/NAME)", v)
}

// unknownProblem: an AWS principal with a deploy-time part is wrong only when its known start
// can begin neither an account id nor an IAM ARN, or a field of it that is wholly known is
// wrong.
func unknownProblem(v string) string {
	prefix := strings.Split(v, Unknown)[0]
	if !accountStartRe.MatchString(prefix) && !arnPrefixPossible(prefix) {
		return fmt.Sprintf("%s can be neither a 12-digit account id nor an IAM ARN, whatever its unknown part is", quoted(v))
	}
	f, ok := arnFields(v)
	if !ok {
		return ""
	}
	if p, ok := f[1]; ok && !isPartition(p) {
		return fmt.Sprintf("the partition %q of %s is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", p, quoted(v))
	}
	if s, ok := f[2]; ok && s != "iam" && s != "sts" {
		return fmt.Sprintf("%s is an ARN of the %s service, not a principal: name an account, user or role", quoted(v), s)
	}
	if r, ok := f[3]; ok && r != "" {
		return fmt.Sprintf("%s has the region %q, but IAM and STS principal ARNs have an empty region field", quoted(v), r)
	}
	if a, ok := f[4]; ok && !isAccount(a) {
		return fmt.Sprintf("the account %q in %s is not a 12-digit account id", a, quoted(v))
	}
	return ""
}

func serviceProblem(v string) string {
	switch {
	case v == "*":
		return "a service principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard " +
			"principal; name the service, like ssm.amazonaws.com"
	case wildcard(v):
		return wildcardMessage(v)
	case unknown(v), serviceNameRe.MatchString(v):
		return ""
	case serviceNameRe.MatchString(strings.ToLower(v)):
		return fmt.Sprintf("service principals are written in lower case: %q, not %q", strings.ToLower(v), v)
	case strings.HasPrefix(v, "arn:"):
		return fmt.Sprintf("%q is an ARN, but a service principal is the service's name, like ssm.amazonaws.com", v)
	}
	return fmt.Sprintf("%q is not a service principal: those are written like ssm.amazonaws.com", v)
}

func federatedProblem(v string) string {
	switch {
	case v == "*":
		return "a federated principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal"
	case wildcard(v):
		return wildcardMessage(v)
	case unknown(v), providerARN(v):
		return ""
	case strings.HasPrefix(v, "arn:"):
		return fmt.Sprintf("%q is not an identity provider ARN (arn:aws:iam::111122223333:saml-provider/NAME or "+
			"...:oidc-provider/HOST)", v)
	case domainRe.MatchString(v):
		return ""
	}
	return fmt.Sprintf("%q is neither an identity provider ARN nor a provider's domain name "+
		"(cognito-identity.amazonaws.com, accounts.google.com, ...)", v)
}

// providerARN: v is the ARN of an IAM SAML or OIDC identity provider.
func providerARN(v string) bool {
	parts := strings.Split(v, ":")
	return len(parts) == 6 && parts[0] == "arn" && isPartition(parts[1]) && parts[2] == "iam" && parts[3] == "" &&
		isAccount(parts[4]) && providerNameRe.MatchString(parts[5])
}

func canonicalProblem(v string) string {
	switch {
	case v == "*":
		return "a canonical user principal cannot be \"*\": only \"Principal\": \"*\" or {\"AWS\": \"*\"} is a wildcard principal"
	case unknown(v), canonicalRe.MatchString(v):
		return ""
	}
	return fmt.Sprintf("%q is not a canonical user id, which is 64 hexadecimal digits", v)
}
