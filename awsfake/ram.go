package awsfake

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// RAM speaks restJson1: POST /<operation> with a JSON body of lower-camel
// members, answers in JSON, errors as an X-Amzn-ErrorType header with
// {"message": ...}. Timestamps are epoch seconds.

const (
	defaultRAMPage = 50
	maxRAMPage     = 500 // the model's MaxResults bounds: 1..500
)

func errRAM(typ, format string, args ...any) *apiError { return errBadRequest(typ, format, args...) }

func errUnknownResource(arn string) *apiError {
	return errRAM("UnknownResourceException", "The resource %s does not exist.", arn)
}

func checkARN(arn string) *apiError {
	if parts := strings.Split(arn, ":"); len(parts) < 6 || parts[0] != "arn" {
		return errRAM("MalformedArnException", "The ARN %s is not valid.", arn)
	}
	return nil
}

func checkOwner(owner string) *apiError {
	switch owner {
	case "":
		return errRAM("MissingRequiredParameterException", "The request must include resourceOwner.")
	case "SELF", "OTHER-ACCOUNTS":
		return nil
	}
	return errRAM("InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS, not %q.", owner)
}

func ramPage(max *int, token, kind string, total int) (start, end int, apiErr *apiError) {
	size := defaultRAMPage
	if max != nil {
		if *max < 1 || *max > maxRAMPage {
			return 0, 0, errRAM("InvalidMaxResultsException", "maxResults must be between 1 and %d.", maxRAMPage)
		}
		size = *max
	}
	start, ok := parseToken(kind, token, total)
	if !ok {
		return 0, 0, errRAM("InvalidNextTokenException", "The specified value for nextToken is not valid.")
	}
	return start, min(start+size, total), nil
}

func pageToken(kind string, end, total int) string {
	if end < total {
		return makeToken(kind, end)
	}
	return ""
}

// epoch is a timestamp as restJson1 sends it by default.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// ownShares lists the caller's visible shares, in creation order.
func (s *Server) ownShares(st *store) []*share {
	now := s.now()
	var out []*share
	for _, arn := range st.shareOrder {
		if sh := st.shares[arn]; sh.visible(now) {
			out = append(out, sh)
		}
	}
	return out
}

// sharesWithLocked lists the STANDARD shares of other accounts in the
// caller's region that grant the caller: all a consumer can see.
func (s *Server) sharesWithLocked(c *call) []*share {
	now := s.now()
	var out []*share
	for _, st := range s.storesInRegionLocked(c.id.region) {
		if st.account == c.id.account {
			continue
		}
		for _, arn := range st.shareOrder {
			sh := st.shares[arn]
			if sh.visible(now) && sh.featureSet(now) == FeatureSetStandard && sh.grants(c.id.account) {
				out = append(out, sh)
			}
		}
	}
	return out
}

type ramResource struct {
	ARN                 string  `json:"arn"`
	Type                string  `json:"type"`
	ResourceShareArn    string  `json:"resourceShareArn"`
	Status              string  `json:"status"`
	CreationTime        float64 `json:"creationTime"`
	LastUpdatedTime     float64 `json:"lastUpdatedTime"`
	ResourceRegionScope string  `json:"resourceRegionScope"`
}

