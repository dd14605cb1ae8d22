package input_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// problemAt returns the first problem of rule among a target's, as "line:column message".
func problemAt(tg *input.Target, rule string) string {
	for _, p := range tg.Problems {
		if p.Rule == rule {
			pos := p.Loc.File.Pos(p.Loc.Span.Start)
			return fmt.Sprintf("%d:%d %s", pos.Line, pos.Column, p.Message)
		}
	}
	return ""
}

// TestPolicyFileMustBeJSON: a policy file written as YAML, or any text that is not JSON, is
// invalid-json at its first byte that is not JSON, with no policy to check. Policies inline in
// a manifest or a template stay mappings.
func TestPolicyFileMustBeJSON(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"p.yaml", "Version: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n", "1:1"},
		{"p.yaml", "# shared\n{Version: \"2012-10-17\", Statement: []}\n", "1:1"},
		{"p.yaml", "{Version: \"2012-10-17\", Statement: []}\n", "1:2"},
		{"p.policy", "{\"Version\": \"2012-10-17\", Statement: []}\n", "1:27"},
		{"p.yaml", "\"Version\": \"2012-10-17\"\n\"Statement\": []\n", "1:10"},
		// Not YAML either: still the JSON error, since the file is meant as a policy.
		{"p.yaml", "Statement:\n  - Effect: Allow\n  bad: [\n", "1:1"},
	}
	for _, tc := range tests {
		res := readString(t, tc.name, tc.src)
		if len(res.Targets) != 1 {
			t.Fatalf("%q: %d targets", tc.src, len(res.Targets))
		}
		tg := res.Targets[0]
		got := problemAt(tg, "invalid-json")
		if !strings.HasPrefix(got, tc.want+" not valid JSON") || tg.Policy != nil {
			t.Errorf("%q: invalid-json %q (policy read: %v), want it at %s", tc.src, got, tg.Policy != nil, tc.want)
		}
	}
	// The command line's facts still apply to the target.
	r, err := input.NewReader(input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/p"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Read(jsonpos.NewFile("p.yaml", []byte("Statement: []\n")))
	if err != nil || len(res.Targets) != 1 || !res.Targets[0].ARN.Known {
		t.Errorf("--resource-arn on a YAML policy: %+v, %v", res.Targets, err)
	}
	// Inline in a manifest: a mapping, read as today.
	m := readString(t, "m.yaml", "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/p\n    policy:\n      Version: \"2012-10-17\"\n      Statement: []\n")
	if len(m.Targets) != 1 || m.Targets[0].Policy == nil {
		t.Errorf("inline manifest policy not read: %+v", m.Targets)
	}
}

