package report

import (
	"fmt"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// workDir is the working directory the fixtures were "checked" in, so that golden files do
// not depend on where the tests run.
const workDir = "/src/project"

const (
	arnDB   = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password"
	arnName = "arn:aws:ssm:eu-central-1:111122223333:parameter/app/größe/名前"
	docs    = "https://github.com/ssmpolicy/ssmpolicy/blob/main/rules/"
)

func pos(line, col, off int) jsonpos.Pos { return jsonpos.Pos{Line: line, Column: col, Offset: off} }

// src is the excerpt of a short line, kept whole.
func src(line string) finding.Excerpt { return finding.Excerpt{Text: line, Column: 1} }

// planLine is a one-line Terraform plan (terraform show -json writes one line) with a
// policy string in it, and the finding of a rule on the principal inside that string.
func planFinding() finding.Finding {
	filler := strings.Repeat(`{"address": "aws_ssm_parameter.p", "mode": "managed"}, `, 40)
	line := `{"format_version": "1.2", "resource_changes": [` + filler +
		`{"change": {"after": {"policy": "{\"Statement\": [{\"Principal\": \"*\", \"Effect\": \"Allow\"}]}"}}}]}`
	f := jsonpos.NewFile("plan.json", []byte(line))
	i := strings.Index(line, `\"*\"`)
	start, end := f.Pos(i), f.Pos(i+len(`\"*\"`))
	return finding.Finding{
		Rule: "principal-wildcard", Level: finding.SecurityWarning, File: "plan.json",
		Message: "the principal \"*\" grants every AWS account",
		Help:    "name the accounts, or pin it with a condition on aws:PrincipalOrgID",
		Start:   start, End: end, Pointer: "/Statement/0/Principal", Resource: arnDB,
		Docs: docs + "principal-wildcard/README.md", Source: finding.ExcerptOf(f, start, end),
	}
}

// fixtureReport has a finding at every level, one spanning several lines, one in a file
// outside the working directory and one read from standard input; multi-byte characters
// in paths, lines and messages; a message with %, a line break, : and ,; a finding whose
// rule the catalogue lacks; a suppressed finding; a finding checked in a manifest's context;
// and a configuration that turns two rules off.
func fixtureReport() *finding.Report {
	uber := "policies/über.json"
	rep := &finding.Report{
		Findings: []finding.Finding{
			{
				Rule: "schema", Level: finding.Error, File: uber,
				Message: `Statement 0 has an unknown element "Efect"`, Help: `did you mean "Effect"?`,
				Start: pos(4, 7, 52), End: pos(4, 14, 59), Pointer: "/Statement/0/Efect", Resource: arnDB,
				Docs: docs + "schema/README.md", Sid: "Zugriff", Source: src(`      "Efect": "Allow",`),
			},
			{
				Rule: "principal-wildcard", Level: finding.SecurityWarning, File: uber,
				Message: "grants 100% of AWS accounts: anyone, anywhere,\nnot one account",
				Start:   pos(6, 20, 101), End: pos(8, 8, 140), Pointer: "/Statement/0/Principal", Resource: arnDB,
				Docs: docs + "principal-wildcard/README.md", Source: src(`      "Principal": {`), Context: "manifest.yaml:2:5",
			},
			{
				Rule: "sid-format", Level: finding.Warning, File: uber,
				Message: `Sid "Zugriff für Ops" has characters other than A-Z a-z 0-9: " " and "ü"`,
				Start:   pos(3, 14, 35), End: pos(3, 31, 53), Pointer: "/Statement/0/Sid", Resource: arnDB,
				Docs: docs + "sid-format/README.md", Source: src(`      "Sid": "Zugriff für Ops",`),
			},
			{
				Rule: "principal-self", Level: finding.Suggestion, File: "manifest.yaml",
				Message: "the policy grants 111122223333, the account that owns the resource | a * is _not_ <b>bold</b>",
				Start:   pos(9, 18, 233), End: pos(9, 32, 247), Pointer: "/Statement/0/Principal/AWS", Resource: arnName,
				Docs: docs + "principal-self/README.md", Source: src(`          AWS: "111122223333"`),
			},
			{
				Rule: "version", Level: finding.Warning, File: "/elsewhere/shared policy.json",
				Message: "Version is missing: IAM reads the policy with the 2008-10-17 grammar",
				Help:    `add "Version": "2012-10-17"`,
				Start:   pos(1, 1, 0), End: pos(1, 2, 1), Pointer: "",
				Docs: docs + "version/README.md", Source: src("{"),
			},
			{
				Rule: "context-missing", Level: finding.Warning, File: finding.StdinName,
				Message: "no resource ARN: resource-mismatch, parameter-tier did not run",
				Start:   pos(1, 1, 0), End: pos(1, 1, 0), Pointer: "",
				Docs: docs + "context-missing/README.md",
			},
			{
				Rule: "parameter-tier", Level: finding.Error, File: "/elsewhere/shared policy.json",
				Message: "the parameter is in the Standard tier: only Advanced parameters can be shared",
				Help:    "raise it with put-parameter --tier Advanced; it cannot go back",
				Note:    "tier from --tier",
				Start:   pos(1, 1, 0), End: pos(1, 2, 1), Docs: docs + "parameter-tier/README.md",
			},
			planFinding(),
			{
				Rule: "custom-tag-owner", Level: finding.Error, File: "manifest.yaml",
				Message: "no Owner tag\x1b[2J\rforged: a line\u202e", Start: pos(5, 5, 120), End: pos(5, 9, 124), Pointer: "/resources/0",
				Resource: arnName,
			},
		},
		Suppressed: []finding.Suppressed{
			{
				Rule: "principal-not-account", Level: finding.Warning, File: uber,
				Message: "arn:aws:iam::444455556666:role/OpsAdmin is a role, not an account",
				Start:   pos(7, 16, 120), End: pos(7, 57, 161), Pointer: "/Statement/0/Principal/AWS",
				Reason: "OpsCenter admin roles", By: ".ssmpolicy.yaml:12",
			},
		},
		Summary: finding.Summary{Files: 3, Skipped: 1, Targets: 4, Disabled: 2},
		Config:  []finding.ConfigUsed{{File: ".ssmpolicy.yaml", Disabled: []string{"not-action", "sid-duplicate"}}},
	}
	rep.Finish()
	return rep
}

// failuresReport is a run that could not do its job: nothing but errors (exit 2).
func failuresReport() *finding.Report {
	rep := &finding.Report{
		Failures: []finding.Failure{
			{File: "manifest.yaml", Start: &jsonpos.Pos{Line: 4, Column: 13, Offset: 60}, Message: "read policy policies/missing.json: no such file or directory"},
			{File: "unreadable/", Message: "open unreadable/: permission denied"},
			{Message: "invalid config .ssmpolicy.yaml: /rules/principal-self: want a level or ignore, got \"off\""},
		},
	}
	rep.Finish()
	return rep
}

// fixtureRules is a small catalogue: the fired rules but one (custom-tag-owner), and one
// that did not fire.
func fixtureRules() *rules.Set {
	mk := func(id, title string, l finding.Level) *rules.Rule {
		return &rules.Rule{ID: id, Title: title, Level: l,
			Description: "Fires when " + title + ".",
			DocsURL:     docs + id + "/README.md",
			Doc:         "# " + id + "\n\n" + title + ".\n\n## Why\n\nBecause.\n"}
	}
	return &rules.Set{Rules: []*rules.Rule{
		mk("action-wildcard", "an action is a wildcard", finding.SecurityWarning),
		mk("context-missing", "facts a check needs are missing", finding.Warning),
		mk("parameter-tier", "the parameter is not in the Advanced tier", finding.Error),
		mk("principal-not-account", "a principal is not an account", finding.Warning),
		mk("principal-self", "the policy grants the owning account", finding.Suggestion),
		mk("principal-wildcard", "the principal is everyone", finding.SecurityWarning),
		mk("schema", "the policy grammar is broken", finding.Error),
		mk("sid-format", "a Sid has characters other than A-Z a-z 0-9", finding.Warning),
		mk("version", "Version is missing or not 2012-10-17", finding.Warning),
	}}
}

// bigReport has n findings over n/10 files, for the benchmarks.
func bigReport(n int) *finding.Report {
	rep := &finding.Report{Summary: finding.Summary{Files: n / 10, Targets: n / 5}}
	levels := finding.Levels()
	for i := range n {
		rep.Findings = append(rep.Findings, finding.Finding{
			Rule: "principal-wildcard", Level: levels[i%len(levels)],
			File:    fmt.Sprintf("policies/team-%03d/param.json", i/10),
			Message: fmt.Sprintf("finding %d: grants 100%% of accounts, everywhere: really", i),
			Start:   pos(i%10+3, 7, i%10*40), End: pos(i%10+3, 20, i%10*40+13),
			Pointer: fmt.Sprintf("/Statement/%d/Principal", i%10), Resource: fmt.Sprintf("arn:aws:ssm:us-east-1:111122223333:parameter/team/%d", i/5),
			Docs: docs + "principal-wildcard/README.md", Source: src(`      "Principal": "*",`),
		})
	}
	rep.Finish()
	return rep
}
