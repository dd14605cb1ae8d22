// Package shareable holds what AWS says can be shared through an SSM resource policy: the
// actions each resource kind can share and the AWS managed permissions RAM has for shared
// parameters (docs/aws-facts.md, "What a parameter share grants" and "Sharing an
// OpsItemGroup"). The rules (through the built-in functions), --fix and apply's promotion all
// read them here, so that they never disagree.
package shareable

import (
	"slices"
	"strings"
)

// Permission is an AWS managed RAM permission: its name and its actions, spelled as AWS
// documents them.
type Permission struct {
	Name    string
	Actions []string
}

// The names of the two AWS managed permissions for parameters.
const (
	ReadOnly            = "AWSRAMDefaultPermissionSSMParameterReadOnly"
	ReadOnlyWithHistory = "AWSRAMPermissionSSMParameterReadOnlyWithHistory"
)

// ManagedPermissions returns RAM's AWS managed permissions for parameters, the smaller first.
func ManagedPermissions() []Permission {
	readOnly := []string{"ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"}
	return []Permission{
		{Name: ReadOnly, Actions: readOnly},
		{Name: ReadOnlyWithHistory, Actions: append(slices.Clone(readOnly), "ssm:GetParameterHistory")},
	}
}

// ParameterActions are the actions a parameter can share: those of its managed permissions.
// AWS publishes no other list: an inference.
func ParameterActions() []string {
	all := ManagedPermissions()
	return all[len(all)-1].Actions
}

// OpsItemGroupActions are the actions an OpsItemGroup can share: those of AWS's CloudFormation
// example and the read-only OpsItem actions. No allow-list is published: an inference.
func OpsItemGroupActions() []string {
	return []string{
		"ssm:CreateOpsItem", "ssm:AddTagsToResource", "ssm:GetOpsItem", "ssm:UpdateOpsItem",
		"ssm:DescribeOpsItems", "ssm:ListOpsItemEvents", "ssm:ListOpsItemRelatedItems", "ssm:GetOpsSummary",
	}
}

// Matching returns the AWS managed permission whose actions are exactly actions, compared
// lower-cased as IAM compares actions; ok is false when none is.
func Matching(actions []string) (p Permission, ok bool) {
	set := map[string]bool{}
	for _, a := range actions {
		set[strings.ToLower(a)] = true
	}
	for _, p := range ManagedPermissions() {
		if len(p.Actions) != len(set) {
			continue
		}
		if !slices.ContainsFunc(p.Actions, func(a string) bool { return !set[strings.ToLower(a)] }) {
			return p, true
		}
	}
	return Permission{}, false
}
