package awsfake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RAM feature sets, permission types and the AWS managed permissions for
// SSM parameters (RAM User Guide; SSM User Guide, "Permission sets for
// sharing parameters").
const (
	FeatureSetCreatedFromPolicy = "CREATED_FROM_POLICY"
	FeatureSetPromoting         = "PROMOTING_TO_STANDARD"
	FeatureSetStandard          = "STANDARD"

	PermissionTypeAWSManaged      = "AWS_MANAGED"
	PermissionTypeCustomerManaged = "CUSTOMER_MANAGED"

	ParameterResourceType = "ssm:Parameter"

	PermissionReadOnly            = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSSMParameterReadOnly"
	PermissionReadOnlyWithHistory = "arn:aws:ram::aws:permission/AWSRAMPermissionSSMParameterReadOnlyWithHistory"
)

// share is a RAM resource share made from one resource policy.
type share struct {
	arn, name  string
	policyID   string
	resource   string   // the parameter's ARN; "" once its policy is deleted
	principals []string // account ids, or "*"
	perm       string   // ARN of the permission in use
	created    time.Time
	updated    time.Time
	promoteAt  time.Time // zero until PromoteResourceShareCreatedFromPolicy
	target     string    // permission the share uses once STANDARD
}

func (sh *share) visible(now time.Time) bool { return !now.Before(sh.created) }

func (sh *share) featureSet(now time.Time) string {
	switch {
	case sh.promoteAt.IsZero():
		return FeatureSetCreatedFromPolicy
	case now.Before(sh.promoteAt):
		return FeatureSetPromoting
	default:
		return FeatureSetStandard
	}
}

func (sh *share) grants(account string) bool {
	return slices.Contains(sh.principals, account) || slices.Contains(sh.principals, "*")
}

// permission is a RAM managed permission for ssm:Parameter.
type permission struct {
	arn, name  string
	actions    []string // as the policy wrote them, sorted
	key        string   // the normalised action set, for exact matching
	kind       string   // AWS_MANAGED or CUSTOMER_MANAGED
	featureSet string   // CREATED_FROM_POLICY or STANDARD
	isDefault  bool
	created    time.Time
	uses       int // shares using it
}

type promoteToken struct {
	permARN, name string
	result        *permission
}

// actionKey normalises an action set: IAM action names are case-insensitive
// and a set has no order or repeats.
func actionKey(actions []string) string {
	norm := make([]string, len(actions))
	for i, a := range actions {
		norm[i] = strings.ToLower(a)
	}
	slices.Sort(norm)
	return strings.Join(slices.Compact(norm), ",")
}

// awsManagedPermissions returns the two AWS managed permissions for SSM
// parameters. They are global: the same ARN in every account and region.
func awsManagedPermissions() []*permission {
	published := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	readOnly := []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"}
	withHistory := append(slices.Clone(readOnly), "ssm:GetParameterHistory")
	return []*permission{
		{arn: PermissionReadOnly, name: "AWSRAMDefaultPermissionSSMParameterReadOnly", actions: readOnly,
			key: actionKey(readOnly), kind: PermissionTypeAWSManaged, featureSet: FeatureSetStandard, isDefault: true, created: published},
		{arn: PermissionReadOnlyWithHistory, name: "AWSRAMPermissionSSMParameterReadOnlyWithHistory", actions: withHistory,
			key: actionKey(withHistory), kind: PermissionTypeAWSManaged, featureSet: FeatureSetStandard, created: published},
	}
}

func awsManagedByKey(key string) *permission {
	for _, p := range awsManagedPermissions() {
		if p.key == key {
			return p
		}
	}
	return nil
}

// permission finds a permission the store can see by ARN.
func (st *store) permission(arn string) *permission {
	for _, p := range awsManagedPermissions() {
		if p.arn == arn {
			return p
		}
	}
	return st.perms[arn]
}

// policyGrants reads what a policy document grants: the actions of its
// Allow statements and the accounts of their AWS principals ("*" for a
// wildcard). A document that does not parse grants nothing.
func policyGrants(document string) (actions, principals []string) {
	var doc struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(document), &doc) != nil {
		return nil, nil
	}
	var stmts []struct {
		Effect    string
		Action    json.RawMessage
		Principal json.RawMessage
	}
	if json.Unmarshal(doc.Statement, &stmts) != nil {
		var one struct {
			Effect    string
			Action    json.RawMessage
			Principal json.RawMessage
		}
		if json.Unmarshal(doc.Statement, &one) != nil {
			return nil, nil
		}
		stmts = append(stmts, one)
	}
	for _, s := range stmts {
		if s.Effect != "Allow" {
			continue
		}
		actions = append(actions, stringOrList(s.Action)...)
		var p struct{ AWS json.RawMessage }
		if string(s.Principal) == `"*"` {
			principals = append(principals, "*")
		} else if json.Unmarshal(s.Principal, &p) == nil {
			for _, v := range stringOrList(p.AWS) {
				principals = append(principals, principalAccount(v))
			}
		}
	}
	slices.Sort(actions)
	slices.Sort(principals)
	return slices.Compact(actions), slices.Compact(principals)
}

func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// principalAccount reduces "123456789012", "arn:aws:iam::123456789012:root"
// and other IAM ARNs to the account id.
func principalAccount(p string) string {
	if parts := strings.Split(p, ":"); len(parts) >= 6 && parts[0] == "arn" {
		return parts[4]
	}
	return p
}

