package ssmarn

import (
	"strings"
	"testing"
)

// FuzzParse splits arbitrary strings: never a panic, a parsed ARN prints back as the input,
// and a parameter name read from an ARN builds the same ARN again.
func FuzzParse(f *testing.F) {
	f.Add("arn:aws:ssm:us-east-1:111122223333:parameter/app/db")
	f.Add("arn:aws:ssm:us-east-1:111122223333:parameter//app/db")
	f.Add("arn:aws-cn:ssm:cn-north-1:111122223333:opsitemgroup/default")
	f.Add("arn:aws:kms:us-east-1:111122223333:key/x:y")
	f.Add("arn:::::")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, a.String())
		}
		if a.Type+strings.TrimPrefix(a.Resource, a.Type) != a.Resource {
			t.Fatalf("type %q is not the start of resource %q", a.Type, a.Resource)
		}
		name, err := a.ParameterName()
		if err != nil {
			return
		}
		if got := ParameterARN(a.Partition, a.Region, a.AccountID, name); got != s {
			t.Fatalf("ParameterARN of %q (from %q) = %q", name, s, got)
		}
		if n, err := ParameterName(s); err != nil || n != name {
			t.Fatalf("ParameterName(%q) = %q, %v; the ARN's method gave %q", s, n, err, name)
		}
	})
}
