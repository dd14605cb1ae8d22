package linter

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
)

// rulesOf lists the rules that reported, sorted, once each.
func rulesOf(t *testing.T, e *Engine, ctx input.Context, path string) []string {
	t.Helper()
	var ids []string
	for _, f := range run(t, e, ctx, path).Findings {
		if !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestTargetChecksRunWhateverThePolicy: the checks of the target itself (its ARN, its tier)
// report even when the policy does not parse, is not an object, or names nothing; the policy's
// own problem is reported beside them, and no check of the policy runs on a guess.
func TestTargetChecksRunWhateverThePolicy(t *testing.T) {
	const badARN = "arn:aws:ssm:us-east-1:1111222233:parameter/app" // a 10-digit account
	manifest := func(policy string) string {
		return "resources:\n  - arn: " + badARN + "\n    parameter: {tier: Standard, type: String}\n    policy: " + policy + "\n"
	}
	dir := write(t, map[string]string{
		"syntax/m.yaml":   manifest("p.json"),
		"syntax/p.json":   "{\"Version\": \"2012-10-17\", \"Statement\": [\n  {\"Effect\": \"Allow\",}\n]}\n",
		"array/m.yaml":    manifest("p.json"),
		"array/p.json":    `[{"Effect": "Allow"}]`,
		"string/m.yaml":   manifest(`'"just a string"'`),
		"flag/p.json":     "{\"Statement\": [}\n",
		"inline/m.yaml":   manifest("[1, 2]"),
		"noarn/m.yaml":    "resources:\n  - policy: p.json\n",
		"noarn/p.json":    "{\"Statement\": [}\n",
		"opsgroup/m.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:opsitemgroup/other\n    policy: p.json\n",
		"opsgroup/p.json": "not json",
	})
	e := newEngine(t, Config{})
	cases := []struct {
		path string
		ctx  input.Context
		want []string
	}{
		{"syntax/m.yaml", input.Context{}, []string{"invalid-json", "parameter-tier", "resource-format"}},
		{"array/m.yaml", input.Context{}, []string{"parameter-tier", "resource-format", "schema"}},
		{"string/m.yaml", input.Context{}, []string{"parameter-tier", "resource-format", "schema"}},
		{"inline/m.yaml", input.Context{}, []string{"parameter-tier", "resource-format", "schema"}},
		{"flag/p.json", input.Context{ARN: badARN}, []string{"invalid-json", "resource-format"}},
		{"opsgroup/m.yaml", input.Context{}, []string{"invalid-json", "resource-kind"}},
		// nothing known of the target (the manifest schema says the arn is missing): the syntax
		// error, and no context-missing
		{"noarn/m.yaml", input.Context{}, []string{"invalid-json", "schema"}},
	}
	for _, c := range cases {
		got := rulesOf(t, e, c.ctx, filepath.Join(dir, c.path))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: rules %v, want %v", c.path, got, c.want)
		}
	}
	// The finding is on the ARN in the manifest.
	for _, f := range run(t, e, input.Context{}, filepath.Join(dir, "syntax/m.yaml")).Findings {
		if f.Rule == "resource-format" && (filepath.Base(f.File) != "m.yaml" || f.Start.Line != 2 || !strings.Contains(f.Message, "1111222233")) {
			t.Errorf("resource-format at %s:%d: %s", f.File, f.Start.Line, f.Message)
		}
	}
}

// TestContextMissingHelp: the fix is apart from the message, and --live is offered only for the
// facts AWS can give once the ARN is known.
func TestContextMissingHelp(t *testing.T) {
	cases := map[string]string{
		"tier":                      "give it in a manifest entry for this policy or with --tier, or read it from AWS with --live",
		"tier,type":                 "give them in a manifest entry for this policy or with --tier and --type, or read them from AWS with --live",
		"resource ARN":              "give it in a manifest entry for this policy or with --resource-arn",
		"resource ARN,tier,KMS key": "give them in a manifest entry for this policy or with --resource-arn, --tier and --key-id; with the ARN, --live reads the tier and KMS key from AWS",
	}
	for facts, want := range cases {
		if got := factsHelp(strings.Split(facts, ",")); got != want {
			t.Errorf("%s: %q, want %q", facts, got, want)
		}
	}
}
