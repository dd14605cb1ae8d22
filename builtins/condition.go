package builtins

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// ConditionOperators are IAM's condition operators, without set prefix and IfExists suffix,
// as IAM spells them (docs/aws-facts.md, "Conditions").
func ConditionOperators() []string {
	return []string{
		"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
		"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
		"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
		"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
	}
}

// operatorByLower spells the operator whose lower-case form is l, or "".
func operatorByLower(l string) string {
	for _, o := range ConditionOperators() {
		if strings.ToLower(o) == l {
			return o
		}
	}
	return ""
}

// family is the kind of value an operator compares.
func family(base string) string {
	switch {
	case strings.HasPrefix(base, "String"):
		return "string"
	case strings.HasPrefix(base, "Numeric"):
		return "numeric"
	case strings.HasPrefix(base, "Date"):
		return "date"
	case base == "Bool" || base == "Null":
		return "bool"
	case base == "BinaryEquals":
		return "binary"
	case base == "IpAddress" || base == "NotIpAddress":
		return "ip"
	case strings.HasPrefix(base, "Arn"):
		return "arn"
	}
	return ""
}

func conditionOperatorDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.condition.operator",
		Description: "An IAM condition operator read whatever its letter case: {prefix (ForAllValues:, ForAnyValue: or \"\"), base (StringEquals, ...), " +
			"if_exists, spelled (as IAM writes it), family (string, numeric, date, bool, binary, ip or arn)}. Undefined for an operator IAM does not know.",
		Decl: types.NewFunction(types.Args(types.Named("op", types.S)), types.Named("operator", obj(
			prop("prefix", types.S), prop("base", types.S), prop("if_exists", types.B), prop("spelled", types.S), prop("family", types.S),
		))),
	}
}

func conditionOperator(_ rego.BuiltinContext, o *ast.Term) (*ast.Term, error) {
	op, err := stringArg(o, 1)
	if err != nil {
		return nil, err
	}
	prefix, rest := "", op
	for _, p := range []string{"ForAllValues:", "ForAnyValue:"} {
		if strings.HasPrefix(strings.ToLower(op), strings.ToLower(p)) {
			prefix, rest = p, op[len(p):]
		}
	}
	lower := []rune(strings.ToLower(rest))
	baseLower, ifExists := string(lower), false
	if n := len(lower); n >= 8 && string(lower[n-8:]) == "ifexists" && operatorByLower(string(lower[:n-8])) != "" {
		baseLower, ifExists = string(lower[:n-8]), true
	}
	base := operatorByLower(baseLower)
	if base == "" {
		return nil, nil // not an operator: undefined
	}
	spelled := prefix + base
	if ifExists {
		spelled += "IfExists"
	}
	return ast.ObjectTerm(
		ast.Item(str("prefix"), str(prefix)),
		ast.Item(str("base"), str(base)),
		ast.Item(str("if_exists"), ast.BooleanTerm(ifExists)),
		ast.Item(str("spelled"), str(spelled)),
		ast.Item(str("family"), str(family(base))),
	), nil
}

func conditionValueOKDecl() *rego.Function {
	return &rego.Function{
		Name: "ssmpolicy.condition.value_ok",
		Description: "Whether a condition value is of the type an operator family compares: bool true or false; numeric a number; " +
			"date an ISO 8601 date or time, or epoch seconds; ip an IPv4 or IPv6 address or CIDR range; arn an ARN; binary base64; string anything.",
		Decl: types.NewFunction(
			types.Args(types.Named("family", types.S).Description("as ssmpolicy.condition.operator gives it"), types.Named("value", types.A)),
			types.Named("ok", types.B),
		),
	}
}

func conditionValueOK(_ rego.BuiltinContext, f, v *ast.Term) (*ast.Term, error) {
	fam, err := stringArg(f, 1)
	if err != nil {
		return nil, err
	}
	ok, err := valueOK(fam, v.Value)
	if err != nil {
		return nil, err
	}
	return ast.BooleanTerm(ok), nil
}

