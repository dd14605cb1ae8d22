package ssmarn

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	a, err := Parse("arn:aws-cn:ssm:cn-north-1:111122223333:parameter/app/db")
	if err != nil {
		t.Fatal(err)
	}
	if a.Partition != "aws-cn" || a.Service != "ssm" || a.Region != "cn-north-1" || a.AccountID != "111122223333" ||
		a.Resource != "parameter/app/db" || a.Type != "parameter" || a.ID != "app/db" {
		t.Errorf("parsed %+v", a)
	}
	if !a.IsParameter() || a.IsOpsItemGroup() {
		t.Errorf("IsParameter=%v IsOpsItemGroup=%v", a.IsParameter(), a.IsOpsItemGroup())
	}
	g, err := Parse("arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default")
	if err != nil || !g.IsOpsItemGroup() || g.IsParameter() || g.ID != "default" {
		t.Errorf("opsitemgroup: %+v %v", g, err)
	}
	// Another service parses, for callers to say what is wrong with it; it is no parameter.
	k, err := Parse("arn:aws:kms:us-east-1:111122223333:parameter/x")
	if err != nil || k.IsParameter() {
		t.Errorf("kms ARN: %+v %v", k, err)
	}
	// A resource with colons keeps them: only the first five colons split fields.
	c, err := Parse("arn:aws:ssm:us-east-1:111122223333:parameter/a:b")
	if err != nil || c.ID != "a:b" {
		t.Errorf("colon in resource: %+v %v", c, err)
	}
	for _, bad := range []string{"", "parameter/app", "arn:aws:ssm:us-east-1:111122223333", "ARN:aws:ssm:us-east-1:111122223333:parameter/x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestResourceType(t *testing.T) {
	for s, want := range map[string]string{
		"arn:aws:ssm:us-east-1:111122223333:parameter/app":        "parameter",
		"arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default": "opsitemgroup",
		"arn:aws:ssm:us-east-1:111122223333:document":             "document",
		"arn:aws:ssm:us-east-1:111122223333:":                     "",
		"not an arn":                                              "",
		"arn:aws:ssm:us-east-1":                                   "",
	} {
		if got := ResourceType(s); got != want {
			t.Errorf("ResourceType(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestParameterName(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"arn:aws:ssm:us-east-1:111122223333:parameter/app/db", "/app/db", ""},
		{"arn:aws:ssm:us-east-1:111122223333:parameter/x", "x", ""},
		{"/app/db", "/app/db", ""}, // a name is taken as it is
		{"plain", "plain", ""},
		{"", "", "empty parameter name"},
		{"arn:aws:ssm:us-east-1:111122223333:parameter//app/db", "", "double slash after parameter/: the ARN of /app/db is parameter/app/db"},
		{"arn:aws:ssm:us-east-1:111122223333:parameter/", "", "names no parameter"},
		{"arn:aws:ssm:us-east-1:111122223333:opsitemgroup/default", "", "is not a parameter ARN"},
		{"arn:aws:kms:us-east-1:111122223333:parameter/x", "", "is not an SSM ARN"},
		{"arn:aws:ssm:us-east-1", "", "is not an SSM ARN"},
	}
	for _, tc := range tests {
		got, err := ParameterName(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParameterName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParameterName(%q) = %q, %v; want an error with %q", tc.in, got, err, tc.err)
		}
	}
}

// TestParameterARN checks the ARN built for a name, and that reading it back gives the name.
func TestParameterARN(t *testing.T) {
	for name, want := range map[string]string{
		"/app/db": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db",
		"x":       "arn:aws:ssm:us-east-1:111122223333:parameter/x",
		"/x":      "arn:aws:ssm:us-east-1:111122223333:parameter/x",
	} {
		got := ParameterARN("aws", "us-east-1", "111122223333", name)
		if got != want {
			t.Errorf("ParameterARN(%q) = %s, want %s", name, got, want)
		}
		back, err := ParameterName(got)
		wantBack := name
		if name == "/x" {
			wantBack = "x" // the ARN does not tell /x from x: it reads back as the name without a slash
		}
		if err != nil || back != wantBack {
			t.Errorf("ParameterName(%s) = %q, %v; want %q", got, back, err, wantBack)
		}
	}
}
