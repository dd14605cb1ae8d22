package input

import (
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func TestTargetDescriptions(t *testing.T) {
	f := jsonpos.NewFile("dir/ssmpolicy.yaml", []byte("resources:\n  - arn: x\n"))
	for _, tt := range []struct {
		kind   Kind
		origin Location
		label  string
		by     string
	}{
		{Manifest, Location{File: f, Span: jsonpos.Span{Start: 13}, Path: []any{"resources", 0}}, "dir/ssmpolicy.yaml:2", "the manifest"},
		{CloudFormation, Location{File: f, Path: []any{"Resources", "Share"}}, "dir/ssmpolicy.yaml:1", "the template"},
		{Terraform, Location{File: f, Path: []any{"resource_changes", 3}}, "dir/ssmpolicy.yaml:1", "the plan"},
		{Terraform, Location{File: f, Path: []any{"planned_values"}}, "dir/ssmpolicy.yaml:1", "the plan"},
		{Policy, Location{File: f}, "dir/ssmpolicy.yaml:1", "the input"},
		{None, Location{File: f, Path: []any{"resources", 0}}, "dir/ssmpolicy.yaml:1", "the input"}, // the kind decides, not the path
		{None, Location{}, "", "the input"},
	} {
		target := &Target{Kind: tt.kind, Origin: tt.origin}
		if got := target.Label(); got != tt.label {
			t.Errorf("Label at %v = %q, want %q", tt.origin.Path, got, tt.label)
		}
		if got := target.DeclaredBy(); got != tt.by {
			t.Errorf("DeclaredBy at %v = %q, want %q", tt.origin.Path, got, tt.by)
		}
	}
}

func TestShown(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:ssm:us-east-1:111122223333:parameter/a":       "arn:aws:ssm:us-east-1:111122223333:parameter/a",
		"arn:aws:ssm:" + Unknown + ":111122223333:parameter/a": "arn:aws:ssm:${...}:111122223333:parameter/a",
		"a\x1b[31mred": `"a\x1b[31mred"`,
		"tab\there":    `"tab\there"`,
	} {
		if got := Shown(in); got != want {
			t.Errorf("Shown(%q) = %s, want %s", in, got, want)
		}
	}
}
