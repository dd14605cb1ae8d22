package awsfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Page sizes. AWS documents MaxResults 1..50 for both operations and does
// not document the default; the fake uses 10 so that pagination happens
// with modest seeds.
const (
	defaultPageSize = 10
	maxPageSize     = 50
)

type putResourcePolicyInput struct {
	ResourceArn string
	Policy      *string
	PolicyId    string
	PolicyHash  string
}

type putResourcePolicyOutput struct {
	PolicyId   string
	PolicyHash string
}

func (s *Server) putResourcePolicy(c *call) (any, *apiError) {
	var in putResourcePolicyInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if missing := missingMembers(map[string]bool{"ResourceArn": in.ResourceArn == "", "Policy": in.Policy == nil}); len(missing) > 0 {
		return nil, errInvalidParameter(missing, "missing required parameter(s): %s", strings.Join(missing, ", "))
	}
	if (in.PolicyId == "") != (in.PolicyHash == "") {
		return nil, errInvalidParameter([]string{"PolicyId", "PolicyHash"}, "PolicyId and PolicyHash must be given together")
	}
	if msg := checkPolicyText(*in.Policy); msg != "" {
		return nil, errBadRequest("MalformedResourcePolicyDocumentException", "%s", msg)
	}
	if n := len(*in.Policy); n > MaxPolicyBytes {
		return nil, errLimit(MaxPolicyBytes, "PolicySize",
			"A policy can't be greater than %d bytes in size; this one is %d bytes.", MaxPolicyBytes, n)
	}
	st := c.st
	if !st.resourceExists(in.ResourceArn) {
		return nil, errResourceNotFound(in.ResourceArn)
	}

	if in.PolicyId == "" {
		if isOpsItemGroup(in.ResourceArn) && len(st.policies[in.ResourceArn]) > 0 {
			return nil, errLimit(1, "OpsItemGroupPolicies", "Only one policy can be attached to OpsItemGroup.")
		}
		p := s.createPolicyLocked(st, in.ResourceArn, *in.Policy)
		s.sharePolicyLocked(st, in.ResourceArn, p, s.shareDelay)
		return putResourcePolicyOutput{PolicyId: p.ID, PolicyHash: p.Hash}, nil
	}

	p := st.findPolicy(in.ResourceArn, in.PolicyId)
	if p == nil {
		return nil, errBadRequest("ResourcePolicyNotFoundException", "No policy %s on resource %s.", in.PolicyId, in.ResourceArn)
	}
	if p.Hash != in.PolicyHash {
		return nil, errBadRequest("ResourcePolicyConflictException",
			"The policy hash does not match the stored one: the policy was changed since it was read.")
	}
	s.updatePolicyLocked(st, in.ResourceArn, p, *in.Policy)
	return putResourcePolicyOutput{PolicyId: p.ID, PolicyHash: p.Hash}, nil
}

type deleteResourcePolicyInput struct {
	ResourceArn string
	PolicyId    string
	PolicyHash  string
}

func (s *Server) deleteResourcePolicy(c *call) (any, *apiError) {
	var in deleteResourcePolicyInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if missing := missingMembers(map[string]bool{"ResourceArn": in.ResourceArn == "", "PolicyId": in.PolicyId == "", "PolicyHash": in.PolicyHash == ""}); len(missing) > 0 {
		return nil, errInvalidParameter(missing, "missing required parameter(s): %s", strings.Join(missing, ", "))
	}
	if !c.st.resourceExists(in.ResourceArn) {
		return nil, errResourceNotFound(in.ResourceArn)
	}
	p := c.st.findPolicy(in.ResourceArn, in.PolicyId)
	if p == nil {
		return nil, errBadRequest("ResourcePolicyNotFoundException", "No policy %s on resource %s.", in.PolicyId, in.ResourceArn)
	}
	if p.Hash != in.PolicyHash {
		return nil, errBadRequest("ResourcePolicyConflictException",
			"The policy hash does not match the stored one: the policy was changed since it was read.")
	}
	s.deletePolicyLocked(c.st, in.ResourceArn, p)
	return struct{}{}, nil
}