// sharePolicyLocked makes the CREATED_FROM_POLICY share of a new policy on
// a parameter, visible after delay. Policies on other resources get none.
func (s *Server) sharePolicyLocked(st *store, arn string, p *storedPolicy, delay time.Duration) {
	if _, ok := st.byARN[arn]; !ok {
		return
	}
	now := s.now()
	id := s.newIDLocked("share")
	sh := &share{
		arn:      fmt.Sprintf("arn:aws:ram:%s:%s:resource-share/%s", st.region, st.account, id),
		name:     "ssm-resource-policy-" + p.ID,
		policyID: p.ID, resource: arn,
		created: now.Add(delay), updated: now.Add(delay),
	}
	s.applyGrantsLocked(st, sh, p.Document)
	st.shares[sh.arn] = sh
	st.shareOrder = append(st.shareOrder, sh.arn)
	st.sharesOf[arn] = append(st.sharesOf[arn], sh)
}

// applyGrantsLocked sets a share's principals and, while it is still
// CREATED_FROM_POLICY, its permission from the policy document: the AWS
// managed permission whose actions match exactly, else a
// CREATED_FROM_POLICY permission of its own.
func (s *Server) applyGrantsLocked(st *store, sh *share, document string) {
	now := s.now()
	actions, principals := policyGrants(document)
	sh.principals = principals
	if sh.featureSet(now) != FeatureSetCreatedFromPolicy {
		return
	}
	if m := awsManagedByKey(actionKey(actions)); m != nil {
		st.setPerm(sh, m.arn)
	} else {
		id := s.newIDLocked("permission")
		name := "CreatedFromPolicy-" + id[:8]
		p := &permission{
			arn: fmt.Sprintf("arn:aws:ram:%s:%s:permission/%s", st.region, st.account, name), name: name,
			actions: actions, key: actionKey(actions), kind: PermissionTypeCustomerManaged,
			featureSet: FeatureSetCreatedFromPolicy, created: now,
		}
		st.perms[p.arn] = p
		st.permOrder = append(st.permOrder, p.arn)
		st.setPerm(sh, p.arn)
	}
}

// setPerm points a share at a permission. A CREATED_FROM_POLICY permission
// that no share uses any more is deleted, as RAM does after a promotion.
func (st *store) setPerm(sh *share, arn string) {
	if sh.perm == arn {
		return
	}
	if old := st.perms[sh.perm]; old != nil {
		old.uses--
		if old.uses <= 0 && old.featureSet == FeatureSetCreatedFromPolicy {
			delete(st.perms, old.arn)
			st.permOrder = slices.DeleteFunc(st.permOrder, func(a string) bool { return a == old.arn })
		}
	}
	if p := st.perms[arn]; p != nil {
		p.uses++
	}
	sh.perm = arn
}

// reshareLocked follows an update of a policy in its share.
func (s *Server) reshareLocked(st *store, arn string, p *storedPolicy) {
	for _, sh := range st.sharesOf[arn] {
		if sh.policyID == p.ID {
			s.applyGrantsLocked(st, sh, p.Document)
			sh.updated = s.now()
		}
	}
}

// unshareLocked takes the parameter out of the share of a deleted policy.
// The share itself stays, empty.
func (s *Server) unshareLocked(st *store, arn string, p *storedPolicy) {
	st.sharesOf[arn] = slices.DeleteFunc(st.sharesOf[arn], func(sh *share) bool {
		if sh.policyID != p.ID {
			return false
		}
		sh.resource, sh.updated = "", s.now()
		return true
	})
}

// settleLocked finishes the promotions that are due: the share takes its
// managed permission, and a CREATED_FROM_POLICY permission that no share
// uses any more is deleted, as RAM does.
func (s *Server) settleLocked(st *store) {
	if len(st.promoting) == 0 {
		return
	}
	now := s.now()
	st.promoting = slices.DeleteFunc(st.promoting, func(sh *share) bool {
		if sh.featureSet(now) != FeatureSetStandard {
			return false
		}
		st.setPerm(sh, sh.target)
		sh.updated = sh.promoteAt
		return true
	})
}

// matchingManaged finds the managed permission (AWS managed first, then the
// store's customer managed ones, oldest first) whose actions are exactly
// those of perm.
func (st *store) matchingManaged(perm *permission) *permission {
	if m := awsManagedByKey(perm.key); m != nil {
		return m
	}
	for _, arn := range st.permOrder {
		if p := st.perms[arn]; p.featureSet == FeatureSetStandard && p.key == perm.key {
			return p
		}
	}
	return nil
}

// sharedWithLocked lists the parameters that other accounts share with
// account in region through STANDARD shares, in ARN order.
func (s *Server) sharedWithLocked(account, region string) []*parameter {
	now := s.now()
	seen := map[string]bool{}
	var out []*parameter
	for _, st := range s.storesInRegionLocked(region) {
		if st.account == account {
			continue
		}
		for _, arn := range st.shareOrder {
			sh := st.shares[arn]
			if sh.resource == "" || seen[sh.resource] || !sh.visible(now) ||
				sh.featureSet(now) != FeatureSetStandard || !sh.grants(account) {
				continue
			}
			if p := st.byARN[sh.resource]; p != nil {
				seen[sh.resource] = true
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b *parameter) int { return strings.Compare(a.ARN, b.ARN) })
	return out
}
