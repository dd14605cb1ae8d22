package awsfake

import (
	"net/http"
	"slices"
	"strings"
)

// validPermissionName checks the model's PermissionName shape: 1 to 36
// characters of [\w.-].
func validPermissionName(name string) bool {
	return len(name) >= 1 && len(name) <= 36 && onlyChars(name, "_.-")
}

// onlyChars reports whether v holds only ASCII letters, digits and the
// characters of extra.
func onlyChars(v, extra string) bool {
	for _, r := range v {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}

func (s *Server) promotePermission(c *call) (any, *apiError) {
	var in struct {
		PermissionArn string `json:"permissionArn"`
		Name          string `json:"name"`
		ClientToken   string `json:"clientToken"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.PermissionArn == "" || in.Name == "" {
		return nil, errRAM("MissingRequiredParameterException", "The request must include permissionArn and name.")
	}
	if err := checkARN(in.PermissionArn); err != nil {
		return nil, err
	}
	st := c.st
	if t := st.tokens[in.ClientToken]; in.ClientToken != "" && t != nil {
		if t.permARN != in.PermissionArn || t.name != in.Name {
			return nil, errRAM("IdempotentParameterMismatchException",
				"The client token %s was already used with different parameters.", in.ClientToken)
		}
		return promoteOutput(t.result, in.ClientToken), nil
	}
	if !validPermissionName(in.Name) {
		return nil, errRAM("InvalidParameterException", "The name %q is not valid: use 1 to 36 letters, digits, '_', '.' or '-'.", in.Name)
	}
	src := st.permission(in.PermissionArn)
	switch {
	case src == nil:
		return nil, errUnknownResource(in.PermissionArn)
	case src.featureSet != FeatureSetCreatedFromPolicy:
		return nil, errRAM("OperationNotPermittedException", "Only a CREATED_FROM_POLICY permission can be promoted; %s is %s.", src.arn, src.featureSet)
	}
	arn := "arn:aws:ram:" + st.region + ":" + st.account + ":permission/" + in.Name
	if st.perms[arn] != nil {
		return nil, &apiError{status: http.StatusConflict, typ: "PermissionAlreadyExistsException",
			msg: "A permission named " + in.Name + " already exists in this Region."}
	}
	p := &permission{
		arn: arn, name: in.Name, actions: slices.Clone(src.actions), key: src.key,
		kind: PermissionTypeCustomerManaged, featureSet: FeatureSetStandard, created: s.now(),
	}
	st.perms[arn] = p
	st.permOrder = append(st.permOrder, arn)
	token := in.ClientToken
	if token == "" {
		token = s.newIDLocked("client-token")
	}
	st.tokens[token] = &promoteToken{permARN: in.PermissionArn, name: in.Name, result: p}
	return promoteOutput(p, token), nil
}

func promoteOutput(p *permission, token string) any {
	return struct {
		Permission  ramPermission `json:"permission"`
		ClientToken string        `json:"clientToken"`
	}{permissionSummary(p), token}
}

func (s *Server) promoteResourceShare(c *call) (any, *apiError) {
	arn := c.form.Get("resourceShareArn")
	if arn == "" {
		return nil, errRAM("MissingRequiredParameterException", "The request must include resourceShareArn.")
	}
	if err := checkARN(arn); err != nil {
		return nil, err
	}
	st, now := c.st, s.now()
	sh := st.shares[arn]
	if sh == nil || !sh.visible(now) {
		return nil, errUnknownResource(arn)
	}
	if fs := sh.featureSet(now); fs != FeatureSetCreatedFromPolicy {
		return nil, errRAM("InvalidStateTransitionException",
			"The resource share %s is %s: only a CREATED_FROM_POLICY share can be promoted.", arn, fs)
	}
	target := st.matchingManaged(st.permission(sh.perm))
	if target == nil {
		return nil, errRAM("UnmatchedPolicyPermissionException",
			"No managed permission matches the permission %s of the resource share; promote the permission with PromotePermissionCreatedFromPolicy first.", sh.perm)
	}
	sh.promoteAt, sh.target, sh.updated = now.Add(s.promoteDelay), target.arn, now
	st.promoting = append(st.promoting, sh)
	return struct {
		ReturnValue bool `json:"returnValue"`
	}{true}, nil
}
