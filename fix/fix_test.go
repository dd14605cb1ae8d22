package fix_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/fix"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

const arn = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"

// engine compiles the built-in rules once for all the tests: compiling takes longer than a
// check.
type rulesEngine struct {
	set *rules.Set
	eng *linter.Engine
}

var compiled = sync.OnceValues(func() (rulesEngine, error) {
	set, err := rules.Builtin()
	if err != nil {
		return rulesEngine{}, err
	}
	eng, err := linter.New(context.Background(), set, linter.Config{})
	return rulesEngine{set, eng}, err
})

func engine() (*rules.Set, *linter.Engine, error) {
	c, err := compiled()
	return c.set, c.eng, err
}

// plan checks the file name holding src (with --resource-arn arn when a raw policy) and
// returns the plan's outcome for it, and the findings.
func plan(t *testing.T, name, src string) ([]fix.File, *fix.Plan, *finding.Report) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, eng, err := engine()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reader, err := input.NewReader(input.Context{ARN: arn})
	if err != nil {
		t.Fatal(err)
	}
	p := fix.NewPlan(set)
	rep := eng.Run(ctx, linter.RunOptions{Paths: []string{name}, Reader: reader, Visit: p.Visit})
	if len(rep.Failures) > 0 {
		t.Fatalf("failures: %v", rep.Failures)
	}
	return p.Files(), p, rep
}

// fixed runs the plan on src and returns the new text, checking that one file was fixed and
// that a second plan on the result has nothing left to fix.
func fixed(t *testing.T, name, src string, rulesFixed ...string) string {
	t.Helper()
	files, _, _ := plan(t, name, src)
	if len(files) != 1 {
		t.Fatalf("%d files to fix, want 1", len(files))
	}
	f := files[0]
	var got []string
	for _, fd := range f.Fixed {
		got = append(got, fd.Rule)
	}
	if !slices.Equal(got, rulesFixed) || len(f.Dropped) > 0 {
		t.Fatalf("fixed %v (dropped %v), want %v", got, f.Dropped, rulesFixed)
	}
	again, _, _ := plan(t, name, string(f.New))
	if len(again) != 0 {
		t.Fatalf("a second --fix would change the file again:\n%s", again[0].New)
	}
	return string(f.New)
}

