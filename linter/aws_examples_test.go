package linter

import (
	"path/filepath"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
)

// TestAWSExamples checks the policies of testdata/aws-examples, written after the shapes of
// AWS's own examples (the CloudFormation AWS::SSM::ResourcePolicy example, put-resource-policy
// with a policy file, parameter shares with the managed permission sets and organization
// pins): no check may report on them, and every one of them must be read as a target.
func TestAWSExamples(t *testing.T) {
	dir := filepath.Join("..", "testdata", "aws-examples")
	rep := run(t, newEngine(t, Config{}), input.Context{}, dir)
	for _, f := range rep.Failures {
		t.Errorf("failure: %v", f.Error())
	}
	for _, f := range rep.Findings {
		t.Errorf("%s:%d:%d: %s %s: %s", f.File, f.Start.Line, f.Start.Column, f.Level, f.Rule, f.Message)
	}
	// four templates, and four manifests with their five policies: nine targets
	if rep.Summary.Targets != 9 {
		t.Errorf("%d targets, want 9: a fixture was not read as one (summary %+v)", rep.Summary.Targets, rep.Summary)
	}
}
