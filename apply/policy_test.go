package apply

import (
	"slices"
	"testing"
)

func mustDoc(t *testing.T, s string) document {
	t.Helper()
	d, err := parseDocument([]byte(s))
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return d
}

func TestDocumentEqual(t *testing.T) {
	const base = `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333"]},"Action":["ssm:GetParameter"],"Resource":["*"]}]}`
	tests := []struct {
		name  string
		other string
		equal bool
	}{
		{"reformatted", "{\n  \"Statement\": [ {\"Resource\":[\"*\"],\"Action\":[\"ssm:GetParameter\"],\"Principal\":{\"AWS\":[\"111122223333\"]},\"Effect\":\"Allow\",\"Sid\":\"A\"} ],\n  \"Version\": \"2012-10-17\"\n}", true},
		{"statement object", `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333"]},"Action":["ssm:GetParameter"],"Resource":["*"]}}`, true},
		{"strings for lists", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ssm:GetParameter","Resource":"*"}]}`, true},
		{"root ARN", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ssm:GetParameter","Resource":"*"}]}`, true},
		{"root ARN other partition", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws-cn:iam::111122223333:root"]},"Action":"ssm:GetParameter","Resource":"*"}]}`, true},
		{"duplicates in a list", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:root"]},"Action":["ssm:GetParameter","ssm:GetParameter"],"Resource":"*"}]}`, true},
		{"other account", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"role not account", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"malformed root ARN", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::11112222333:root"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"extra action", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"*"}]}`, false},
		{"action case", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ssm:getparameter","Resource":"*"}]}`, false},
		{"no version", `{"Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"deny", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"other sid", `{"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ssm:GetParameter","Resource":"*"}]}`, false},
		{"wildcard principal", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"ssm:GetParameter","Resource":"*"}]}`, false},
	}
	a := mustDoc(t, base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustDoc(t, tt.other)
			if got := a.equal(b); got != tt.equal {
				t.Fatalf("equal = %v, want %v", got, tt.equal)
			}
			if got := b.equal(a); got != tt.equal {
				t.Fatalf("equal is not symmetric")
			}
		})
	}
}

func TestDocumentEqualConditionsAndOrder(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		{"bool as string", `{"Statement":[{"Condition":{"Bool":{"aws:SecureTransport":true}}}]}`, `{"Statement":[{"Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, true},
		{"number as string", `{"Statement":[{"Condition":{"NumericLessThan":{"k":10}}}]}`, `{"Statement":[{"Condition":{"NumericLessThan":{"k":["10"]}}}]}`, true},
		{"value set order", `{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-b","o-a"]}}}]}`, `{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-a","o-b"]}}}]}`, true},
		{"other value", `{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a"}}}]}`, `{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-b"}}}]}`, false},
		{"other operator", `{"Statement":[{"Condition":{"StringEquals":{"k":"v"}}}]}`, `{"Statement":[{"Condition":{"StringLike":{"k":"v"}}}]}`, false},
		// Statement order is kept on purpose: reordering is shown as an update.
		{"statement order", `{"Statement":[{"Sid":"A"},{"Sid":"B"}]}`, `{"Statement":[{"Sid":"B"},{"Sid":"A"}]}`, false},
		{"number precision kept", `{"Statement":[{"X":1.0}]}`, `{"Statement":[{"X":1}]}`, false},
		{"object in action list", `{"Statement":[{"Action":[{"a":1}]}]}`, `{"Statement":[{"Action":[{"a":1}]}]}`, true},
		{"service principal", `{"Statement":[{"Principal":{"Service":"ssm.amazonaws.com"}}]}`, `{"Statement":[{"Principal":{"Service":["ssm.amazonaws.com"]}}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDoc(t, tt.a).equal(mustDoc(t, tt.b)); got != tt.equal {
				t.Fatalf("equal = %v, want %v", got, tt.equal)
			}
		})
	}
}

