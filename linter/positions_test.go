package linter

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// A position case: a file, the rule that must report in it, where (line:column), and the text
// the finding underlines. A finding about a key underlines the key (a colon follows it); one
// about a value underlines the value.
type positionCase struct {
	rule  string
	files map[string]string // the first file named "p.json" or "m.yaml" is checked
	ctx   input.Context
	cfg   Config
	at    string // line:column
	text  string // what the finding underlines (its first line)
	key   bool   // the finding is on a key
}

// policyOf writes a policy with one statement whose members are given, one a line, so that
// positions are easy to read: the statement's members start on line 5, column 5.
func policyOf(members ...string) string {
	return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n    " +
		strings.Join(members, ",\n    ") + "\n    }\n  ]\n}\n"
}

const (
	allow     = `"Effect": "Allow"`
	account   = `"Principal": {"AWS": "444455556666"}`
	readOnly  = `"Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"]`
	theParam  = `"Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app"`
	paramARN  = "arn:aws:ssm:us-east-1:111122223333:parameter/app"
	manifestP = "resources:\n  - arn: %s\n    parameter: {tier: %s, type: %s%s}\n    policy: p.json\n"
)

var fullContext = input.Context{ARN: paramARN, Tier: "Advanced", Type: "String"}

func positionManifest(arn, tier, typ, key string) string {
	if key != "" {
		key = ", keyId: " + key
	}
	return fmt.Sprintf(manifestP, arn, tier, typ, key)
}

