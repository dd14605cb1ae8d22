package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func TestInitWritesValidConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env, _, _ := testEnv(dir, "")
	code, stdout, stderr := run(t, env, "init")
	if code != 0 || stdout != "wrote .ssmpolicy.yaml\n" || stderr != "" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	src, err := os.ReadFile(filepath.Join(dir, ".ssmpolicy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Valid against schema/config.schema.json, and its rule ids known.
	cfg, err := config.Parse(".ssmpolicy.yaml", src)
	if err != nil {
		t.Fatalf("the written configuration is invalid: %v\n%s", err, src)
	}
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckRules(func(id string) bool { _, ok := set.Get(id); return ok }, set.IDs()); err != nil {
		t.Fatal(err)
	}
	// Its commented examples are valid too once uncommented.
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "#   ") {
			lines = append(lines, strings.TrimPrefix(l, "#"))
			continue
		}
		if strings.HasSuffix(l, ": {}") || strings.HasSuffix(l, ": []") {
			l = l[:len(l)-3]
		}
		lines = append(lines, l)
	}
	uncommented := strings.Join(lines, "\n")
	cfg, err = config.Parse(".ssmpolicy.yaml", []byte(uncommented))
	if err != nil {
		t.Fatalf("uncommented examples invalid: %v\n%s", err, uncommented)
	}
	if _, ok := cfg.Levels["principal-self"]; len(cfg.AccountsAllowed) != 2 || !ok || len(cfg.Ignore) != 2 {
		t.Errorf("uncommented examples not read: %+v\n%s", cfg, uncommented)
	}
	// The check runs with it.
	if code, out, errOut := run(t, env, "rules"); code != 0 || errOut != "" || !strings.Contains(out, "principal-wildcard") {
		t.Errorf("rules with the written configuration: exit %d\n%s%s", code, out, errOut)
	}

	// A second init overwrites nothing.
	if err := os.WriteFile(filepath.Join(dir, ".ssmpolicy.yaml"), []byte("fail_on: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, env, "init")
	after, _ := os.ReadFile(filepath.Join(dir, ".ssmpolicy.yaml"))
	if code != 2 || !strings.Contains(stderr, ".ssmpolicy.yaml exists: not overwritten") || string(after) != "fail_on: error\n" {
		t.Errorf("second init: exit %d, %q, file %q", code, stderr, after)
	}
}

func TestInitManifest(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("policies", 0o755); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}]}`
	if err := os.WriteFile("policies/db.json", []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	env, _, _ := testEnv(dir, "")

	// The manifest exists already: nothing is written, not even the configuration.
	if err := os.WriteFile(ManifestName, []byte("resources: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, env, "init", "--manifest", "policies")
	if _, err := os.Stat(".ssmpolicy.yaml"); code != 2 || !strings.Contains(stderr, "ssmpolicy.yaml exists") || err == nil {
		t.Fatalf("exit %d, %q; configuration written: %v", code, stderr, err == nil)
	}
	if err := os.Remove(ManifestName); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, env, "init", "--manifest", "policies")
	if code != 0 || stdout != "wrote .ssmpolicy.yaml\nwrote ssmpolicy.yaml\n" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	manifest, _ := os.ReadFile(ManifestName)
	for _, want := range []string{
		"  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/app/db\n",
		"    #   tier: Advanced",
		"    policy: policies/db.json\n",
	} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("manifest lacks %q:\n%s", want, manifest)
		}
	}
	// check reads the policy through the manifest, with its ARN: what is left is the facts.
	code, stdout, _ = run(t, env, "check", "--no-color", ".")
	// Three files (the manifest, the policy it names, not checked a second time on its own, and
	// the configuration, skipped), one target.
	if !strings.Contains(stdout, "ssmpolicy.yaml:") || !strings.Contains(stdout, "context-missing: no input gave the tier and type") ||
		!strings.Contains(stdout, " in 3 files, 1 target") {
		t.Errorf("check of the written manifest: exit %d\n%s", code, stdout+"\n"+string(manifest))
	}

	// Nothing to list: an error, and nothing written.
	empty := t.TempDir()
	t.Chdir(empty)
	env, _, _ = testEnv(empty, "")
	code, _, stderr = run(t, env, "init", "--manifest")
	if entries, _ := os.ReadDir(empty); code != 2 || !strings.Contains(stderr, "no policy file") || len(entries) != 0 {
		t.Errorf("empty tree: exit %d, %q, %d files written", code, stderr, len(entries))
	}
	code, _, stderr = run(t, env, "init", "policies")
	if code != 2 || !strings.Contains(stderr, "for --manifest") {
		t.Errorf("PATH without --manifest: exit %d, %q", code, stderr)
	}
}