type getResourcePoliciesInput struct {
	ResourceArn string
	MaxResults  *int
	NextToken   string
}

type resourcePolicyEntry struct {
	PolicyId   string
	PolicyHash string
	Policy     string
}

type getResourcePoliciesOutput struct {
	Policies  []resourcePolicyEntry
	NextToken string `json:",omitempty"`
}

func (s *Server) getResourcePolicies(c *call) (any, *apiError) {
	var in getResourcePoliciesInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.ResourceArn == "" {
		return nil, errInvalidParameter([]string{"ResourceArn"}, "missing required parameter: ResourceArn")
	}
	size, apiErr := pageSize(in.MaxResults)
	if apiErr != nil {
		return nil, apiErr
	}
	if !c.st.resourceExists(in.ResourceArn) {
		return nil, errResourceNotFound(in.ResourceArn)
	}
	all := c.st.policies[in.ResourceArn]
	start, ok := parseToken("grp", in.NextToken, len(all))
	if !ok {
		return nil, errInvalidParameter([]string{"NextToken"}, "invalid NextToken")
	}
	end := min(start+size, len(all))
	out := getResourcePoliciesOutput{Policies: []resourcePolicyEntry{}}
	for _, p := range all[start:end] {
		out.Policies = append(out.Policies, resourcePolicyEntry{PolicyId: p.ID, PolicyHash: p.Hash, Policy: p.Document})
	}
	if end < len(all) {
		out.NextToken = makeToken("grp", end)
	}
	return out, nil
}

type parameterStringFilter struct {
	Key    string
	Option string
	Values []string
}

type describeParametersInput struct {
	Filters []struct {
		Key    string
		Values []string
	}
	ParameterFilters []parameterStringFilter
	MaxResults       *int
	NextToken        string
	Shared           bool
}

// parameterMetadata is what DescribeParameters returns for a parameter. It
// has no Value member on purpose: DescribeParameters never returns values.
type parameterMetadata struct {
	Name     string
	ARN      string
	Type     string
	Tier     string
	KeyId    string `json:",omitempty"`
	Version  int64
	DataType string
}

type describeParametersOutput struct {
	Parameters []parameterMetadata
	NextToken  string `json:",omitempty"`
}

// describeParameters pages through all parameters in name order and returns
// those on the page that match the filters. Like AWS, a filtered call can
// return an empty page with a NextToken, so clients must follow NextToken.
// With Shared it lists instead the parameters other accounts share with the
// caller in its region.
func (s *Server) describeParameters(c *call) (any, *apiError) {
	var in describeParametersInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if len(in.Filters) > 0 {
		return nil, errBadRequest("InvalidFilter", "the fake supports ParameterFilters only")
	}
	for _, f := range in.ParameterFilters {
		if err := checkFilter(f); err != nil {
			return nil, err
		}
	}
	size, apiErr := pageSize(in.MaxResults)
	if apiErr != nil {
		return nil, apiErr
	}
	var all []*parameter
	kind := "dp"
	if in.Shared {
		all, kind = s.sharedWithLocked(c.id.account, c.id.region), "dps"
	} else {
		names := c.st.sortedNames()
		all = make([]*parameter, len(names))
		for i, n := range names {
			all[i] = c.st.params[n]
		}
	}
	start, ok := parseToken(kind, in.NextToken, len(all))
	if !ok {
		return nil, errBadRequest("InvalidNextToken", "The specified token is not valid.")
	}
	end := min(start+size, len(all))
	out := describeParametersOutput{Parameters: []parameterMetadata{}}
	for _, p := range all[start:end] {
		q := p.Parameter
		if in.Shared {
			// Consumers know a shared parameter by its full ARN only.
			q.Name = p.ARN
		}
		if !matchesFilters(q, in.ParameterFilters) {
			continue
		}
		md := parameterMetadata{Name: q.Name, ARN: p.ARN, Type: p.Type, Tier: p.Tier, Version: 1, DataType: "text"}
		if p.Type == TypeSecureString {
			md.KeyId = p.KeyID
		}
		out.Parameters = append(out.Parameters, md)
	}
	if end < len(all) {
		out.NextToken = makeToken(kind, end)
	}
	return out, nil
}

