package schema

import (
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func policySchema(t testing.TB) *Schema {
	t.Helper()
	s, err := Load("policy")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustParse(t testing.TB, src string) *jsonpos.Node {
	t.Helper()
	p, err := jsonpos.ParseJSON([]byte(src))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return p.Root
}

const goodStatement = `"Effect": "Allow", "Principal": {"AWS": ["444455556666"]}, "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/x"`

// TestMessages checks that each kind of violation is told in words, on the right element.
func TestMessages(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		pointer string
		onKey   bool
		want    string
	}{
		{"unknown element", `{"Statement": [{` + goodStatement + `, "Actions": "x"}]}`, "/Statement/0/Actions", true, `unknown element "Actions" in a statement (did you mean "Action"?)`},
		{"unknown top element", `{"Statment": []}`, "/Statment", true, `unknown element "Statment" at the top of the policy (did you mean "Statement"?)`},
		{"missing Statement", `{"Version": "2012-10-17"}`, "", false, "the policy has no Statement"},
		{"missing Effect", `{"Statement": {"Principal": "*", "Action": "a", "Resource": "r"}}`, "/Statement", false, `Statement has no Effect: say "Allow" or "Deny"`},
		{"missing Principal", `{"Statement": [{"Effect": "Allow", "Action": "a", "Resource": "r"}]}`, "/Statement/0", false, "has no Principal: a resource policy must name who it applies to"},
		{"both Principal and NotPrincipal", `{"Statement": [{` + goodStatement + `, "NotPrincipal": "*"}]}`, "/Statement/0/NotPrincipal", true, "has both Principal and NotPrincipal: keep one"},
		{"bad Effect", `{"Statement": [{"Effect": "allow", "Principal": "*", "Action": "a", "Resource": "r"}]}`, "/Statement/0/Effect", false, `must be "Allow" or "Deny", not the string "allow"`},
		{"empty Statement", `{"Statement": []}`, "/Statement", false, "Statement is an empty list"},
		{"Statement of the wrong type", `{"Statement": "x"}`, "/Statement", false, "Statement must be a statement object or a list of statements"},
		{"principal of the wrong shape", `{"Statement": [{"Effect": "Allow", "Principal": "444455556666", "Action": "a", "Resource": "r"}]}`, "/Statement/0/Principal", false, `Principal must be "*" or an object`},
		{"account as a number", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": [444455556666]}, "Action": "a", "Resource": "r"}]}`, "/Statement/0/Principal/AWS/0", false, "must be a string, not the number 444455556666 (write it in quotes"},
		{"empty action list", `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": [], "Resource": "r"}]}`, "/Statement/0/Action", false, "is an empty list"},
		{"condition value", `{"Statement": [{` + goodStatement + `, "Condition": {"Bool": {"aws:SecureTransport": {"x": 1}}}}]}`, "/Statement/0/Condition/Bool/aws:SecureTransport", false, "a condition value must be a string, number, boolean or a non-empty list of them"},
		{"unknown principal type", `{"Statement": [{"Effect": "Allow", "Principal": {"aws": "1"}, "Action": "a", "Resource": "r"}]}`, "/Statement/0/Principal/aws", true, `unknown element "aws" in a principal (did you mean "AWS"?)`},
	}
	s := policySchema(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs := s.Validate(mustParse(t, tc.src))
			for _, v := range vs {
				if jsonpos.Pointer(v.Path) == tc.pointer && v.OnKey == tc.onKey && strings.Contains(v.Message, tc.want) {
					return
				}
			}
			t.Errorf("no violation at %s (onKey %v) saying %q; got %+v", tc.pointer, tc.onKey, tc.want, vs)
		})
	}
}

func TestValidPolicies(t *testing.T) {
	s := policySchema(t)
	for _, src := range []string{
		`{"Version": "2012-10-17", "Statement": [{` + goodStatement + `}]}`,
		`{"Statement": {"Sid": "A", "Effect": "Deny", "NotPrincipal": "*", "NotAction": ["a"], "NotResource": "r", "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1"], "n": 1, "b": true}}}}`,
	} {
		root := mustParse(t, src)
		if vs := s.Validate(root); len(vs) != 0 {
			t.Errorf("%s: %+v", src, vs)
		}
		if !QuickValidPolicy(root) {
			t.Errorf("%s: the quick check does not accept a valid policy", src)
		}
	}
}

// FuzzQuickValid checks that the quick check never accepts what the schema rejects.
func FuzzQuickValid(f *testing.F) {
	f.Add(`{"Version": "2012-10-17", "Statement": [{` + goodStatement + `}]}`)
	f.Add(`{"Statement": {"Effect": "Deny", "NotPrincipal": {"Service": "x"}, "NotAction": "a", "NotResource": ["r"], "Condition": {"Bool": {"k": [true, 1, "s"]}}}}`)
	f.Add(`{"Statement": [{"Effect": "Allow", "Effect": "Allow", "Principal": "*", "Action": "a", "Resource": "r"}]}`)
	s := policySchema(f)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := jsonpos.ParseJSON([]byte(src))
		if err != nil {
			return
		}
		if QuickValidPolicy(p.Root) {
			if vs := s.Validate(p.Root); len(vs) > 0 {
				t.Fatalf("quick check accepts %s, the schema says %+v", src, vs)
			}
		}
	})
}

// BenchmarkQuickValid is the grammar check of a valid policy on the quick path.
func BenchmarkQuickValid(b *testing.B) {
	root := mustParse(b, `{"Version": "2012-10-17", "Statement": [{`+goodStatement+`, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}`)
	for b.Loop() {
		if !QuickValidPolicy(root) {
			b.Fatal("not valid")
		}
	}
}

// BenchmarkValidate is the same check through gojsonschema.
func BenchmarkValidate(b *testing.B) {
	s := policySchema(b)
	root := mustParse(b, `{"Version": "2012-10-17", "Statement": [{`+goodStatement+`, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}`)
	for b.Loop() {
		if vs := s.Validate(root); len(vs) != 0 {
			b.Fatal(vs)
		}
	}
}
