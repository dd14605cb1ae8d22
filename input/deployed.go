package input

import (
	"errors"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// NewDeployed makes the target of one policy as AWS holds it: text is the Policy member of a
// GetResourcePolicies answer, byte for byte, so that every position a finding gives is a
// line and column of that text and its JSON pointer an element of that document. name is the
// file name its findings carry, since no file holds the policy (audit uses the resource ARN);
// arn is the resource the policy is on. The facts about the resource (tier, type, key) are
// the caller's to set, from what AWS says of it.
//
// A text that does not parse as JSON, or repeats a key, makes the same invalid-json and
// duplicate-key problems as a policy file would; SSM accepts neither, so they are not
// expected from AWS, but an audit must not assume it.
func NewDeployed(name, arn string, text []byte) *Target {
	f := jsonpos.NewFile(name, text)
	t := &Target{
		Kind:       Deployed,
		PolicyFile: f,
		Origin:     Location{File: f, Span: jsonpos.Span{Start: 0, End: min(1, len(text))}},
		ARN:        Fact{Value: arn, Known: arn != ""},
	}
	parsed, err := jsonpos.ParseJSON(text)
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) {
			t.Problems = append(t.Problems, SyntaxProblem(f, se, true))
		} else {
			t.Problems = append(t.Problems, Problem{Rule: rules.InvalidJSON, Message: "not valid JSON: " + err.Error(), Loc: t.Origin})
		}
		return t
	}
	t.Policy = parsed.Root
	t.PolicyText = text
	t.PolicyLoc = Location{File: f, Span: parsed.Root.Span}
	t.Origin = Location{File: f, Span: jsonpos.Span{Start: parsed.Root.Span.Start, End: parsed.Root.Span.Start + 1}}
	t.Problems = append(t.Problems, DuplicateProblems(f, parsed.Duplicates, nil)...)
	return t
}
