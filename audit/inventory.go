package audit

import (
	"slices"
	"strings"
	"unique"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
)

// Row is one resource of the inventory: what it is, what its policies grant, and the state
// of its RAM share. Its JSON form is the documented inventory shape (docs/audit.md).
type Row struct {
	Resource string `json:"resource"`
	Kind     string `json:"kind"` // parameter | opsitemgroup
	Account  string `json:"account"`
	Region   string `json:"region"`
	// Tier, Type, KeyID and KeyManager are DescribeParameters' and DescribeKey's answers,
	// for a parameter (KeyID and KeyManager for a SecureString only).
	Tier       string `json:"tier,omitempty"`
	Type       string `json:"type,omitempty"`
	KeyID      string `json:"keyId,omitempty"`
	KeyManager string `json:"keyManager,omitempty"`
	// Policies are the resource's policies as GetResourcePolicies lists them.
	Policies []PolicyRef `json:"policies"`
	// Accounts are the accounts the Allow statements grant: 12-digit ids (root ARNs and IAM
	// ARNs give their account), "*" for everyone.
	Accounts []string `json:"accounts"`
	// Principals are the principals as apply reports them: account ids, other principals as
	// written ("Service:ssm.amazonaws.com"), NotPrincipal entries prefixed "NOT ".
	Principals []string `json:"principals"`
	// Actions are the actions the Allow statements grant ("NOT " for NotAction entries).
	Actions []string `json:"actions"`
	// Share is the state of the resource's RAM shares (ShareState values).
	Share  string     `json:"share"`
	Shares []ShareRef `json:"shares"`
	// DescribedBy lists, with --against, the file:line of each declaration of the resource
	// under PATH, empty when none describes it; null without --against.
	DescribedBy []string `json:"describedBy"`
	// Findings is the number of findings reported on the resource's policies.
	Findings int `json:"findings"`
}

// PolicyRef identifies one deployed policy.
type PolicyRef struct {
	ID   string `json:"id"`
	Hash string `json:"hash"`
	// Size is the policy's length in bytes, as policy-size measures it.
	Size int `json:"size"`
}

// ShareRef is one RAM share that holds the resource.
type ShareRef struct {
	ARN        string `json:"arn"`
	FeatureSet string `json:"featureSet"`
}

// The share states of a row, from least to most settled.
const (
	ShareUnknown           = "unknown"             // the RAM shares could not be read
	ShareNone              = "none"                // no RAM share holds the resource
	ShareCreatedFromPolicy = "created-from-policy" // a share is CREATED_FROM_POLICY: not promoted
	SharePromoting         = "promoting"           // a share is PROMOTING_TO_STANDARD
	SharePromoted          = "promoted"            // every share is STANDARD
)

// shareState sums up a resource's shares: the least settled one decides.
func shareState(shares []awsapi.Share, known bool) string {
	switch {
	case !known:
		return ShareUnknown
	case len(shares) == 0:
		return ShareNone
	case slices.ContainsFunc(shares, func(s awsapi.Share) bool { return s.FeatureSet == awsapi.FeatureSetCreatedFromPolicy }):
		return ShareCreatedFromPolicy
	case slices.ContainsFunc(shares, func(s awsapi.Share) bool { return s.FeatureSet != awsapi.FeatureSetStandard }):
		return SharePromoting
	}
	return SharePromoted
}

func (s *scopeRun) newRow(r resource, policies []awsapi.Policy, shares []awsapi.Share, sharesKnown bool) Row {
	row := Row{Resource: r.arn, Kind: "opsitemgroup", Account: s.account, Region: s.clients.Region,
		Policies: []PolicyRef{}, Accounts: []string{}, Principals: []string{}, Actions: []string{}, Shares: []ShareRef{}}
	if r.param != nil {
		row.Kind, row.Tier, row.Type = "parameter", unique.Make(r.param.Tier).Value(), unique.Make(r.param.Type).Value()
		if r.param.Type == "SecureString" {
			row.KeyID = unique.Make(r.param.KeyID).Value()
			if row.KeyID == "" {
				row.KeyID = awsapi.DefaultSSMKey
			}
		}
		row.Share = shareState(shares, sharesKnown)
	} else {
		row.Share = ShareNone // OpsItemGroups are not shared through RAM
	}
	for _, sh := range shares {
		row.Shares = append(row.Shares, ShareRef{ARN: sh.ARN, FeatureSet: sh.FeatureSet})
	}
	for _, p := range policies {
		row.Policies = append(row.Policies, PolicyRef{ID: p.ID, Hash: p.Hash, Size: len(p.Document)})
		g, err := apply.GrantsOf([]byte(p.Document))
		if err != nil {
			continue // the checks report a policy that does not parse
		}
		row.Principals = append(row.Principals, g.Principals...)
		row.Actions = append(row.Actions, g.Actions...)
	}
	row.Principals, row.Actions = intern(set(row.Principals)), intern(set(row.Actions))
	for _, p := range row.Principals {
		if acct := principalAccount(p); acct != "" {
			row.Accounts = append(row.Accounts, acct)
		}
	}
	row.Accounts = set(row.Accounts)
	return row
}

// intern replaces each string by its canonical copy: the accounts and actions of thousands of
// rows are mostly the same few strings, and a row is what an audit keeps of each resource.
func intern(s []string) []string {
	for i, v := range s {
		s[i] = unique.Make(v).Value()
	}
	return s
}

// principalAccount is the account a granted principal reaches: the id itself, the account
// of an IAM ARN, "*" for everyone; "" for a service or a NotPrincipal entry.
func principalAccount(p string) string {
	if p == "*" || apply.IsAccountID(p) {
		return p
	}
	if parts := strings.Split(p, ":"); len(parts) >= 6 && parts[0] == "arn" && parts[2] == "iam" && apply.IsAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}

func set(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
