package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestApplyPromoteExamples: `apply --promote --dry-run` on the bundled good examples, against the
// stand-in holding their parameters, shows each parameter's promotion steps and that the
// OpsItemGroup has no share; it writes nothing. After a real apply --promote, the plan says
// "already promoted".
func TestApplyPromoteExamples(t *testing.T) {
	examples, err := filepath.Abs("../examples/good")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	for _, p := range []awsfake.Parameter{
		{Name: "/app/db/endpoint", Tier: awsfake.TierAdvanced, Value: "db.internal:5432"},
		{Name: "/app/db/password", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretDB},
	} {
		if _, err := w.fake.AddParameter(p); err != nil {
			t.Fatal(err)
		}
	}
	m := filepath.Join(examples, "ssmpolicy.yaml")
	r := w.run("apply", "--promote", "--dry-run", m)
	t.Logf("apply --promote --dry-run %s:\n%s", m, r.stdout)
	for _, want := range []string{
		"create     arn:aws:ssm:us-east-1:111122223333:parameter/app/db/endpoint  (" + m + ":4)",
		"           promote: share not created yet: RAM makes the share after the policy is written; apply waits up to 1m0s for it; then promote the share to STANDARD (its actions are the AWS managed permission AWSRAMDefaultPermissionSSMParameterReadOnly)",
		"           promote: share not created yet: RAM makes the share after the policy is written; apply waits up to 1m0s for it; then promote the share to STANDARD (its actions are the AWS managed permission AWSRAMPermissionSSMParameterReadOnlyWithHistory)",
		"create     arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default  (" + m + ":17)",
		"           promote: nothing to promote: an OpsItemGroup has no RAM share",
		"Plan: 3 to create, 0 to update, 0 unchanged, 2 shares to promote.",
		"Dry run: nothing was sent.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q", want)
		}
	}
	if r.code != 0 || w.fake.Count(awsfake.OpPutResourcePolicy)+w.fake.Count(awsfake.OpPromoteResourceShareCreatedFromPolicy) != 0 {
		t.Fatalf("dry run:\n%s", r)
	}

	if r = w.run("apply", "--promote", "--yes", m); r.code != 0 || !strings.Contains(r.stdout, "Promoted 2 shares, 0 already promoted.") {
		t.Fatalf("apply --promote:\n%s", r)
	}
	r = w.run("apply", "--promote", "--dry-run", m)
	if r.code != 0 || strings.Count(r.stdout, "promote: already promoted (the share is STANDARD)") != 2 ||
		!strings.Contains(r.stdout, "Plan: 0 to create, 0 to update, 3 unchanged, 0 shares to promote.") {
		t.Fatalf("dry run after the promotion:\n%s", r)
	}
}
