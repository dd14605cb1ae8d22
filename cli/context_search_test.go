package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestContextSearchNeedsAProject: a policy file checked alone gets its manifest's facts when
// the two are in a project (a repository, or under a .ssmpolicy.yaml), and is checked on its
// own when the working directory is a project only for want of one, since walking it could
// mean walking a home directory or /.
func TestContextSearchNeedsAProject(t *testing.T) {
	files := map[string]string{
		"manifest.yaml": "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app\n" +
			"    parameter: {tier: Advanced, type: String}\n    policy: policies/db.json\n",
		"policies/db.json": strings.Replace(cleanPolicy, "parameter/app", "parameter/other", 1),
	}
	for _, c := range []struct {
		name    string
		marker  string // what marks the project, "" for nothing
		context bool
	}{
		{"no project", "", false},
		{"repository", ".git/", true},
		{"configuration", ".ssmpolicy.yaml", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tree(t, dir, files)
			if c.marker != "" {
				tree(t, dir, map[string]string{c.marker: ""})
			}
			r := runCLI(t, dir, "", 20*time.Second, "check", "--no-color", filepath.Join("policies", "db.json"))
			got := strings.Contains(r.stdout, " resource-mismatch: ")
			if got != c.context {
				t.Errorf("resource-mismatch reported: %v, want %v (exit %d)\n%s%s", got, c.context, r.code, r.stdout, r.stderr)
			}
			if c.context && !strings.Contains(r.stdout, "facts from manifest.yaml:2:5") {
				t.Errorf("the finding does not name the manifest entry:\n%s", r.stdout)
			}
		})
	}
}