func positionCases() []positionCase {
	p := func(members ...string) map[string]string { return map[string]string{"p.json": policyOf(members...)} }
	withManifest := func(arn, tier, typ, key string, members ...string) map[string]string {
		return map[string]string{"m.yaml": positionManifest(arn, tier, typ, key), "p.json": policyOf(members...)}
	}
	return []positionCase{
		{rule: "action-not-promotable", files: p(allow, account, `"Action": ["ssm:GetParameter"]`, theParam),
			ctx: fullContext, at: "7:15", text: `["ssm:GetParameter"]`},
		{rule: "action-not-promotable", files: p(allow, `"Principal": "*"`, `"Action": "ssm:GetParameter"`, theParam,
			`"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`),
			ctx: fullContext, at: "9:36", text: `"aws:PrincipalOrgID"`, key: true},
		{rule: "action-unsupported", files: p(allow, account, `"Action": ["ssm:GetParameter", "ssm:PutParameter"]`, theParam),
			ctx: fullContext, at: "7:36", text: `"ssm:PutParameter"`},
		{rule: "action-wildcard", files: p(allow, account, `"Action": "ssm:Get*"`, theParam),
			ctx: fullContext, at: "7:15", text: `"ssm:Get*"`},
		{rule: "condition-key", files: p(allow, account, readOnly, theParam, `"Condition": {"StringEquals": {"aws:PrincipleOrgID": "o-a1b2c3d4e5"}}`),
			ctx: fullContext, at: "9:36", text: `"aws:PrincipleOrgID"`, key: true},
		{rule: "condition-operator", files: p(allow, account, readOnly, theParam, `"Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`),
			ctx: fullContext, at: "9:19", text: `"StringEqual"`, key: true},
		{rule: "condition-value", files: p(allow, account, readOnly, theParam, `"Condition": {"Bool": {"aws:SecureTransport": "maybe"}}`),
			ctx: fullContext, at: "9:51", text: `"maybe"`},
		{rule: "not-action", files: p(allow, account, `"NotAction": "ssm:PutParameter"`, theParam),
			ctx: fullContext, at: "7:5", text: `"NotAction"`, key: true},
		{rule: "not-principal", files: p(allow, `"NotPrincipal": {"AWS": "444455556666"}`, readOnly, theParam),
			ctx: fullContext, at: "6:5", text: `"NotPrincipal"`, key: true},
		{rule: "not-resource", files: p(allow, account, readOnly, `"NotResource": "arn:aws:ssm:us-east-1:111122223333:parameter/other"`),
			ctx: fullContext, at: "8:5", text: `"NotResource"`, key: true},
		{rule: "parameter-tier", files: withManifest(paramARN, "Standard", "String", "", allow, account, readOnly, theParam),
			at: "3:23", text: "Standard"},
		{rule: "policy-size", files: p(allow, `"Principal": {"AWS": [`+strings.Repeat(`"444455556666", `, 70)+`"444455556666"]}`, readOnly, theParam),
			ctx: fullContext, at: "1:1", text: "{"},
		{rule: "principal-account-not-allowed", files: p(allow, `"Principal": {"AWS": ["444455556666", "999988887777"]}`, readOnly, theParam),
			ctx: fullContext, cfg: Config{AccountsAllowed: []string{"444455556666"}}, at: "6:43", text: `"999988887777"`},
		{rule: "principal-format", files: p(allow, `"Principal": {"AWS": "4444-5555-6666"}`, readOnly, theParam),
			ctx: fullContext, at: "6:26", text: `"4444-5555-6666"`},
		{rule: "principal-not-account", files: p(allow, `"Principal": {"AWS": "arn:aws:iam::444455556666:role/app"}`, readOnly, theParam),
			ctx: fullContext, at: "6:26", text: `"arn:aws:iam::444455556666:role/app"`},
		{rule: "principal-partition", files: p(allow, `"Principal": {"AWS": "arn:aws-cn:iam::444455556666:root"}`, readOnly, theParam),
			ctx: fullContext, at: "6:26", text: `"arn:aws-cn:iam::444455556666:root"`},
		{rule: "principal-self", files: p(allow, `"Principal": {"AWS": ["444455556666", "111122223333"]}`, readOnly, theParam),
			ctx: fullContext, at: "6:43", text: `"111122223333"`},
		{rule: "principal-wildcard", files: p(allow, `"Principal": "*"`, readOnly, theParam),
			ctx: fullContext, at: "6:18", text: `"*"`},
		{rule: "resource-format", files: p(allow, account, readOnly, `"Resource": "arn:aws:ssm:us-east-1:1234:parameter/app"`),
			at: "8:17", text: `"arn:aws:ssm:us-east-1:1234:parameter/app"`},
		{rule: "resource-format", files: withManifest("arn:aws:ssm:us-east-1:111122223333:parameter/app/*", "Advanced", "String", "", allow, account, readOnly, theParam),
			at: "2:10", text: "arn:aws:ssm:us-east-1:111122223333:parameter/app/*"},
		{rule: "resource-kind", files: withManifest("arn:aws:ssm:us-east-1:111122223333:document/app", "Advanced", "String", "", allow, account, readOnly, theParam),
			at: "2:10", text: "arn:aws:ssm:us-east-1:111122223333:document/app"},
		{rule: "resource-mismatch", files: p(allow, account, readOnly, `"Resource": ["arn:aws:ssm:us-east-1:111122223333:parameter/app", "arn:aws:ssm:us-east-1:111122223333:parameter/other"]`),
			ctx: fullContext, at: "8:70", text: `"arn:aws:ssm:us-east-1:111122223333:parameter/other"`},
		{rule: "resource-wildcard", files: p(allow, account, readOnly, `"Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/*"`),
			ctx: fullContext, at: "8:17", text: `"arn:aws:ssm:us-east-1:111122223333:parameter/*"`},
		{rule: "securestring-key", files: withManifest(paramARN, "Advanced", "SecureString", "alias/aws/ssm", allow, account, readOnly, theParam),
			at: "3:60", text: "alias/aws/ssm"},
		{rule: "sid-duplicate", files: map[string]string{"p.json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" +
			"    {\"Sid\": \"Read\", " + allow + ", " + account + ", " + readOnly + ", " + theParam + "},\n" +
			"    {\"Sid\": \"Read\", " + allow + ", " + account + ", " + readOnly + ", " + theParam + "}\n  ]\n}\n"},
			ctx: fullContext, at: "5:13", text: `"Read"`},
		{rule: "sid-format", files: p(`"Sid": "read-only"`, allow, account, readOnly, theParam),
			ctx: fullContext, at: "5:12", text: `"read-only"`},
		{rule: "version", files: map[string]string{"p.json": strings.Replace(policyOf(allow, account, readOnly, theParam), "2012-10-17", "2012-10-18", 1)},
			ctx: fullContext, at: "2:14", text: `"2012-10-18"`},
		{rule: "version", files: map[string]string{"p.json": strings.Replace(policyOf(allow, account, readOnly, theParam), "\"Version\": \"2012-10-17\",\n  ", "", 1)},
			ctx: fullContext, at: "1:1", text: "{"},
		{rule: "context-missing", files: p(allow, account, readOnly, theParam), at: "1:1", text: "{"},
		{rule: "schema", files: p(allow, account, readOnly, theParam, `"Conditon": {}`),
			ctx: fullContext, at: "9:5", text: `"Conditon"`, key: true},
		{rule: "duplicate-key", files: p(allow, allow, account, readOnly, theParam),
			ctx: fullContext, at: "6:5", text: `"Effect"`, key: true},
	}
}

