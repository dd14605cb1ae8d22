package rules

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRegoTestsAreSandboxed: ssmpolicy test runs users' tests with the capabilities of check:
// a test that calls http.send is refused at its file, line and column before any test runs,
// and nothing reaches the listener.
func TestRegoTestsAreSandboxed(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "rules")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"rule.rego":      "# METADATA\n# title: T\n# custom:\n#   id: quiet\n#   level: warning\npackage ssmpolicy.rules.quiet\n\nreport := set()\n",
		"rule_test.rego": fmt.Sprintf("package ssmpolicy.rules.quiet_test\n\ntest_phone_home if {\n\thttp.send({\"method\": \"GET\", \"url\": %q}).status_code == 200\n}\n", srv.URL),
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	mods, err := set.TestModules([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	results, err := RunTests(context.Background(), mods, 10*time.Second)
	want := filepath.Join(dir, "rule_test.rego") + ":4:2: custom rules may not call http.send: it reaches the network"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("RunTests = %v, %v; want the error %q", results, err, want)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the listener saw %d requests", n)
	}
}
