package linter

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

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// customRule is the source of a custom rule with id and the given report bodies.
func customRule(id, extra string) string {
	return fmt.Sprintf(`# METADATA
# title: A test rule
# description: Written by a test.
# custom:
#   id: %s
#   level: error
#   kinds: [parameter]
#   source: a test
%s`, id, extra)
}

// customEngine loads the built-in rules and the custom rules in files (name: source) and
// compiles them; it returns the engine or the error of loading or compiling.
func customEngine(t *testing.T, cfg Config, files map[string]string) (*Engine, error) {
	t.Helper()
	dir := write(t, files)
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.AddDir(dir); err != nil {
		return nil, err
	}
	return New(context.Background(), set, cfg)
}

// target reads one policy file into its target, with a full context.
func target(t *testing.T, policy string) *input.Target {
	t.Helper()
	r := newReader(t, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/app", Tier: "Advanced", Type: "String"})
	res, err := r.Read(jsonpos.NewFile("p.json", []byte(policy)))
	if err != nil || len(res.Targets) != 1 {
		t.Fatalf("read policy: %v", err)
	}
	return res.Targets[0]
}

// listener counts the requests a local HTTP server receives.
func listener(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"type": "object"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// TestSandboxRefusesWithheldBuiltins: a custom rule that calls a built-in function reaching the
// network, the file system, the clock, randomness or the environment is refused when the rules
// are compiled, at the call's file, line and column, and nothing is sent: were the rule
// compiled, the check of a target would reach the local listener.
func TestSandboxRefusesWithheldBuiltins(t *testing.T) {
	srv, hits := listener(t)
	secret := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(secret, []byte(`{"type": "object"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"json.match_schema":    fmt.Sprintf(`json.match_schema(input.policy, {"$ref": %q})`, srv.URL+"/schema.json"),
		"json.verify_schema":   fmt.Sprintf(`json.verify_schema({"$ref": %q})`, "file://"+secret),
		"http.send":            fmt.Sprintf(`http.send({"method": "POST", "url": %q, "body": input.policy})`, srv.URL),
		"net.lookup_ip_addr":   `net.lookup_ip_addr("localhost")`,
		"opa.runtime":          `opa.runtime()`,
		"time.now_ns":          `time.now_ns()`,
		"rand.intn":            `rand.intn("x", 10)`,
		"uuid.rfc4122":         `uuid.rfc4122("x")`,
		"io.jwt.decode_verify": `io.jwt.decode_verify("a.b.c", {"secret": "s"})`,
		"crypto.x509.parse_and_verify_certificates": `crypto.x509.parse_and_verify_certificates("x")`,
	}
	// match_schema again, with a file:// reference.
	cases["json.match_schema file"] = fmt.Sprintf(`json.match_schema(input.policy, {"$ref": %q})`, "file://"+secret)
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			fn, _, _ := strings.Cut(name, " ")
			src := customRule("phone-home", "package ssmpolicy.rules[\"phone-home\"]\n\nreport contains {\"path\": [], \"message\": sprintf(\"%v\", [x])} if {\n\tx := "+call+"\n}\n")
			e, err := customEngine(t, Config{}, map[string]string{"rule.rego": src})
			if err == nil {
				_, _ = e.Check(context.Background(), target(t, widePolicy))
				t.Fatalf("a rule calling %s was compiled", fn)
			}
			want := fmt.Sprintf("rule.rego:12:7: custom rules may not call %s: it ", fn)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error = %v\nwant it to contain %q", err, want)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the listener saw %d requests", n)
	}
}

// TestSandboxCapabilities: what rules are given is OPA's deterministic built-ins and the tool's
// own, and no network host.
func TestSandboxCapabilities(t *testing.T) {
	caps := rules.Capabilities(map[string]*ast.Builtin{"ssmpolicy.x": {Name: "ssmpolicy.x"}})
	given := map[string]bool{}
	for _, b := range caps.Builtins {
		given[b.Name] = true
		if b.Nondeterministic {
			t.Errorf("%s is non-deterministic", b.Name)
		}
	}
	for _, name := range []string{"concat", "sprintf", "regex.match", "glob.match", "net.cidr_contains", "json.marshal", "ssmpolicy.x", "trace"} {
		if !given[name] {
			t.Errorf("%s is withheld", name)
		}
	}
	for _, name := range []string{"http.send", "json.match_schema", "json.verify_schema", "opa.runtime", "time.now_ns", "crypto.x509.parse_and_verify_certificates_with_options", "re_match"} {
		if given[name] {
			t.Errorf("%s is given", name)
		}
	}
	if caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("AllowNet = %v, want no host", caps.AllowNet)
	}
}

// TestSandboxStrict: a custom rule is compiled in strict mode, and type-checked (although the
// built-in rules are not, when no custom rule is loaded).
func TestSandboxStrict(t *testing.T) {
	typed := customRule("typed", "package ssmpolicy.rules.typed\n\nreport contains {\"path\": [], \"message\": \"m\"} if count(1) > 0\n")
	if _, err := customEngine(t, Config{}, map[string]string{"rule.rego": typed}); err == nil || !strings.Contains(err.Error(), "rule.rego:11:") {
		t.Errorf("a type error: error = %v, want it at rule.rego:11", err)
	}
	src := customRule("sloppy", "package ssmpolicy.rules.sloppy\n\nimport data.ssmpolicy.text\n\nreport contains {\"path\": [], \"message\": \"m\"} if {\n\tunused := 1\n\tinput.policy\n}\n")
	_, err := customEngine(t, Config{}, map[string]string{"rule.rego": src})
	if err == nil || !strings.Contains(err.Error(), "rule.rego:11:") || !strings.Contains(err.Error(), "unused") {
		t.Fatalf("error = %v, want the unused import at rule.rego:11", err)
	}
}

// TestBuiltinPackagesAreReserved: a custom module may not define rules in a package of the
// built-in rules, inside one, or above one; the refusal names its file, line and column.
func TestBuiltinPackagesAreReserved(t *testing.T) {
	for name, src := range map[string]string{
		"lib":           "package ssmpolicy.lib\n\npinned(_) if true\n",
		"principals":    "package ssmpolicy.principals\n\nentries := []\n",
		"inside":        "package ssmpolicy.lib.extra\n\nx := 1\n",
		"rule":          customRule("wildcard-off", "package ssmpolicy.rules[\"principal-wildcard\"]\n\nreport := set()\n"),
		"above":         "package ssmpolicy\n\nlib.pinned(_) if true\n",
		"rules":         "package ssmpolicy.rules\n\nx := 1\n",
		"test of a lib": "package ssmpolicy.statements\n\ntest_x if true\n",
	} {
		t.Run(name, func(t *testing.T) {
			file := "helper.rego"
			if name == "test of a lib" {
				file = "helper_test.rego"
			}
			dir := write(t, map[string]string{file: src, "ok.rego": customRule("ok", "package ssmpolicy.rules.ok\n\nreport := set()\n")})
			set, err := rules.Builtin()
			if err != nil {
				t.Fatal(err)
			}
			err = set.AddDir(dir)
			if err == nil {
				_, err = set.TestModules([]string{dir})
			}
			if err == nil {
				t.Fatal("the module was loaded")
			}
			if !strings.Contains(err.Error(), file+":") || !strings.Contains(err.Error(), "custom rules may not define package ssmpolicy") {
				t.Errorf("error = %v", err)
			}
		})
	}
}

// TestReservedModuleLeavesBuiltinsAlone: with a module that redefines a built-in helper in a
// directory of its own, the built-in rules still fire when that directory is not loaded, and
// loading it is refused rather than switching principal-wildcard off.
func TestReservedModuleLeavesBuiltinsAlone(t *testing.T) {
	e := newEngine(t, Config{})
	found, err := e.Check(context.Background(), target(t, widePolicy))
	if err != nil {
		t.Fatal(err)
	}
	fired := false
	for _, f := range found {
		fired = fired || f.Rule == "principal-wildcard"
	}
	if !fired {
		t.Fatal("principal-wildcard does not fire on a wildcard principal")
	}
	_, err = customEngine(t, Config{}, map[string]string{"lib.rego": "package ssmpolicy.principals\n\npinned(_) if true\n"})
	if err == nil || !strings.Contains(err.Error(), "lib.rego:1:1: custom rules may not define package ssmpolicy.principals") {
		t.Fatalf("error = %v", err)
	}
}

// TestCustomRuleIDs: an id is lower-case words joined by -; anything else is refused naming
// the rule file.
func TestCustomRuleIDs(t *testing.T) {
	for _, id := range []string{`"bad\u001b[31m::error::x"`, "Upper", "under_score", "-lead", "trail-", "two--dashes", "sp ace", `"new\nline"`} {
		_, err := customEngine(t, Config{}, map[string]string{"rule.rego": customRule(id, "package ssmpolicy.rules.r\n\nreport := set()\n")})
		if err == nil || !strings.Contains(err.Error(), "rule.rego:1:1: custom.id") || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("id %s: error = %q", id, err)
		}
	}
	if _, err := customEngine(t, Config{}, map[string]string{"rule.rego": customRule("team-rule-2", "package ssmpolicy.rules.r\n\nreport := set()\n")}); err != nil {
		t.Errorf("a well-formed id is refused: %v", err)
	}
}

// TestFindingShape: a finding whose path is not a list of keys and indexes, or whose message
// is not a string, is an error naming the rule file.
func TestFindingShape(t *testing.T) {
	for name, f := range map[string]string{
		"path a string":  `{"path": "Statement", "message": "m"}`,
		"no path":        `{"message": "m"}`,
		"path of object": `{"path": [{"a": 1}], "message": "m"}`,
		"message number": `{"path": [], "message": 3}`,
		"no message":     `{"path": []}`,
		"help a list":    `{"path": [], "message": "m", "help": ["h"]}`,
		"level a number": `{"path": [], "message": "m", "level": 2}`,
		"key a string":   `{"path": [], "message": "m", "key": "yes"}`,
		"not an object":  `"just a string"`,
	} {
		t.Run(name, func(t *testing.T) {
			e, err := customEngine(t, Config{}, map[string]string{"rule.rego": customRule("shape", "package ssmpolicy.rules.shape\n\nreport contains "+f+" if input.policy\n")})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Check(context.Background(), target(t, widePolicy))
			if err == nil || !strings.Contains(err.Error(), "rule.rego: rule shape: a finding") {
				t.Fatalf("error = %v", err)
			}
		})
	}
}

// TestBuiltinRulesTypeCheck: the engine skips the type check of the built-in rules; this test
// runs it.
func TestBuiltinRulesTypeCheck(t *testing.T) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := ast.NewCompiler().WithCapabilities(rules.Capabilities(ruleDeclarations()))
	c.Compile(set.Modules)
	if c.Failed() {
		t.Fatal(rules.FormatError(c.Errors))
	}
}

// TestRulePackageNames: a rule package's name may hold any character (the query quotes it);
// a rule package below ssmpolicy.rules.NAME, which the query cannot reach, is refused rather
// than never evaluated.
func TestRulePackageNames(t *testing.T) {
	src := customRule("odd", "package ssmpolicy.rules[\"o\\u0001d\\\"d\\u00e9\\ud83d\\ude00\"]\n\nreport contains {\"path\": [], \"message\": \"m\"} if input.policy\n")
	e, err := customEngine(t, Config{}, map[string]string{"r.rego": src})
	if err != nil {
		t.Fatal(err)
	}
	found, err := e.Check(context.Background(), target(t, widePolicy))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range found {
		if f.Rule == "odd" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the rule odd reported %d findings, want 1", n)
	}
	nested := customRule("nested", "package ssmpolicy.rules.team.nested\n\nreport contains {\"path\": [], \"message\": \"m\"} if input.policy\n")
	if _, err := customEngine(t, Config{}, map[string]string{"r.rego": nested}); err == nil || !strings.Contains(err.Error(), "is not of the form ssmpolicy.rules.NAME") {
		t.Errorf("a nested rule package: error = %v", err)
	}
}

// TestDeprecatedBuiltinsAreRefused: a deprecated built-in function is refused, saying so.
func TestDeprecatedBuiltinsAreRefused(t *testing.T) {
	src := customRule("old", "package ssmpolicy.rules.old\n\nreport contains {\"path\": [], \"message\": \"m\"} if re_match(\"a\", \"a\")\n")
	_, err := customEngine(t, Config{}, map[string]string{"r.rego": src})
	if err == nil || !strings.Contains(err.Error(), "r.rego:11:") || !strings.Contains(err.Error(), "custom rules may not call re_match: it is deprecated") {
		t.Errorf("error = %v", err)
	}
}