// TestManifestPolicyFileMustBeJSON: a policy file named by a manifest is read as JSON only.
func TestManifestPolicyFileMustBeJSON(t *testing.T) {
	res := readString(t, "m.yaml", "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/p\n    policy: p.yaml\n")
	tg := res.Targets[0]
	err := input.LoadPolicy(tg, func(string) ([]byte, error) {
		return []byte("Version: \"2012-10-17\"\nStatement: []\n"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := problemAt(tg, "invalid-json")
	if !strings.HasPrefix(got, "1:1 not valid JSON") || !strings.Contains(got, "must be JSON") || tg.Policy != nil {
		t.Errorf("invalid-json %q, want it at 1:1 saying a policy file must be JSON", got)
	}
	if tg.PolicyFile == nil || tg.PolicyFile.Name != tg.PolicyRef {
		t.Errorf("problem not in the policy file")
	}
}

// TestManifestPolicyStrings: a policy string that parses as JSON is the policy; any other is a
// path, unless it cannot be one and names no file: then invalid-json at the string.
func TestManifestPolicyStrings(t *testing.T) {
	notFound := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	tests := []struct {
		value   string
		text    bool   // read as the policy's text
		ref     bool   // read as a path
		loadErr bool   // LoadPolicy fails (exit 2 naming the manifest)
		invalid string // invalid-json at this line:column
	}{
		{value: `'{"Version": "2012-10-17", "Statement": []}'`, text: true},
		{value: `'123'`, text: true},
		{value: `'["a"]'`, text: true},
		{value: `'  "quoted"'`, text: true},
		{value: `'{"Version": '`, invalid: "4:26"}, // where the text ends
		{value: `policies/p.json`, ref: true, loadErr: true},
		{value: `p`, ref: true, loadErr: true},
		{value: `"my policy.json"`, ref: true, loadErr: true},
		{value: `"dir/with space"`, ref: true, loadErr: true},
		{value: `"Allow everyone to read"`, ref: true, invalid: "4:14"},
		{value: "|\n      Allow\n      everyone", ref: true, invalid: "5:7"},
	}
	for _, tc := range tests {
		src := "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/p\n    parameter: {tier: Advanced, type: String}\n    policy: " + tc.value + "\n"
		res := readString(t, "m.yaml", src)
		if len(res.Targets) != 1 {
			t.Fatalf("%s: %d targets", tc.value, len(res.Targets))
		}
		tg := res.Targets[0]
		if (tg.Policy != nil) != tc.text || (tg.PolicyRef != "") != tc.ref {
			t.Errorf("%s: policy read %v, ref %q; want text %v, ref %v", tc.value, tg.Policy != nil, tg.PolicyRef, tc.text, tc.ref)
			continue
		}
		err := input.LoadPolicy(tg, notFound)
		if (err != nil) != tc.loadErr {
			t.Errorf("%s: LoadPolicy error %v, want an error %v", tc.value, err, tc.loadErr)
		}
		got := problemAt(tg, "invalid-json")
		if tc.invalid == "" && got != "" || tc.invalid != "" && !strings.HasPrefix(got, tc.invalid+" ") {
			t.Errorf("%s: invalid-json %q, want %q", tc.value, got, tc.invalid)
		}
	}
}

// TestOtherToolsResources: a YAML file with a top-level resources list is a manifest only when
// an item has a key of a manifest entry; otherwise it is skipped, read whole or streamed.
func TestOtherToolsResources(t *testing.T) {
	r := reader(t)
	tests := []struct {
		src      string
		manifest bool
	}{
		{"resources:\n  - deployment.yaml\n  - service.yaml\n", false},
		{"apiVersion: v1\nresources:\n  - name: web\n    kind: Deployment\n", false},
		{"resources:\n  - name: web\n    type: compute.v1.instance\n", false},
		{"resources: []\n", false},
		{"resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/p\n    polcy: p.json\n", true},
		{"resources: [{name: x}, {policy: p.json}]\n", true},
	}
	for _, tc := range tests {
		f := jsonpos.NewFile("x.yaml", []byte(tc.src))
		res, err := r.Read(f)
		if err != nil {
			t.Fatal(err)
		}
		streamed, err := r.StreamManifest(f, func(*input.Target) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Kind == input.Manifest; got != tc.manifest || res.Skipped == tc.manifest {
			t.Errorf("%q: read as %v (skipped %v), want manifest %v", tc.src, res.Kind, res.Skipped, tc.manifest)
		}
		if got := streamed.Kind == input.Manifest; got != tc.manifest {
			t.Errorf("%q: streamed as %v, want manifest %v", tc.src, streamed.Kind, tc.manifest)
		}
	}
	// The misspelt key still gets its schema error, with a suggestion.
	res := readString(t, "m.yaml", tests[4].src)
	found := false
	for _, p := range res.Problems {
		found = found || p.Rule == "schema" && strings.Contains(p.Message, "did you mean")
	}
	if !found {
		t.Errorf("no schema problem with a suggestion: %+v", res.Problems)
	}
}

// TestManifestSecondDocument: a second YAML document is reported at its line, never ignored.
func TestManifestSecondDocument(t *testing.T) {
	src := "resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    policy: {Version: \"2012-10-17\", Statement: []}\n---\nresources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/b\n    parameter: {tier: Standard, type: String}\n    policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: \"*\", Action: ssm:GetParameter, Resource: \"*\"}]}\n"
	f := jsonpos.NewFile("m.yaml", []byte(src))
	res, err := reader(t).Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Targets) != 1 {
		t.Fatalf("%d targets", len(res.Targets))
	}
	if got := problemAt(res.Targets[0], "invalid-json"); !strings.HasPrefix(got, "4:1 ") || !strings.Contains(got, "second YAML document") {
		t.Errorf("invalid-json %q, want it at the --- of line 4", got)
	}
	found := check(t, res.Targets[0])
	if len(ofRule(found, "invalid-json")) != 1 {
		t.Errorf("findings %v, want the invalid-json", found)
	}
}

// TestReadBudget: a file that takes longer than the reader's budget is an error naming it.
func TestReadBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version": "2012-10-17", "Statement": [`)
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, `{"Sid": "s%d"},`, i)
	}
	b.WriteString(`{}]}`)
	for _, name := range []string{"big.json", "big.yaml", "big.template"} {
		r := reader(t)
		r.ReadBudget = time.Nanosecond
		_, err := r.Read(jsonpos.NewFile(name, []byte(b.String())))
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "gave up after 1ns") {
			t.Errorf("%s: got %v, want an error naming the file and the budget", name, err)
		}
		r.ReadBudget = 0
		if _, err := r.Read(jsonpos.NewFile(name, []byte(b.String()))); err != nil {
			t.Errorf("%s with the default budget: %v", name, err)
		}
	}
	r := reader(t)
	r.ReadBudget = time.Nanosecond
	m := jsonpos.NewFile("m.yaml", []byte("resources:\n  - arn: a\n    policy: p.json\n"))
	if _, err := r.StreamManifest(m, func(*input.Target) bool { return true }); err == nil || !strings.Contains(err.Error(), "m.yaml") {
		t.Errorf("streamed manifest: got %v, want an error naming it", err)
	}
}

// TestUTF16File: a UTF-16 policy is reported at its start, never checked with positions that
// do not match the file.
func TestUTF16File(t *testing.T) {
	le := []byte{0xFF, 0xFE}
	for _, c := range `{"Version": "2012-10-17", "Statement": []}` {
		le = append(le, byte(c), 0)
	}
	for _, name := range []string{"p.json", "p.yaml"} {
		res := readString(t, name, string(le))
		if len(res.Targets) != 1 {
			t.Fatalf("%s: %d targets (skipped %v)", name, len(res.Targets), res.Skipped)
		}
		if got := problemAt(res.Targets[0], "invalid-json"); !strings.HasPrefix(got, "1:1 the text is UTF-16") {
			t.Errorf("%s: invalid-json %q, want it at 1:1 naming UTF-16", name, got)
		}
	}
	tg := &input.Target{PolicyRef: "p.json"}
	if err := input.LoadPolicy(tg, func(string) ([]byte, error) { return le, nil }); err != nil {
		t.Fatal(err)
	}
	if got := problemAt(tg, "invalid-json"); !strings.HasPrefix(got, "1:1 the text is UTF-16") || tg.Policy != nil {
		t.Errorf("named by a manifest: invalid-json %q, want it at 1:1 naming UTF-16", got)
	}
}
