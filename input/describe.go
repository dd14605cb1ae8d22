package input

import (
	"fmt"
	"strings"
)

// Label is "file:line" of where the target is declared, or "" when it is not in a file.
func (t *Target) Label() string {
	if t.Origin.File == nil {
		return ""
	}
	p := t.Origin.File.Pos(t.Origin.Span.Start)
	return fmt.Sprintf("%s:%d", t.Origin.File.Name, p.Line)
}

// DeclaredBy names, for messages, the kind of input that declares the target: "the manifest",
// "the template", "the plan", or "the input" for a policy file.
func (t *Target) DeclaredBy() string {
	switch t.Kind {
	case Manifest:
		return "the manifest"
	case CloudFormation:
		return "the template"
	case Terraform:
		return "the plan"
	}
	return "the input"
}

// Shown makes an input-derived string safe to print: the deploy-time marker as ${...}, control
// characters quoted.
func Shown(s string) string {
	s = strings.ReplaceAll(s, Unknown, "${...}")
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("%q", s)
	}
	return s
}