var (
	numericRe = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	isoDateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$`)
	basicDTRe = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z$`)
	ipv4Re    = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$`)
	ipv6Re    = regexp.MustCompile(`^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(/[0-9]{1,3})?$`)
	ipv6v4Re  = regexp.MustCompile(`^[0-9A-Fa-f:]*:[0-9.]+(/[0-9]{1,3})?$`)
	// The dates a time in nanoseconds can hold, which is what OPA's time functions accept.
	minDate = time.Unix(0, math.MinInt64)
	maxDate = time.Unix(0, math.MaxInt64)
)

const familyList = "string, numeric, date, bool, binary, ip or arn"

// valueOK says whether v is a value of the type family compares.
func valueOK(fam string, v ast.Value) (bool, error) {
	s, isString := v.(ast.String)
	switch fam {
	case "string":
		return true, nil
	case "bool":
		if _, ok := v.(ast.Boolean); ok {
			return true, nil
		}
		return isString && (strings.ToLower(string(s)) == "true" || strings.ToLower(string(s)) == "false"), nil
	case "numeric":
		if _, ok := v.(ast.Number); ok {
			return true, nil
		}
		return isString && numericRe.MatchString(string(s)), nil
	case "date":
		if _, ok := v.(ast.Number); ok {
			return true, nil
		}
		return isString && dateOK(string(s)), nil
	case "ip":
		return isString && (ipv4(string(s)) || ipv6(string(s))), nil
	case "arn":
		return isString && strings.HasPrefix(string(s), "arn:") && strings.Count(string(s), ":") >= 5, nil
	case "binary":
		if !isString {
			return false, nil
		}
		_, err := base64.StdEncoding.DecodeString(string(s))
		return err == nil, nil
	}
	return false, fmt.Errorf("unknown operator family %q (want %s)", fam, familyList)
}

// dateOK: epoch seconds, an ISO 8601 date or date-time with its fields in range, or the basic
// format 20260131T235959Z.
func dateOK(s string) bool {
	if digitsRe.MatchString(s) || basicDTRe.MatchString(s) {
		return true
	}
	if !isoDateRe.MatchString(s) {
		return false
	}
	d, err := time.Parse("2006-01-02", s[:10])
	if err != nil || d.Before(minDate) || d.After(maxDate) {
		return false
	}
	if len(s) == 10 {
		return true
	}
	hours, _ := strconv.Atoi(s[11:13])
	minutes, _ := strconv.Atoi(s[14:16])
	if hours >= 24 || minutes >= 60 {
		return false
	}
	if len(s) > 16 && s[16] == ':' {
		seconds, _ := strconv.Atoi(s[17:19])
		return seconds < 60
	}
	return true
}

// addressAndPrefix splits an address/prefix; a missing prefix is 0. ok is false when there
// are several slashes.
func addressAndPrefix(v string) (string, int, bool) {
	parts := strings.Split(v, "/")
	switch len(parts) {
	case 1:
		return v, 0, true
	case 2:
		n, err := strconv.Atoi(parts[1])
		return parts[0], n, err == nil
	}
	return "", 0, false
}

func ipv4(v string) bool {
	if !ipv4Re.MatchString(v) {
		return false
	}
	address, prefix, ok := addressAndPrefix(v)
	if !ok || prefix > 32 {
		return false
	}
	for _, octet := range strings.Split(address, ".") {
		if n, _ := strconv.Atoi(octet); n > 255 {
			return false
		}
	}
	return true
}

func ipv6(v string) bool {
	if ipv6Re.MatchString(v) {
		if address, prefix, ok := addressAndPrefix(v); ok && prefix <= 128 && ipv6Groups(address, strings.Split(address, ":")) {
			return true
		}
	}
	// An IPv4 address may end an IPv6 one (::ffff:192.0.2.1), standing for two groups.
	if !ipv6v4Re.MatchString(v) {
		return false
	}
	address, prefix, ok := addressAndPrefix(v)
	if !ok || prefix > 128 {
		return false
	}
	groups := strings.Split(address, ":")
	if !ipv4(groups[len(groups)-1]) {
		return false
	}
	return ipv6Groups(address, append(groups[:len(groups)-1:len(groups)-1], "0", "0"))
}

// ipv6Groups: eight groups of at most four digits, or fewer with one :: standing for the rest.
func ipv6Groups(address string, groups []string) bool {
	if strings.Contains(address, ":::") {
		return false
	}
	for _, g := range groups {
		if len(g) > 4 {
			return false
		}
	}
	switch strings.Count(address, "::") {
	case 0:
		return len(groups) == 8 && !strings.HasPrefix(address, ":") && !strings.HasSuffix(address, ":")
	case 1:
		return len(groups) <= 9
	}
	return false
}
