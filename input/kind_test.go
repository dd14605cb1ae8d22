package input

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// TestTargetKind checks that every reader says which kind of input declared its targets, so
// that nothing downstream has to guess it from paths or messages.
func TestTargetKind(t *testing.T) {
	const policy = `{"Version": "2012-10-17", "Statement": []}`
	read := func(t *testing.T, name string, src []byte) []*Target {
		t.Helper()
		r, err := NewReader(Context{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Read(jsonpos.NewFile(name, src))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Targets) == 0 {
			t.Fatalf("%s: no targets", name)
		}
		return res.Targets
	}
	file := func(t *testing.T, path string) []byte {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		src  []byte
		want Kind
	}{
		{"p.json", []byte(policy), Policy},
		{"broken.json", []byte(`{"Statement": [}`), Policy}, // does not parse, but meant to be a policy
		{"m.yaml", []byte("resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    policy: {Statement: []}\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/b\n    policy: b.json\n"), Manifest},
		{"t.yaml", file(t, filepath.Join("testdata", "cloudformation", "nested-child.yaml")), CloudFormation},
		{"plan.json", file(t, filepath.Join("testdata", "terraform", "plan-modules.json")), Terraform},
	}
	for _, tc := range cases {
		for _, tg := range read(t, tc.name, tc.src) {
			if tg.Kind != tc.want {
				t.Errorf("%s: target kind %v, want %v", tc.name, tg.Kind, tc.want)
			}
		}
	}

	// A policy file a manifest names is declared by the manifest, streamed or loaded later.
	r, err := NewReader(Context{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_, err = r.StreamManifest(jsonpos.NewFile("m.yaml", []byte("resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    policy: p.json\n")), func(tg *Target) bool {
		n++
		if err := LoadPolicy(tg, func(string) ([]byte, error) { return []byte(policy), nil }); err != nil {
			t.Fatal(err)
		}
		if tg.Kind != Manifest || tg.Policy == nil {
			t.Errorf("streamed target: kind %v, policy loaded %v", tg.Kind, tg.Policy != nil)
		}
		return true
	})
	if err != nil || n != 1 {
		t.Fatalf("streamed %d targets: %v", n, err)
	}
}
