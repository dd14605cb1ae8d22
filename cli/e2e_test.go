package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestEndToEnd builds the binary and runs it as a user would, against the fake on 127.0.0.1,
// pointed there by the SDK's own AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_KMS rather than a flag.
// The child gets a clean environment: only what is set here, so no profile, credentials or
// endpoint of the developer's can take part, and nothing can reach AWS.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	// go test puts the go command of its own toolchain first on the PATH of the tests it runs.
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ssmpolicy")
	build := exec.Command(goTool, "build", "-o", bin, "../cmd/ssmpolicy")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	fake, err := awsfake.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	if _, err := fake.AddKey(awsfake.Key{Aliases: []string{"alias/app-secrets"}}); err != nil {
		t.Fatal(err)
	}
	db, err := fake.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretDB})
	if err != nil {
		t.Fatal(err)
	}
	web, err := fake.AddParameter(awsfake.Parameter{Name: "/app/web", Tier: awsfake.TierStandard, Value: "value-of-web"})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	home := t.TempDir()
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(home, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_ACCESS_KEY_ID=" + awsfake.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + awsfake.SecretAccessKey,
		"AWS_REGION=" + awsfake.DefaultRegion, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ENDPOINT_URL_SSM=" + fake.URL(), "AWS_ENDPOINT_URL_KMS=" + fake.URL(),
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var all bytes.Buffer
	run := func(args ...string) result {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = dir, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb // standard input: /dev/null, not a terminal
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		r := result{code: code, stdout: out.String(), stderr: errb.String()}
		fmt.Fprintf(&all, "$ ssmpolicy %s\n%s\n", strings.Join(args, " "), r)
		return r
	}

	write("db.json", sharePolicy(db.ARN))
	write("web.json", sharePolicy(web.ARN))
	write("ssmpolicy.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    policy: db.json\n", db.ARN))
	write("web.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    parameter: {tier: Advanced, type: String}\n    policy: web.json\n", web.ARN))

	// check --live: AWS says Standard where the manifest says Advanced.
	r := run("check", "--live", "web.yaml")
	if r.code != 1 || !strings.Contains(r.stdout, "web.yaml:3:23: warning context-mismatch: the manifest says tier Advanced, AWS says Standard") ||
		!strings.Contains(r.stdout, "web.yaml:3:23: error parameter-tier") {
		t.Fatalf("check --live:\n%s", r)
	}

	// A dry run plans, and writes nothing.
	r = run("apply", "--live", "--dry-run", "ssmpolicy.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "create     "+db.ARN+"  (ssmpolicy.yaml:2)  + account "+partner) ||
		!strings.Contains(r.stdout, "Dry run: nothing was sent.") || fake.Count(awsfake.OpPutResourcePolicy) != 0 {
		t.Fatalf("dry run:\n%s", r)
	}

	// No terminal and no --yes: refused before any call.
	before := fake.Count(awsfake.AnyOperation)
	r = run("apply", "ssmpolicy.yaml")
	if r.code != 2 || !strings.Contains(r.stderr, "pass --yes") || fake.Count(awsfake.AnyOperation) != before {
		t.Fatalf("without --yes:\n%s", r)
	}

	// Apply, then apply again: one write in all.
	r = run("apply", "--live", "--yes", "ssmpolicy.yaml")
	stored := fake.Policies(db.ARN)
	if r.code != 0 || len(stored) != 1 || !strings.Contains(r.stdout, fmt.Sprintf("created    %s  (ssmpolicy.yaml:2)  PolicyId %s  PolicyHash %s", db.ARN, stored[0].ID, stored[0].Hash)) {
		t.Fatalf("apply:\n%s", r)
	}
	r = run("apply", "--yes", "-o", "json", "ssmpolicy.yaml")
	var out applyReport
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || len(out.Results) != 1 ||
		out.Results[0].Action != "no-change" || out.Results[0].PolicyHash != stored[0].Hash {
		t.Fatalf("apply again (%v):\n%s", err, r)
	}
	if n := fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d PutResourcePolicy calls, want 1", n)
	}

	// A target that fails the checks: exit 1, nothing sent for it.
	r = run("apply", "--live", "--yes", "web.yaml")
	if r.code != 1 || len(fake.Policies(web.ARN)) != 0 || !strings.Contains(r.stderr, "1 target failed the checks") {
		t.Fatalf("failing target:\n%s", r)
	}

	assertNoSecrets(t, all.String())
}
