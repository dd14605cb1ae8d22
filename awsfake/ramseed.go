package awsfake

import (
	"fmt"
	"slices"
)

// Share is a RAM resource share as the owner's store holds it.
type Share struct {
	ARN           string
	Name          string
	Status        string // always ACTIVE
	FeatureSet    string // CREATED_FROM_POLICY, PROMOTING_TO_STANDARD or STANDARD, now
	PermissionARN string
	Principals    []string // account ids, "*" for a wildcard principal
	ResourceARN   string   // the shared parameter; "" once its policy is deleted
	PolicyID      string   // the resource policy the share was made from
	Visible       bool     // false until the share delay has passed
}

// Permission is a RAM managed permission of a store (customer managed or
// CREATED_FROM_POLICY), or one of the two AWS managed ones.
type Permission struct {
	ARN        string
	Name       string
	Type       string // AWS_MANAGED or CUSTOMER_MANAGED
	FeatureSet string // CREATED_FROM_POLICY or STANDARD
	Actions    []string
}

func (s *Server) exportShare(sh *share) Share {
	now := s.now()
	return Share{
		ARN: sh.arn, Name: sh.name, Status: "ACTIVE", FeatureSet: sh.featureSet(now), PermissionARN: sh.perm,
		Principals: slices.Clone(sh.principals), ResourceARN: sh.resource, PolicyID: sh.policyID, Visible: sh.visible(now),
	}
}

func exportPermission(p *permission) Permission {
	return Permission{ARN: p.arn, Name: p.name, Type: p.kind, FeatureSet: p.featureSet, Actions: slices.Clone(p.actions)}
}

// Shares returns the store's resource shares in creation order, hidden ones
// (still within the share delay) included.
func (h *Store) Shares() []Share {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.s.settleLocked(h.st)
	out := make([]Share, 0, len(h.st.shareOrder))
	for _, arn := range h.st.shareOrder {
		out = append(out, h.s.exportShare(h.st.shares[arn]))
	}
	return out
}

// SharesOf returns the shares that hold a parameter (one per policy on it).
func (h *Store) SharesOf(parameterARN string) []Share {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.s.settleLocked(h.st)
	var out []Share
	for _, sh := range h.st.sharesOf[parameterARN] {
		out = append(out, h.s.exportShare(sh))
	}
	return out
}

// Permissions returns the store's own permissions (customer managed and
// CREATED_FROM_POLICY), oldest first.
func (h *Store) Permissions() []Permission {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.s.settleLocked(h.st)
	out := make([]Permission, 0, len(h.st.permOrder))
	for _, arn := range h.st.permOrder {
		out = append(out, exportPermission(h.st.perms[arn]))
	}
	return out
}

// AddPermission seeds a customer managed permission for ssm:Parameter with
// the given actions, as CreatePermission (or an earlier
// PromotePermissionCreatedFromPolicy) would have made it.
func (h *Store) AddPermission(name string, actions ...string) (Permission, error) {
	if !validPermissionName(name) {
		return Permission{}, fmt.Errorf("awsfake: permission name %q is not 1 to 36 of [A-Za-z0-9_.-]", name)
	}
	if len(actions) == 0 {
		return Permission{}, fmt.Errorf("awsfake: permission %s needs actions", name)
	}
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	p, err := h.s.addCustomerPermissionLocked(h.st, name, actions)
	if err != nil {
		return Permission{}, err
	}
	return exportPermission(p), nil
}

func (s *Server) addCustomerPermissionLocked(st *store, name string, actions []string) (*permission, error) {
	arn := fmt.Sprintf("arn:aws:ram:%s:%s:permission/%s", st.region, st.account, name)
	if st.perms[arn] != nil {
		return nil, fmt.Errorf("awsfake: permission %s already exists", name)
	}
	actions = slices.Sorted(slices.Values(actions))
	p := &permission{
		arn: arn, name: name, actions: actions, key: actionKey(actions),
		kind: PermissionTypeCustomerManaged, featureSet: FeatureSetStandard, created: s.now(),
	}
	st.perms[arn] = p
	st.permOrder = append(st.permOrder, arn)
	return p, nil
}

// PromoteShare makes a share STANDARD at once, as if its owner had promoted
// it long ago: a share whose actions match no managed permission gets a
// customer managed one first (named after the share), as the two-step
// promotion would have made.
func (h *Store) PromoteShare(shareARN string) error {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	return h.s.promoteShareLocked(h.st, shareARN)
}

func (s *Server) promoteShareLocked(st *store, shareARN string) error {
	sh := st.shares[shareARN]
	if sh == nil {
		return fmt.Errorf("awsfake: no share %s", shareARN)
	}
	if !sh.promoteAt.IsZero() {
		return fmt.Errorf("awsfake: share %s is already promoted", shareARN)
	}
	perm := st.permission(sh.perm)
	target := st.matchingManaged(perm)
	if target == nil {
		name := "Promoted-" + sh.policyID[:8]
		var err error
		if target, err = s.addCustomerPermissionLocked(st, name, perm.actions); err != nil {
			return err
		}
	}
	now := s.now()
	if sh.created.After(now) {
		sh.created = now
	}
	sh.promoteAt, sh.target, sh.updated = now, target.arn, now
	st.promoting = append(st.promoting, sh)
	s.settleLocked(st)
	return nil
}