// TestPositionsPerRule checks, for every rule that points into a file, the line and column of
// its finding and what it underlines: a key for a finding about a key, the value otherwise.
func TestPositionsPerRule(t *testing.T) {
	seen := map[string]bool{}
	plain := newEngine(t, Config{})
	for _, c := range positionCases() {
		seen[c.rule] = true
		dir := write(t, c.files)
		path := filepath.Join(dir, "p.json")
		if _, ok := c.files["m.yaml"]; ok {
			path = filepath.Join(dir, "m.yaml")
		}
		e := plain
		if c.cfg.AccountsAllowed != nil {
			var err error
			if e, err = plain.WithConfig(c.cfg); err != nil {
				t.Fatal(err)
			}
		}
		rep := run(t, e, c.ctx, path)
		f, ok := firstOf(rep, c.rule)
		if !ok {
			t.Errorf("%s: no finding in %v", c.rule, rulesIn(rep))
			continue
		}
		src := []byte(c.files[filepath.Base(f.File)])
		got := strconv.Itoa(f.Start.Line) + ":" + strconv.Itoa(f.Start.Column)
		under := ""
		if f.Start.Offset <= f.End.Offset && f.End.Offset <= len(src) {
			under, _, _ = strings.Cut(string(src[f.Start.Offset:f.End.Offset]), "\n")
		}
		if got != c.at || under != c.text {
			t.Errorf("%s: at %s underlining %q, want %s underlining %q (%s)", c.rule, got, under, c.at, c.text, f.Message)
			continue
		}
		after := strings.TrimLeft(string(src[f.End.Offset:]), " ")
		if onKey := strings.HasPrefix(after, ":") && strings.HasPrefix(c.text, `"`); onKey != c.key {
			t.Errorf("%s: on a key %v, want %v", c.rule, onKey, c.key)
		}
	}
	for _, id := range []string{"action-not-promotable", "action-unsupported", "action-wildcard", "condition-key",
		"condition-operator", "condition-value", "not-action", "not-principal", "not-resource", "parameter-tier",
		"policy-size", "principal-account-not-allowed", "principal-format", "principal-not-account",
		"principal-partition", "principal-self", "principal-wildcard", "resource-format", "resource-kind",
		"resource-mismatch", "resource-wildcard", "securestring-key", "sid-duplicate", "sid-format", "version"} {
		if !seen[id] {
			t.Errorf("rule %s has no position case", id)
		}
	}
}

func firstOf(rep *finding.Report, rule string) (finding.Finding, bool) {
	for _, f := range rep.Findings {
		if f.Rule == rule {
			return f, true
		}
	}
	return finding.Finding{}, false
}

func rulesIn(rep *finding.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule+"@"+strconv.Itoa(f.Start.Line)+":"+strconv.Itoa(f.Start.Column))
	}
	return out
}
