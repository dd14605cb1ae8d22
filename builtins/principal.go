package builtins

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// description is what ssmpolicy.principal.describe says of a principal.
type description struct {
	// kind: "account", "role", "user", "assumed-role", "federated-user" for an AWS principal,
	// the type for Service, Federated and CanonicalUser, "*" for a wildcard, "" when it is
	// malformed, unknown, or of a type the grammar does not know.
	kind string
	// account: the 12-digit account the principal belongs to, or "".
	account string
	// partition: the partition of a principal ARN, or "".
	partition string
	// problem: what is wrong with how the principal is written (principal-format's message),
	// or "" when nothing can be said: well-formed, or unknown in a way that could be right;
	// help: how to write it (principal-format's help), "" with no problem.
	problem, help string
}

// withProblem is d with what is wrong with the principal and how to fix it.
func (d description) withProblem(p problem) description {
	d.problem, d.help = p.msg, p.help
	return d
}

func principalDescribeDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.principal.describe",
		Description: "What a principal of a type (AWS, Service, Federated, CanonicalUser, *) names: {kind, account, partition, problem, help}. " +
			"kind is account, role, user, assumed-role or federated-user for an AWS principal, the type for the others, * for a wildcard, \"\" when malformed or unknown; " +
			"account is its 12-digit account or \"\"; partition that of its ARN or \"\"; problem what is wrong with how it is written, or \"\"; help how to write it.",
		Decl: types.NewFunction(
			types.Args(types.Named("type", types.S), types.Named("value", types.S)),
			types.Named("description", obj(prop("kind", types.S), prop("account", types.S), prop("partition", types.S), prop("problem", types.S), prop("help", types.S))),
		),
	}
}

func principalDescribe(_ rego.BuiltinContext, t, v *ast.Term) (*ast.Term, error) {
	typ, err := stringArg(t, 1)
	if err != nil {
		return nil, err
	}
	val, err := stringArg(v, 2)
	if err != nil {
		return nil, err
	}
	d := describe(typ, val)
	return ast.ObjectTerm(
		ast.Item(str("kind"), str(d.kind)),
		ast.Item(str("account"), str(d.account)),
		ast.Item(str("partition"), str(d.partition)),
		ast.Item(str("problem"), str(d.problem)),
		ast.Item(str("help"), str(d.help)),
	), nil
}

func stringArg(t *ast.Term, pos int) (string, error) {
	s, ok := t.Value.(ast.String)
	if !ok {
		return "", fmt.Errorf("operand %d must be a string, not %s", pos, ast.ValueName(t.Value))
	}
	return string(s), nil
}

var (
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	// awsGoodRe matches the well-formed AWS principal ARNs without wildcards or unknown parts.
	awsGoodRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-eusc|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):` +
		`(iam::[0-9]{12}:(root|(user|role)/([!-)+->@-~]*/)?[\w+=,.@-]{1,64})|` +
		`sts::[0-9]{12}:(assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}|federated-user/[\w+=,.@-]{2,32}))$`)
	// IAM user, role and session names: 1 to 64 of A-Z a-z 0-9 + = , . @ _ -
	identityRe      = regexp.MustCompile(`^(user|role)/([!-~]*/)?[\w+=,.@-]{1,64}$`)
	sessionRe       = regexp.MustCompile(`^assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}$`)
	federatedUserRe = regexp.MustCompile(`^federated-user/[\w+=,.@-]{2,32}$`)
	digitsRe        = regexp.MustCompile(`^[0-9]+$`)
	spacedDigitsRe  = regexp.MustCompile(`^[0-9][0-9 -]*$`)
	accountStartRe  = regexp.MustCompile(`^[0-9]{0,12}$`)
	// serviceNameRe: NAME.amazonaws.com (.amazonaws.com.cn in China; the isolated partitions'
	// c2s.ic.gov and sc2s.sgov.gov are accepted so as not to guess).
	serviceNameRe  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.(amazonaws\.com(\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov)$`)
	providerNameRe = regexp.MustCompile(`^(saml-provider|oidc-provider)/.+$`)
	domainRe       = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)
	canonicalRe    = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

// partitions are the AWS partitions.
func partitions() []string {
	return []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}
}

func isPartition(p string) bool { return slices.Contains(partitions(), p) }

func isAccount(s string) bool { return accountRe.MatchString(s) }

func unknown(s string) bool { return strings.Contains(s, Unknown) }

func wildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// quoted writes a value for a message: quoted, its deploy-time parts written <unknown>.
func quoted(s string) string { return fmt.Sprintf("%q", strings.ReplaceAll(s, Unknown, "<unknown>")) }

