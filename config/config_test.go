package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func parse(t *testing.T, src string) *Config {
	t.Helper()
	c, err := Parse("/repo/.ssmpolicy.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseFull(t *testing.T) {
	c := parse(t, `accounts:
  allowed: ["111122223333", "444455556666"]
rules:
  principal-self: ignore
  action-not-promotable: error
ignore:
  - files: ["legacy/**"]
  - rule: principal-not-account
    files: ["shared/ops/*.json"]
    sid: OpsAdmins
    reason: "OpsCenter admin roles"
    expires: 2027-03-31
custom_rules: ["policies/rego"]
fail_on: warning
`)
	if len(c.AccountsAllowed) != 2 || c.AccountsAllowed[1] != "444455556666" {
		t.Errorf("accounts = %v", c.AccountsAllowed)
	}
	if c.Levels["principal-self"] != finding.Ignore || c.Levels["action-not-promotable"] != finding.Error {
		t.Errorf("levels = %v", c.Levels)
	}
	if c.FailOn != finding.Warning {
		t.Errorf("fail_on = %v", c.FailOn)
	}
	if len(c.CustomRules) != 1 || c.CustomRules[0] != "/repo/policies/rego" {
		t.Errorf("custom rules = %v (paths are relative to the configuration)", c.CustomRules)
	}
	if len(c.Ignore) != 2 || c.Ignore[1].Line != 8 || c.Ignore[1].Expires.Format(time.DateOnly) != "2027-03-31" || c.Ignore[1].Sid != "OpsAdmins" {
		t.Errorf("ignore = %+v", c.Ignore)
	}
}

func TestEmptyConfig(t *testing.T) {
	for _, src := range []string{"", "\n", "# only a comment\n"} {
		c, err := Parse("x.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if c.AccountsAllowed != nil || len(c.Levels) != 0 || c.FailOn != 0 {
			t.Errorf("%q: not the default configuration: %+v", src, c)
		}
	}
}

// TestErrorsNameThePlace checks that each kind of mistake names the file, line and column of
// the bad key or value.
func TestErrorsNameThePlace(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"rulez: {}\n", "x.yaml:1:1: unknown element \"rulez\""},
		{"rules:\n  version: loud\n", "x.yaml:2:12: rules.version must be one of"},
		{"accounts:\n  allowed: [12345]\n", "x.yaml:2:13: accounts.allowed[0] must be a string"},
		{"accounts:\n  allowed: [\"12345\"]\n", "x.yaml:2:13: accounts.allowed[0]: the string \"12345\" is not a 12-digit account id"},
		{"ignore:\n  - rule: version\n", "x.yaml:2:5: the ignore entry for rule version needs a reason"},
		{"ignore:\n  - reason: why\n", "x.yaml:2:5: an ignore entry needs files, rule, or both"},
		{"ignore:\n  - files: [a]\n    sid: X\n", "x.yaml:2:5: sid narrows a rule-scoped entry"},
		{"ignore:\n  - rule: version\n    reason: r\n    expires: 2026-02-30\n", "x.yaml:4:14: expires \"2026-02-30\" is not a date"},
		{"ignore:\n  - files: [\"[\"]\n", "x.yaml:2:13: bad file pattern"},
		{"fail_on: ignore\n", "x.yaml:1:10: fail_on must be one of"},
		{"rules: [\n", "x.yaml:"},
		{"rules: {}\nrules: {}\n", "x.yaml:2:1: \"rules\" is written twice"},
	}
	for _, tc := range tests {
		_, err := Parse("x.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestCheckRules(t *testing.T) {
	c := parse(t, "rules:\n  versoin: warning\nignore:\n  - rule: principal-self\n    reason: r\n  - rule: nope\n    reason: r\n")
	ids := []string{"version", "principal-self"}
	known := func(id string) bool { return id == "version" || id == "principal-self" }
	err := c.CheckRules(known, ids)
	var errs *Errors
	if !errors.As(err, &errs) || len(errs.List) != 2 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(errs.List[0], ":2:3: rules: unknown rule \"versoin\" (did you mean version?)") ||
		!strings.Contains(errs.List[1], ":6:11: ignore: unknown rule \"nope\"") {
		t.Errorf("errors = %q", errs.List)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != "" && !strings.HasPrefix(got, root) {
		// A configuration above the temporary directory is not ours to judge.
		t.Logf("found %s outside the test tree", got)
	}
	want := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(want, []byte("fail_on: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

func at(file string, line int) finding.Finding {
	return finding.Finding{File: file, Start: jsonpos.Pos{Line: line, Column: 1}}
}

// TestSuppression checks every form of ignore entry, on a fixed day.
func TestSuppression(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse(filepath.Join(dir, FileName), []byte(`ignore:
  - files: ["legacy/**"]
  - rule: principal-not-account
    files: ["shared/*.json"]
    sid: OpsAdmins
    reason: admin roles
  - rule: version
    reason: old files
    expires: 2026-11-24
  - rule: principal-self
    reason: on purpose
    expires: 2026-11-25
`))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Suppressor(time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC))
	f := func(rule, file, sid string) finding.Finding {
		x := at(filepath.Join(dir, file), 3)
		x.Rule, x.Sid = rule, sid
		return x
	}
	tests := []struct {
		f      finding.Finding
		want   bool
		reason string
	}{
		{f("schema", "legacy/a/b.json", ""), true, "files ignored: legacy/**"},
		{f("schema", "legacyx/b.json", ""), false, ""},
		{f("principal-not-account", "shared/ops.json", "OpsAdmins"), true, "admin roles"},
		{f("principal-not-account", "shared/ops.json", "Other"), false, ""},
		{f("principal-not-account", "shared/sub/ops.json", "OpsAdmins"), false, ""}, // * stays in one folder
		{f("principal-wildcard", "shared/ops.json", "OpsAdmins"), false, ""},
		{f("version", "x.json", ""), false, ""},                 // expired yesterday
		{f("principal-self", "x.json", ""), true, "on purpose"}, // expires today: still applies
	}
	for _, tc := range tests {
		got, ok := s.Suppress(tc.f)
		if ok != tc.want || (ok && got.Reason != tc.reason) {
			t.Errorf("%s in %s (sid %q): suppressed=%v reason=%q, want %v %q", tc.f.Rule, tc.f.File, tc.f.Sid, ok, got.Reason, tc.want, tc.reason)
		}
		if ok && !strings.HasSuffix(got.By, FileName+":"+map[string]string{"files ignored: legacy/**": "2", "admin roles": "3", "on purpose": "10"}[tc.reason]) {
			t.Errorf("by = %q", got.By)
		}
	}
	if len(s.Expired) != 1 {
		t.Fatalf("expired = %+v", s.Expired)
	}
	e := s.Expired[0]
	if e.Rule != "suppression-expired" || e.Start.Line != 7 || e.Start.Column != 5 || !strings.Contains(e.Message, "2026-11-24") {
		t.Errorf("expired finding = %+v", e)
	}
}
