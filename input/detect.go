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
	if r := root.Get("resources"); r != nil && r.Kind == jsonpos.Array && hasManifestEntry(r) {
		return Manifest
	}
	return None
}

// manifestKeys are the keys of a manifest entry that no other tool's `resources` list is
// likely to use together with this one's name for them.
var manifestKeys = []string{"arn", "policy", "parameter", "ignore", "policyId"}

// hasManifestEntry tells a manifest's resources list from another tool's: at least one item
// has a key of a manifest entry. A manifest with a misspelt key in one entry still has the
// others' (and that entry's own arn or policy), so its schema error is still reported.
func hasManifestEntry(list *jsonpos.Node) bool {
	for _, it := range list.Items {
		for _, k := range manifestKeys {
			if it.Get(k) != nil {
				return true
			}
		}
	}
	return false
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
	if bytes.IndexByte(src, 0) >= 0 {
		// UTF-16 (or binary): the words are ASCII with zero bytes between their letters.
		src = bytes.ReplaceAll(src, []byte{0}, nil)
	}
	for _, w := range intentWords {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return resourcesList.Match(src)
}
