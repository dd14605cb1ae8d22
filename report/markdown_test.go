package report

import (
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a | b":         `a \| b`,
		"line\nnext":    "line<br>next",
		"crlf\r\nnext":  "crlf<br>next",
		"<stdin>":       `\<stdin\>`,
		"ssm:* and _x_": `ssm:\* and \_x\_`,
		`back\slash`:    `back\\slash`,
		"[link](x)":     `\[link\](x)`,
		"esc\x1b[31m":   `esc\\x1b\[31m`,
		"rtl\u202e":     `rtl\\u202e`,
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownSourceLinks(t *testing.T) {
	env := map[string]string{
		"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/infra",
		"GITHUB_SHA": "0123abc", "GITHUB_WORKSPACE": "/src",
	}
	src := GitHubSource(func(k string) string { return env[k] })
	m := Markdown{WorkDir: workDir, Source: src}
	if got, want := m.location("policies/über.json", 3, 14), "[policies/über.json:3:14](https://github.com/acme/infra/blob/0123abc/project/policies/%C3%BCber.json#L3)"; got != want {
		t.Errorf("location = %s, want %s", got, want)
	}
	if got := m.location("/elsewhere/x.json", 1, 1); got != "/elsewhere/x.json:1:1" {
		t.Errorf("a file outside the workspace got a link: %s", got)
	}
	if got := m.location(finding.StdinName, 1, 1); got != `\<stdin\>:1:1` {
		t.Errorf("stdin location = %s", got)
	}
	delete(env, "GITHUB_SHA")
	if GitHubSource(func(k string) string { return env[k] }) != nil {
		t.Error("links without a commit")
	}
}

func TestMarkdownLimit(t *testing.T) {
	rep := bigReport(1000)
	full := string(publishT(t, Markdown{WorkDir: workDir}, rep))
	capped := string(publishT(t, Markdown{WorkDir: workDir, Limit: 4000}, rep))
	if strings.Contains(full, "not shown") {
		t.Error("rows dropped without a limit")
	}
	if len(capped) > 5000 || !strings.Contains(capped, "more findings not shown here") {
		t.Errorf("limited summary is %d bytes:\n%s", len(capped), capped)
	}
}

// A custom rule's page link is written by whoever wrote the rule: it cannot carry control
// characters, or leave its (...), into the summary.
func TestMarkdownRuleLink(t *testing.T) {
	if got, want := ruleLink("custom-x", "https://wiki/x y)\x1b[2J"), `[custom-x](https://wiki/x%20y%29\x1b[2J)`; got != want {
		t.Errorf("ruleLink = %s, want %s", got, want)
	}
}