func checkFilter(f parameterStringFilter) *apiError {
	if len(f.Values) == 0 {
		return errBadRequest("InvalidFilterValue", "filter %s needs at least one value", f.Key)
	}
	opt := f.Option
	if opt == "" {
		opt = "Equals"
	}
	switch f.Key {
	case "Name":
		if opt != "Equals" && opt != "BeginsWith" {
			return errBadRequest("InvalidFilterOption", "option %s is not valid for Name", f.Option)
		}
	case "Type", "Tier", "KeyId", "DataType":
		if opt != "Equals" {
			return errBadRequest("InvalidFilterOption", "option %s is not valid for %s", f.Option, f.Key)
		}
	default:
		return errBadRequest("InvalidFilterKey", "the fake does not support filter key %q", f.Key)
	}
	return nil
}

func matchesFilters(p Parameter, filters []parameterStringFilter) bool {
	for _, f := range filters {
		var field string
		switch f.Key {
		case "Name":
			field = p.Name
		case "Type":
			field = p.Type
		case "Tier":
			field = p.Tier
		case "KeyId":
			field = p.KeyID
		case "DataType":
			field = "text"
		}
		match := slices.ContainsFunc(f.Values, func(v string) bool {
			if f.Option == "BeginsWith" {
				return strings.HasPrefix(field, v)
			}
			return field == v
		})
		if !match {
			return false
		}
	}
	return true
}

// checkPolicyText enforces the model's pattern for Policy, ^(?!\s*$).+ (Java
// regex): at least one character, no line terminator ('.' matches none of
// \n \r \u0085 \u2028 \u2029), not only whitespace. It also requires a JSON
// object, as AWS parses the document.
func checkPolicyText(p string) string {
	if strings.ContainsAny(p, "\n\r\u0085\u2028\u2029") {
		return "The policy document must be on a single line."
	}
	if strings.Trim(p, " \t\v\f") == "" {
		return "The policy document is empty."
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(p), &obj); err != nil {
		return "The policy document is not a JSON object."
	}
	return ""
}

func pageSize(max *int) (int, *apiError) {
	if max == nil {
		return defaultPageSize, nil
	}
	if *max < 1 || *max > maxPageSize {
		return 0, errBadRequest("ValidationException", "MaxResults must be between 1 and %d", maxPageSize)
	}
	return *max, nil
}

// Tokens are opaque to clients; here they carry the operation and an offset.
func makeToken(kind string, offset int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", kind, offset))
}

func parseToken(kind, token string, limit int) (int, bool) {
	if token == "" {
		return 0, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	k, n, ok := strings.Cut(string(raw), ":")
	if !ok || k != kind {
		return 0, false
	}
	off, err := strconv.Atoi(n)
	if err != nil || off < 0 || off > limit {
		return 0, false
	}
	return off, true
}

func missingMembers(m map[string]bool) []string {
	var out []string
	for k, missing := range m {
		if missing {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func errInvalidParameter(names []string, format string, args ...any) *apiError {
	e := errBadRequest("ResourcePolicyInvalidParameterException", format, args...)
	e.extra = map[string]any{"ParameterNames": names}
	return e
}

func errLimit(limit int, limitType, format string, args ...any) *apiError {
	e := errBadRequest("ResourcePolicyLimitExceededException", format, args...)
	e.extra = map[string]any{"Limit": limit, "LimitType": limitType}
	return e
}

func errResourceNotFound(arn string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "ResourceNotFoundException",
		msg: fmt.Sprintf("The resource %s was not found.", arn)}
}