func TestVersionJSON(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"indented", "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"" + arn + "\"}]\n}\n",
			"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"" + arn + "\"}]\n}\n"},
		{"one line", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": "` + arn + `"}]}`,
			`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": "` + arn + `"}]}`},
		{"tabs and CRLF", "{\r\n\t\"Id\": \"x\",\r\n\t\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"" + arn + "\"}\r\n}\r\n",
			"{\r\n\t\"Version\": \"2012-10-17\",\r\n\t\"Id\": \"x\",\r\n\t\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"" + arn + "\"}\r\n}\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fixed(t, "p.json", c.src, "version"); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestActionsJSON(t *testing.T) {
	policy := func(action string) string {
		return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"AWS\": \"444455556666\"},\n      \"Action\": " + action + ",\n      \"Resource\": \"" + arn + "\"\n    }\n  ]\n}\n"
	}
	for _, c := range []struct{ name, action, want string }{
		{"one line list", `["ssm:GetParameter", "ssm:GetParameters"]`, `["ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters"]`},
		{"list of one", `["ssm:GetParameter"]`, `["ssm:GetParameter", "ssm:DescribeParameters", "ssm:GetParameters"]`},
		{"a string", `"ssm:GetParameter"`, `["ssm:GetParameter", "ssm:DescribeParameters", "ssm:GetParameters"]`},
		{"lines", "[\n        \"SSM:getParameter\",\n        \"ssm:GetParameterHistory\"\n      ]",
			"[\n        \"SSM:getParameter\",\n        \"ssm:GetParameterHistory\",\n        \"ssm:DescribeParameters\",\n        \"ssm:GetParameters\"\n      ]"},
		{"list of one on its line", "[\n        \"ssm:GetParameters\"\n      ]", "[\n        \"ssm:GetParameters\",\n        \"ssm:DescribeParameters\",\n        \"ssm:GetParameter\"\n      ]"},
		{"empty", `[]`, `["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fixed(t, "p.json", policy(c.action), "action-not-promotable"); got != policy(c.want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, policy(c.want))
			}
		})
	}
}

// TestNotCertain: fixes that would take more than an addition, or guess, are not made.
func TestNotCertain(t *testing.T) {
	stmt := func(extra string) string {
		return `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, ` + extra + `, "Resource": "` + arn + `"}]}`
	}
	for name, src := range map[string]string{
		"an action to remove": stmt(`"Action": ["ssm:GetParameter", "ssm:PutParameter"]`),
		"a wildcard":          stmt(`"Action": ["ssm:Get*"]`),
		"NotAction":           stmt(`"NotAction": ["ssm:PutParameter"]`),
		"an old Version":      `{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": "` + arn + `"}]}`,
		"a misspelt Version":  `{"version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": "` + arn + `"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			files, _, rep := plan(t, "p.json", src)
			if len(files) != 0 {
				t.Errorf("fixed:\n%s", files[0].New)
			}
			if len(rep.Findings) == 0 {
				t.Error("no finding: the case tests nothing")
			}
		})
	}
}

const manifest = `# the shared database URL
resources:
  - arn: ` + arn + `
    parameter: {tier: Advanced, type: String}
    policy:
      # who reads it
      Statement:
        - Sid: Analytics   # the analytics account
          Effect: Allow
          Principal: {AWS: "444455556666"}
          Action:
            - ssm:GetParameter     # read one
            - ssm:GetParameters    # read many
          Resource: ` + arn + `
  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app/web
    parameter: {tier: Advanced, type: String}
    policy: {Statement: [{Effect: Allow, Principal: {AWS: "444455556666"}, Action: 'ssm:GetParameter', Resource: "arn:aws:ssm:us-east-1:111122223333:parameter/app/web"}]}
`

func TestManifestYAML(t *testing.T) {
	got := fixed(t, "ssmpolicy.yaml", manifest, "version", "action-not-promotable", "version", "action-not-promotable")
	want := strings.NewReplacer(
		"      # who reads it\n      Statement:", "      # who reads it\n      Version: \"2012-10-17\"\n      Statement:",
		"            - ssm:GetParameters    # read many\n", "            - ssm:GetParameters    # read many\n            - ssm:DescribeParameters\n",
		"policy: {Statement:", `policy: {Version: "2012-10-17", Statement:`,
		"Action: 'ssm:GetParameter',", "Action: ['ssm:GetParameter', 'ssm:DescribeParameters', 'ssm:GetParameters'],",
	).Replace(manifest)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSequenceEntryMapping(t *testing.T) {
	// A policy whose Statement list holds the first key on the dash's line; the block list
	// is the last thing in the file, with no line break after it.
	src := "resources:\n  - arn: " + arn + "\n    parameter: {tier: Advanced, type: String}\n    policy:\n      Statement:\n        - Effect: Allow\n          Principal: {AWS: \"444455556666\"}\n          Resource: " + arn + "\n          Action:\n            - \"ssm:GetParameter\""
	got := fixed(t, "m.yaml", src, "version", "action-not-promotable")
	want := "resources:\n  - arn: " + arn + "\n    parameter: {tier: Advanced, type: String}\n    policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n          Principal: {AWS: \"444455556666\"}\n          Resource: " + arn + "\n          Action:\n            - \"ssm:GetParameter\"\n            - \"ssm:DescribeParameters\"\n            - \"ssm:GetParameters\""
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSharedPolicy: a policy two entries share through a YAML anchor is edited once, where it
// is written, and both findings are fixed.
func TestSharedPolicy(t *testing.T) {
	src := "resources:\n  - arn: " + arn + "\n    parameter: {tier: Advanced, type: String}\n    policy: &share\n      Statement:\n        - {Effect: Allow, Principal: {AWS: \"444455556666\"}, Action: [ssm:DescribeParameters, ssm:GetParameter, ssm:GetParameters], Resource: \"*\"}\n  - arn: " + arn + "2\n    parameter: {tier: Advanced, type: String}\n    policy: *share\n"
	files, _, _ := plan(t, "m.yaml", src)
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	want := strings.Replace(src, "    policy: &share\n      Statement:", "    policy: &share\n      Version: \"2012-10-17\"\n      Statement:", 1)
	if string(files[0].New) != want || len(files[0].Fixed) != 2 {
		t.Errorf("fixed %d:\n%s\nwant:\n%s\ndropped: %v", len(files[0].Fixed), files[0].New, want, files[0].Dropped)
	}
}

// TestNotEdited: policies in strings, templates and plans are left alone and counted.
func TestNotEdited(t *testing.T) {
	for name, c := range map[string]struct{ file, src string }{
		"a manifest's JSON string":  {"m.yaml", "resources:\n  - arn: " + arn + "\n    policy: '{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": \"ssm:GetParameter\", \"Resource\": \"" + arn + "\"}]}'\n"},
		"a CloudFormation template": {"t.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: " + arn + "\n      Policy:\n        Statement:\n          - {Effect: Allow, Principal: {AWS: \"444455556666\"}, Action: ssm:GetParameter, Resource: \"" + arn + "\"}\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files, p, rep := plan(t, c.file, c.src)
			if len(files) != 0 {
				t.Errorf("edited:\n%s", files[0].New)
			}
			n := 0
			for _, f := range rep.Findings {
				if f.Rule == "version" || f.Rule == "action-not-promotable" {
					n++
				}
			}
			if n == 0 || p.Elsewhere() != n {
				t.Errorf("%d findings of fixable rules, %d counted as elsewhere", n, p.Elsewhere())
			}
		})
	}
}

// TestDiff: the dry run's diff is a unified diff of the file's edits.
func TestDiff(t *testing.T) {
	files, _, _ := plan(t, "p.json", "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"*\"}\n}\n")
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	want := "--- a/p.json\n+++ b/p.json\n@@ -1,3 +1,4 @@\n {\n+  \"Version\": \"2012-10-17\",\n   \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": [\"ssm:DescribeParameters\", \"ssm:GetParameter\", \"ssm:GetParameters\"], \"Resource\": \"*\"}\n }\n"
	if got := files[0].Diff(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestFixableRules: the rules whose METADATA says fixable are the rules with a fix.
func TestFixableRules(t *testing.T) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var marked []string
	for _, r := range set.Rules {
		if r.Fixable {
			marked = append(marked, r.ID)
		}
	}
	if !slices.Equal(marked, fix.Rules()) {
		t.Errorf("custom.fixable on %v; fixes for %v", marked, fix.Rules())
	}
}
