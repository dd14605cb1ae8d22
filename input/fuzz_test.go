package input_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

var manifestSeeds = []string{
	"resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    parameter: {tier: Advanced, type: SecureString, keyId: alias/k}\n    policy: p.json\n    ignore: [version]\n",
	"resources:\n- arn: a\n  policy: '{\"Statement\": [{\"Sid\": \"é\"}]}'\n- 42\n- arn: b\n  policy:\n    Statement:\n      - Effect: Allow\n        Effect: Deny\n",
	"base: &b {tier: Advanced}\nresources:\n  - arn: a\n    parameter: {<<: *b, type: String}\n    policy: \"Allow everyone\"\n",
	"resources: [{arn: a, policy: '123'}]\n---\nresources: []\n",
	"{\"resources\": [{\"arn\": \"a\", \"policy\": {\"Version\": \"2012-10-17\"}}]}",
	"resources:\n  - deployment.yaml\n",
}

// FuzzManifest reads arbitrary manifests whole and item by item, and loads the policy files
// they name (each missing): nothing panics, the two readings agree on the targets, and every
// place reported lies inside its file.
func FuzzManifest(f *testing.F) {
	for _, s := range manifestSeeds {
		f.Add([]byte(s))
	}
	r := reader(f)
	missing := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	f.Fuzz(func(t *testing.T, src []byte) {
		file := jsonpos.NewFile("m.yaml", src)
		whole, err := r.Read(file)
		if err != nil {
			return
		}
		checkSpans(t, file, whole)
		var streamed []*input.Target
		res, err := r.StreamManifest(file, func(tg *input.Target) bool { streamed = append(streamed, tg); return true })
		if err != nil {
			t.Fatalf("read whole, but streaming failed: %v", err)
		}
		if res.Kind == input.Manifest && whole.Kind == input.Manifest && len(streamed) != len(whole.Targets) {
			t.Fatalf("%d targets streamed, %d read whole", len(streamed), len(whole.Targets))
		}
		for _, tg := range streamed {
			if err := input.LoadPolicy(tg, missing); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("load policy: %v", err)
			}
			checkSpans(t, file, input.Result{Targets: []*input.Target{tg}})
		}
	})
}

// FuzzPolicyFile reads arbitrary text as a policy file on the command line and as one a
// manifest names: nothing panics, every place lies inside the file, and a policy is read only
// from JSON.
func FuzzPolicyFile(f *testing.F) {
	for _, s := range []string{
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ssm:GetParameter", "Resource": "*"}]}`,
		"Version: \"2012-10-17\"\nStatement: []\n",
		"{Version: \"2012-10-17\", Statement: []}",
		"\ufeff{\"Statement\": []}",
		"\xff\xfe{\x00}\x00",
		"{\"Statement\": [] \"Version\": 1}",
	} {
		f.Add([]byte(s))
	}
	r := reader(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file := jsonpos.NewFile("p.json", src)
		res, err := r.Read(file)
		if err == nil {
			checkSpans(t, file, res)
		}
		tg := &input.Target{PolicyRef: "p.json"}
		if err := input.LoadPolicy(tg, func(string) ([]byte, error) { return src, nil }); err != nil {
			t.Fatalf("load policy: %v", err)
		}
		checkSpans(t, tg.PolicyFile, input.Result{Targets: []*input.Target{tg}})
		if tg.Policy != nil {
			if _, err := jsonpos.ParseJSON(src); err != nil {
				t.Fatalf("a policy was read from text that is not JSON: %v", err)
			}
		}
	})
}