func (s *Server) listResources(c *call) (any, *apiError) {
	var in struct {
		ResourceOwner       string   `json:"resourceOwner"`
		Principal           string   `json:"principal"`
		ResourceType        string   `json:"resourceType"`
		ResourceArns        []string `json:"resourceArns"`
		ResourceShareArns   []string `json:"resourceShareArns"`
		NextToken           string   `json:"nextToken"`
		MaxResults          *int     `json:"maxResults"`
		ResourceRegionScope string   `json:"resourceRegionScope"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := checkOwner(in.ResourceOwner); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{"", "ALL", "REGIONAL", "GLOBAL"}, in.ResourceRegionScope) {
		return nil, errRAM("InvalidParameterException", "resourceRegionScope %q is not valid.", in.ResourceRegionScope)
	}
	for _, a := range slices.Concat(in.ResourceArns, in.ResourceShareArns) {
		if err := checkARN(a); err != nil {
			return nil, err
		}
	}
	shares := s.ownShares(c.st)
	if in.ResourceOwner == "OTHER-ACCOUNTS" {
		shares = s.sharesWithLocked(c)
	}
	var all []ramResource
	for _, sh := range shares {
		if sh.resource == "" || in.ResourceRegionScope == "GLOBAL" ||
			(len(in.ResourceArns) > 0 && !slices.Contains(in.ResourceArns, sh.resource)) ||
			(len(in.ResourceShareArns) > 0 && !slices.Contains(in.ResourceShareArns, sh.arn)) ||
			(in.ResourceType != "" && !strings.EqualFold(in.ResourceType, ParameterResourceType)) ||
			(in.Principal != "" && !slices.Contains(sh.principals, principalAccount(in.Principal))) {
			continue
		}
		all = append(all, ramResource{
			ARN: sh.resource, Type: ParameterResourceType, ResourceShareArn: sh.arn, Status: "AVAILABLE",
			CreationTime: epoch(sh.created), LastUpdatedTime: epoch(sh.updated), ResourceRegionScope: "REGIONAL",
		})
	}
	start, end, err := ramPage(in.MaxResults, in.NextToken, "lr", len(all))
	if err != nil {
		return nil, err
	}
	return struct {
		Resources []ramResource `json:"resources"`
		NextToken string        `json:"nextToken,omitempty"`
	}{append([]ramResource{}, all[start:end]...), pageToken("lr", end, len(all))}, nil
}

type ramShare struct {
	ResourceShareArn        string  `json:"resourceShareArn"`
	Name                    string  `json:"name"`
	OwningAccountID         string  `json:"owningAccountId"`
	AllowExternalPrincipals bool    `json:"allowExternalPrincipals"`
	Status                  string  `json:"status"`
	CreationTime            float64 `json:"creationTime"`
	LastUpdatedTime         float64 `json:"lastUpdatedTime"`
	FeatureSet              string  `json:"featureSet"`
}

func (s *Server) getResourceShares(c *call) (any, *apiError) {
	var in struct {
		ResourceShareArns   []string `json:"resourceShareArns"`
		ResourceShareStatus string   `json:"resourceShareStatus"`
		ResourceOwner       string   `json:"resourceOwner"`
		Name                string   `json:"name"`
		NextToken           string   `json:"nextToken"`
		MaxResults          *int     `json:"maxResults"`
		PermissionArn       string   `json:"permissionArn"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := checkOwner(in.ResourceOwner); err != nil {
		return nil, err
	}
	for _, a := range in.ResourceShareArns {
		if err := checkARN(a); err != nil {
			return nil, err
		}
	}
	shares := s.ownShares(c.st)
	if in.ResourceOwner == "OTHER-ACCOUNTS" {
		shares = s.sharesWithLocked(c)
	}
	now := s.now()
	var all []ramShare
	for _, sh := range shares {
		if (len(in.ResourceShareArns) > 0 && !slices.Contains(in.ResourceShareArns, sh.arn)) ||
			(in.ResourceShareStatus != "" && in.ResourceShareStatus != "ACTIVE") ||
			(in.Name != "" && in.Name != sh.name) ||
			(in.PermissionArn != "" && in.PermissionArn != sh.perm) {
			continue
		}
		all = append(all, ramShare{
			ResourceShareArn: sh.arn, Name: sh.name, OwningAccountID: shareOwner(sh.arn),
			AllowExternalPrincipals: true, Status: "ACTIVE",
			CreationTime: epoch(sh.created), LastUpdatedTime: epoch(sh.updated), FeatureSet: sh.featureSet(now),
		})
	}
	start, end, err := ramPage(in.MaxResults, in.NextToken, "grs", len(all))
	if err != nil {
		return nil, err
	}
	return struct {
		ResourceShares []ramShare `json:"resourceShares"`
		NextToken      string     `json:"nextToken,omitempty"`
	}{append([]ramShare{}, all[start:end]...), pageToken("grs", end, len(all))}, nil
}

func shareOwner(arn string) string { return principalAccount(arn) }

type ramPermission struct {
	ARN                   string  `json:"arn"`
	Version               string  `json:"version"`
	DefaultVersion        bool    `json:"defaultVersion"`
	Name                  string  `json:"name"`
	ResourceType          string  `json:"resourceType"`
	Permission            string  `json:"permission,omitempty"` // GetPermission only
	Status                string  `json:"status"`
	CreationTime          float64 `json:"creationTime"`
	LastUpdatedTime       float64 `json:"lastUpdatedTime"`
	IsResourceTypeDefault bool    `json:"isResourceTypeDefault"`
	PermissionType        string  `json:"permissionType"`
	FeatureSet            string  `json:"featureSet"`
}

func permissionSummary(p *permission) ramPermission {
	return ramPermission{
		ARN: p.arn, Version: "1", DefaultVersion: true, Name: p.name, ResourceType: ParameterResourceType,
		Status: "ATTACHABLE", CreationTime: epoch(p.created), LastUpdatedTime: epoch(p.created),
		IsResourceTypeDefault: p.isDefault, PermissionType: p.kind, FeatureSet: p.featureSet,
	}
}

func (s *Server) listResourceSharePermissions(c *call) (any, *apiError) {
	var in struct {
		ResourceShareArn string `json:"resourceShareArn"`
		NextToken        string `json:"nextToken"`
		MaxResults       *int   `json:"maxResults"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.ResourceShareArn == "" {
		return nil, errRAM("MissingRequiredParameterException", "The request must include resourceShareArn.")
	}
	if err := checkARN(in.ResourceShareArn); err != nil {
		return nil, err
	}
	sh := c.st.shares[in.ResourceShareArn]
	if sh == nil || !sh.visible(s.now()) {
		return nil, errUnknownResource(in.ResourceShareArn)
	}
	all := []ramPermission{permissionSummary(c.st.permission(sh.perm))}
	start, end, err := ramPage(in.MaxResults, in.NextToken, "lrsp", len(all))
	if err != nil {
		return nil, err
	}
	return struct {
		Permissions []ramPermission `json:"permissions"`
		NextToken   string          `json:"nextToken,omitempty"`
	}{all[start:end], pageToken("lrsp", end, len(all))}, nil
}

func (s *Server) getPermission(c *call) (any, *apiError) {
	var in struct {
		PermissionArn string `json:"permissionArn"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.PermissionArn == "" {
		return nil, errRAM("MissingRequiredParameterException", "The request must include permissionArn.")
	}
	if err := checkARN(in.PermissionArn); err != nil {
		return nil, err
	}
	p := c.st.permission(in.PermissionArn)
	if p == nil {
		return nil, errUnknownResource(in.PermissionArn)
	}
	d := permissionSummary(p)
	doc, _ := json.Marshal(map[string]any{"Effect": "Allow", "Action": p.actions})
	d.Permission = string(doc)
	return struct {
		Permission ramPermission `json:"permission"`
	}{d}, nil
}

func (s *Server) listPermissions(c *call) (any, *apiError) {
	var in struct {
		ResourceType   string `json:"resourceType"`
		NextToken      string `json:"nextToken"`
		MaxResults     *int   `json:"maxResults"`
		PermissionType string `json:"permissionType"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{"", "ALL", PermissionTypeAWSManaged, PermissionTypeCustomerManaged}, in.PermissionType) {
		return nil, errRAM("InvalidParameterException", "permissionType %q is not valid.", in.PermissionType)
	}
	var all []ramPermission
	if in.ResourceType == "" || strings.EqualFold(in.ResourceType, ParameterResourceType) {
		candidates := awsManagedPermissions()
		for _, arn := range c.st.permOrder {
			candidates = append(candidates, c.st.perms[arn])
		}
		for _, p := range candidates {
			// CREATED_FROM_POLICY permissions are not in the permission
			// library; only the share that uses one shows it.
			if p.featureSet == FeatureSetStandard && (in.PermissionType == "" || in.PermissionType == "ALL" || in.PermissionType == p.kind) {
				all = append(all, permissionSummary(p))
			}
		}
	}
	start, end, err := ramPage(in.MaxResults, in.NextToken, "lp", len(all))
	if err != nil {
		return nil, err
	}
	return struct {
		Permissions []ramPermission `json:"permissions"`
		NextToken   string          `json:"nextToken,omitempty"`
	}{append([]ramPermission{}, all[start:end]...), pageToken("lp", end, len(all))}, nil
}
