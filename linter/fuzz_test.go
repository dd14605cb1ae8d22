package linter

import (
	"context"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// FuzzCheck runs the whole check — reading by content, the schema, the rules, placing findings —
// on arbitrary bytes, as a JSON file and as a YAML file. It must never panic, never fail to
// evaluate, and never place a finding outside the file.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(widePolicy))
	f.Add([]byte("resources:\n  - arn: arn:aws:ssm:us-east-1:111122223333:parameter/a\n    parameter: {tier: Standard}\n    policy: '{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\"}}'\n"))
	f.Add([]byte(`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": 111122223333}, "Action": [], "Condition": {"Bool": {"aws:SecureTransport": ["x"]}}}]}`))
	f.Add([]byte(`{"Statement": "x", "Version": 1}`))
	e := newEngine(f, Config{AccountsAllowed: []string{"444455556666"}})
	r := newReader(f, input.Context{ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/a", Tier: "Advanced", Type: "SecureString", KeyID: "alias/aws/ssm"})
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"f.json", "f.yaml"} {
			file := jsonpos.NewFile(name, src)
			res, err := r.Read(file)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			for _, tg := range res.Targets {
				found, err := e.Check(context.Background(), tg)
				if err != nil {
					t.Fatalf("check: %v", err)
				}
				for _, fd := range found {
					if fd.Start.Offset < 0 || fd.End.Offset > len(src) || fd.Start.Offset > fd.End.Offset {
						t.Fatalf("%s at %+v-%+v outside the %d-byte file", fd.Rule, fd.Start, fd.End, len(src))
					}
				}
			}
		}
	})
}