// describe says what a principal of type typ names; see description.
func describe(typ, v string) description {
	switch typ {
	case "AWS":
		switch {
		case isAccount(v):
			return description{kind: "account", account: v}
		case awsGoodRe.MatchString(v):
			parts := strings.Split(v, ":")
			return description{kind: kindOfResource(parts[5]), account: parts[4], partition: parts[1]}
		case v == "*":
			return description{kind: "*"}
		}
		d := description{}.withProblem(awsProblem(v))
		d.kind, _ = awsKind(v)
		d.account, _ = principalAccount(v)
		d.partition, _ = arnPartition(v)
		return d
	case "*":
		return description{kind: "*"}
	case "Service":
		return description{kind: typ}.withProblem(serviceProblem(v))
	case "Federated":
		p, _ := arnPartition(v)
		return description{kind: typ, partition: p}.withProblem(federatedProblem(v))
	case "CanonicalUser":
		return description{kind: typ}.withProblem(canonicalProblem(v))
	}
	return description{} // a type the grammar does not know is the schema's business
}

func kindOfResource(r string) string {
	if r == "root" {
		return "account"
	}
	return strings.Split(r, "/")[0]
}

// arnFields are the fields of the ARN v that are known, by index: 0 "arn", 1 partition,
// 2 service, 3 region, 4 account, 5 resource. Without a deploy-time part that is all six (v
// must have exactly six). With one, the fields wholly before the first unknown part, counted
// from the start, and those wholly after the last one, counted from the end (IAM principal
// ARNs have six fields and no colon in the resource). ok is false when v cannot be an ARN.
func arnFields(v string) (map[int]string, bool) {
	if !unknown(v) {
		parts := strings.Split(v, ":")
		if len(parts) != 6 || parts[0] != "arn" {
			return nil, false
		}
		f := make(map[int]string, 6)
		for i, p := range parts {
			f[i] = p
		}
		return f, true
	}
	pieces := strings.Split(v, Unknown)
	prefix := pieces[0]
	if !arnPrefixPossible(prefix) {
		return nil, false
	}
	f := map[int]string{}
	if pf := strings.Split(prefix, ":"); len(pf) >= 2 {
		for i := 0; i <= len(pf)-2 && i <= 5; i++ {
			f[i] = pf[i]
		}
	}
	sf := strings.Split(pieces[len(pieces)-1], ":")
	n := len(sf)
	for j := 1; j <= n-1; j++ {
		if k := 5 - (n - 1 - j); k >= 1 {
			f[k] = sf[j]
		}
	}
	return f, true
}

// arnPrefixPossible: the known start p of a value can begin an ARN.
func arnPrefixPossible(p string) bool {
	return strings.HasPrefix(p, "arn:") || strings.HasPrefix("arn:", p)
}

// resourceType is the type of an IAM or STS principal ARN's resource ("root", "role", "user",
// "assumed-role", "federated-user", "group", ...), when known.
func resourceType(v string) (string, bool) {
	if f, ok := arnFields(v); ok {
		if r, ok := f[5]; ok {
			return strings.Split(r, "/")[0], true
		}
	}
	if !unknown(v) {
		return "", false
	}
	// the resource is only partly known, but its type is written before the unknown part
	prefix := strings.Split(v, Unknown)[0]
	if !strings.HasPrefix(prefix, "arn:") {
		return "", false
	}
	pf := strings.Split(prefix, ":")
	if len(pf) != 6 || !strings.Contains(pf[5], "/") {
		return "", false
	}
	return strings.Split(pf[5], "/")[0], true
}

// principalAccount is the 12-digit account an AWS principal belongs to: the account itself,
// its root ARN, or the account of a user, role or session ARN.
func principalAccount(v string) (string, bool) {
	if isAccount(v) {
		return v, true
	}
	f, ok := arnFields(v)
	if !ok {
		return "", false
	}
	a, ok := f[4]
	if !ok || !isAccount(a) {
		return "", false
	}
	if s, ok := f[2]; ok && s != "iam" && s != "sts" {
		return "", false
	}
	return a, true
}

// arnPartition is the partition of a principal ARN, when known.
func arnPartition(v string) (string, bool) {
	f, ok := arnFields(v)
	if !ok {
		return "", false
	}
	p, ok := f[1]
	return p, ok
}

// awsKind is what an AWS principal names: "account" (id or root ARN), "role", "user",
// "assumed-role", "federated-user"; not ok for "*" and what is malformed.
func awsKind(v string) (string, bool) {
	if isAccount(v) {
		return "account", true
	}
	if f, ok := arnFields(v); ok && f[5] == "root" {
		return "account", true
	}
	if t, ok := resourceType(v); ok && slices.Contains([]string{"role", "user", "assumed-role", "federated-user"}, t) {
		return t, true
	}
	return "", false
}
