package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTestCommandCountsOnlyUserTests(t *testing.T) {
	dir := t.TempDir()
	rule, err := os.ReadFile("../testdata/cases/custom-rule/rules/require_sid/rule.rego")
	if err != nil {
		t.Fatal(err)
	}
	rd := filepath.Join(dir, "rules", "require_sid")
	if err := os.MkdirAll(rd, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := `package ssmpolicy.rules.require_sid_test

import data.ssmpolicy.rules.require_sid as rule

test_fires if {
	count(rule.report) == 1 with input as {"policy": {"Statement": [{"Effect": "Allow"}]}}
}

test_wrong if {
	count(rule.report) == 5 with input as {"policy": {"Statement": [{"Effect": "Allow"}]}}
}

todo_test_later if {
	false
}
`
	for name, content := range map[string]string{"rule.rego": string(rule), "rule_test.rego": tests} {
		if err := os.WriteFile(filepath.Join(rd, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	env, _, _ := testEnv(dir, "")

	code, stdout, _ := run(t, env, "test", "rules")
	// The built-in helpers' tests are not run nor counted; a todo_test_ is skipped, as in opa.
	want := "rules/require_sid/rule_test.rego:9: data.ssmpolicy.rules.require_sid_test.test_wrong: FAIL\n1 passed, 1 failed, 1 skipped\n"
	if code != 1 || stdout != want {
		t.Errorf("exit %d:\n%s\nwant exit 1:\n%s", code, stdout, want)
	}

	code, stdout, _ = run(t, env, "test", "-v", "rules")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 1 || len(lines) != 4 || !strings.HasSuffix(lines[0], "test_fires: PASS") ||
		!strings.HasSuffix(lines[1], "test_wrong: FAIL") || !strings.HasSuffix(lines[2], "todo_test_later: SKIP") {
		t.Errorf("-v: exit %d:\n%s", code, stdout)
	}

	code, stdout, _ = run(t, env, "test", "--run", "fires$", "rules")
	if code != 0 || stdout != "1 passed, 0 failed\n" {
		t.Errorf("--run: exit %d:\n%s", code, stdout)
	}

	code, _, stderr := run(t, env, "test", "--run", "(", "rules")
	if code != 2 || !strings.Contains(stderr, `--run "(": error parsing regexp`) {
		t.Errorf("bad --run: exit %d, %q", code, stderr)
	}
}