func TestParseDocumentRejects(t *testing.T) {
	for _, in := range []string{``, `{`, `[]`, `"x"`, `{} {}`, `{"a":1} x`} {
		if _, err := parseDocument([]byte(in)); err == nil {
			t.Errorf("parseDocument(%q) accepted it", in)
		}
	}
}

func TestGrantsAndDiff(t *testing.T) {
	before := mustDoc(t, `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::222233334444:root"]},"Action":["ssm:GetParameter","ssm:GetParameterHistory"],"Resource":"arn:aws:ssm:us-east-1:999999999999:parameter/a"},
		{"Effect":"Deny","Principal":{"AWS":"555566667777"},"Action":"ssm:DeleteParameter","Resource":"*"}]}`)
	after := mustDoc(t, `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"],"Service":"ssm.amazonaws.com"},
		"Action":"ssm:GetParameter","NotResource":"arn:x","Resource":"arn:aws:ssm:us-east-1:999999999999:parameter/a"}}`)

	g := before.grants()
	if want := []string{"111122223333", "222233334444"}; !slices.Equal(g.Principals, want) {
		t.Errorf("principals %v, want %v (Deny statements grant nothing)", g.Principals, want)
	}
	added, removed := diffGrants(before.grants(), after.grants())
	want := []struct {
		name      string
		got, want []string
	}{
		{"added principals", added.Principals, []string{"444455556666", "Service:ssm.amazonaws.com"}},
		{"removed principals", removed.Principals, []string{"222233334444"}},
		{"added actions", added.Actions, nil},
		{"removed actions", removed.Actions, []string{"ssm:GetParameterHistory"}},
		{"added resources", added.Resources, []string{"NOT arn:x"}},
		{"removed resources", removed.Resources, nil},
	}
	for _, w := range want {
		if !slices.Equal(w.got, w.want) {
			t.Errorf("%s = %v, want %v", w.name, w.got, w.want)
		}
	}
	if !(Grants{}).Empty() || added.Empty() {
		t.Error("Empty is wrong")
	}
	if got := grantTerms(added, removed); got != "+ account 444455556666  + principal Service:ssm.amazonaws.com  - account 222233334444  - action ssm:GetParameterHistory  + resource NOT arn:x" {
		t.Errorf("grantTerms = %q", got)
	}
}

func TestSids(t *testing.T) {
	tests := []struct {
		doc  string
		want []string
	}{
		{`{"Statement":[{"Sid":"B"},{"Sid":"A"},{"Sid":"B"}]}`, []string{"A", "B"}},
		{`{"Statement":{"Sid":"A"}}`, []string{"A"}},
		{`{"Statement":[{"Effect":"Allow"},{"Sid":""}]}`, nil},
	}
	for _, tt := range tests {
		if got := mustDoc(t, tt.doc).sids(); !slices.Equal(got, tt.want) {
			t.Errorf("sids(%s) = %v, want %v", tt.doc, got, tt.want)
		}
	}
}

func TestIsAccountIDAndRoot(t *testing.T) {
	tests := []struct {
		in   string
		want string // account id from rootAccount, "" if none
	}{
		{"arn:aws:iam::111122223333:root", "111122223333"},
		{"arn:aws-cn:iam::111122223333:root", "111122223333"},
		{"arn:aws:iam::111122223333:user/root", ""},
		{"arn:aws:iam:us-east-1:111122223333:root", ""},
		{"arn::iam::111122223333:root", ""},
		{"arn:AWS:iam::111122223333:root", ""},
		{"arn:aws:iam::1111222233334:root", ""},
	}
	for _, tt := range tests {
		got, _ := rootAccount(tt.in)
		if got != tt.want {
			t.Errorf("rootAccount(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !IsAccountID("111122223333") || IsAccountID("11112222333a") || IsAccountID("1111222233") {
		t.Error("IsAccountID is wrong")
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"policies/db.json:3", "policies/db.json:3"},
		{"évé", "évé"},
		{"a\x1b[31mred", `"a\x1b[31mred"`},
		{"line\nbreak", `"line\nbreak"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
