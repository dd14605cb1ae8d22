package input

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Kind is the format of an input file, told by its content whatever its name.
type Kind int

// The formats.
const (
	None Kind = iota
	Policy
	Manifest
	CloudFormation
	Terraform
	// Deployed is a policy read from AWS rather than from a file (audit; see NewDeployed).
	// Detect never returns it.
	Deployed
)

func (k Kind) String() string {
	return [...]string{"none", "policy", "manifest", "cloudformation", "terraform", "deployed"}[k]
}

// Detect tells the format of a parsed document.
func Detect(root *jsonpos.Node) Kind {
	if root == nil || root.Kind != jsonpos.Object {
		return None
	}
	switch {
	case root.Get("Statement") != nil:
		return Policy
	case root.Get("resource_changes") != nil || (root.Get("format_version") != nil && root.Get("terraform_version") != nil):
		return Terraform
	case root.Get("AWSTemplateFormatVersion") != nil || hasAWSResource(root.Get("Resources")):
		return CloudFormation
	}
	if r := root.Get("resources"); r != nil && r.Kind == jsonpos.Array {
		return Manifest
	}
	return None
}

func hasAWSResource(res *jsonpos.Node) bool {
	if res == nil || res.Kind != jsonpos.Object {
		return false
	}
	for _, m := range res.Members {
		if t := m.Value.Get("Type"); t != nil && t.Kind == jsonpos.String && strings.HasPrefix(t.Text, "AWS::") {
			return true
		}
	}
	return false
}

var (
	intentWords   = [][]byte{[]byte("Statement"), []byte("AWSTemplateFormatVersion"), []byte("AWS::SSM::"), []byte("resource_changes")}
	resourcesList = regexp.MustCompile(`(?m)^resources:|^\s*\{\s*"resources"\s*:\s*\[`)
)

// LooksIntended reports whether a file that does not parse was meant to be one of the
// formats, so that its syntax error is a finding rather than a skipped file. A tsconfig.json
// with comments is not; a policy with a trailing comma is.
func LooksIntended(src []byte) bool {
	for _, w := range intentWords {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return resourcesList.Match(src)
}
