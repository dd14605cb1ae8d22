// Package input reads the files users write — policy documents, manifests, CloudFormation
// templates, Terraform plans — into targets: one policy, the resource it is for, and the facts
// known about that resource, each with the place in a file where it was written.
package input

import (
	"bytes"
	"encoding/json"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Unknown stands in a string for a part that is known only when the infrastructure is
// deployed (a CloudFormation pseudo parameter, a template parameter, a Terraform value known
// after apply). Rules treat a string holding it as "could be anything".
const Unknown = "\ue000"

// Location is a place in a file.
type Location struct {
	File *jsonpos.File
	Span jsonpos.Span
	// Path is the path of the element from the root of the document in File.
	Path jsonpos.Path
}

// Known reports whether the location points into a file.
func (l Location) Known() bool { return l.File != nil }

// Fact is one thing known about a resource and where it was written.
type Fact struct {
	Value string
	Known bool
	Loc   Location
	// From names what gave the value when no file did, or when it replaced what a file
	// says: a flag ("--tier") or "--live". Findings about the fact say so.
	From string
}

// Branch is one branch of a CloudFormation Fn::If: the value it gives, and when.
type Branch struct {
	Fact
	// Condition is the name of the template's condition; When is the value of the condition
	// under which this branch is taken.
	Condition string
	When      bool
}

// Problem is a finding made while reading: the document does not parse, or repeats a key.
type Problem struct {
	Rule    string
	Message string
	// Help says how to put it right, when there is more to say than the message; "" otherwise.
	Help string
	Loc  Location
}

// Target is one policy for one resource.
type Target struct {
	// Kind is the kind of input that declares the target: a policy file, a manifest (also for
	// the policy files a manifest names), a CloudFormation template or a Terraform plan. None
	// for a target made by hand.
	Kind Kind

	// Policy is the parsed policy, its spans in PolicyFile. Nil when it could not be read:
	// Problems then say why, or PolicyRef names a file still to load.
	Policy     *jsonpos.Node
	PolicyFile *jsonpos.File
	// PolicyLoc is where the policy is written or referenced; findings about the policy as a
	// whole (its size) point here.
	PolicyLoc Location
	// PolicyText is the policy's JSON text when it was written as JSON (a file or a string);
	// nil when it was written as a YAML mapping.
	PolicyText []byte
	// PolicyRef is a policy file named by a manifest, not loaded yet (see LoadPolicy).
	PolicyRef    string
	PolicyRefLoc Location
	// policyRefNode is the manifest string PolicyRef was read from.
	policyRefNode *jsonpos.Node

	ARN  Fact
	Tier Fact
	// TierBranches are the branches of a CloudFormation Fn::If that gives the tier when the
	// template cannot decide its condition: Tier is then not known, but each branch is, and
	// parameter-tier says which one makes the parameter unshareable.
	TierBranches []Branch
	// HasPolicies says that the template or plan gives the parameter parameter policies
	// (Policies, policies): an Intelligent-Tiering parameter is then Advanced.
	HasPolicies bool
	Type        Fact
	KeyID       Fact
	KeyManager  Fact
	// PolicyID is the id of the policy this one replaces, where a manifest records it.
	PolicyID string

	// Origin is where the target is declared: a manifest entry, a template resource, or the
	// start of a policy file.
	Origin Location
	// Ignore lists rule ids suppressed for this target by the file that declares it.
	Ignore []IgnoreEntry
	// Problems found while reading.
	Problems []Problem
}

// IgnoreEntry is one rule id suppressed by the input itself (a manifest's `ignore`, a
// template resource's Metadata).
type IgnoreEntry struct {
	Rule string
	Loc  Location
}

// CompactPolicy returns the policy as it would be sent: JSON on one line.
func (t *Target) CompactPolicy() ([]byte, error) {
	if t.PolicyText != nil {
		var b bytes.Buffer
		if err := json.Compact(&b, t.PolicyText); err == nil {
			return b.Bytes(), nil
		}
	}
	if t.Policy == nil {
		return nil, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // AWS receives the text as written, not HTML-escaped
	if err := enc.Encode(t.Policy.Value()); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
