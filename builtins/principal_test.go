package builtins

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	const u = Unknown
	cases := []struct {
		typ, value                          string
		kind, account, partition, problemOf string // problemOf: a piece of the problem, "" for none
	}{
		// AWS principals that are well formed
		{"AWS", "111122223333", "account", "111122223333", "", ""},
		{"AWS", "arn:aws:iam::111122223333:root", "account", "111122223333", "aws", ""},
		{"AWS", "arn:aws-us-gov:iam::111122223333:role/path/app", "role", "111122223333", "aws-us-gov", ""},
		{"AWS", "arn:aws:iam::111122223333:user/alice", "user", "111122223333", "aws", ""},
		{"AWS", "arn:aws:sts::111122223333:assumed-role/app/session", "assumed-role", "111122223333", "aws", ""},
		{"AWS", "arn:aws-cn:sts::111122223333:federated-user/bob", "federated-user", "111122223333", "aws-cn", ""},
		{"AWS", "*", "*", "", "", ""},
		// AWS principals that are not
		{"AWS", "1111-2222-3333", "", "", "", `"1111-2222-3333" has dashes or spaces`},
		{"AWS", "12345", "", "", "", `has 5 digits`},
		{"AWS", "alice", "", "", "", `is neither a 12-digit account id nor an IAM ARN`},
		{"AWS", "arn:aws:iam::111122223333:role/a*", "role", "111122223333", "aws", "has a wildcard in it"},
		{"AWS", "arn:aws:iam:111122223333:root", "", "", "", "it has 5 colon-separated fields"},
		{"AWS", "arn:aws-xx:iam::111122223333:root", "account", "111122223333", "aws-xx", `the partition "aws-xx"`},
		{"AWS", "arn:aws:s3:::bucket", "", "", "aws", "an ARN of the s3 service"},
		{"AWS", "arn:aws:iam:us-east-1:111122223333:root", "account", "111122223333", "aws", `has the region "us-east-1"`},
		{"AWS", "arn:aws:iam::1111:root", "account", "", "aws", `the account "1111"`},
		{"AWS", "arn:aws:iam::111122223333:group/admins", "", "111122223333", "aws", "is an IAM group"},
		{"AWS", "arn:aws:iam::111122223333:assumed-role/a/b", "assumed-role", "111122223333", "aws", "names an STS session under the iam service"},
		{"AWS", "arn:aws:sts::111122223333:role/app", "role", "111122223333", "aws", "names an IAM identity under the sts service"},
		{"AWS", "arn:aws:iam::111122223333:role/a b", "role", "111122223333", "aws", "the role name in"},
		{"AWS", "arn:aws:iam::111122223333:thing", "", "111122223333", "aws", "names no principal"},
		// AWS principals with parts known only at deploy time
		{"AWS", "arn:" + u + ":iam::" + u + ":role/app", "role", "", "", ""},
		{"AWS", "arn:aws:iam::" + u + ":root", "account", "", "aws", ""},
		{"AWS", u, "", "", "", ""},
		{"AWS", "1234" + u, "", "", "", ""},
		{"AWS", "acct-" + u, "", "", "", "can be neither a 12-digit account id nor an IAM ARN, whatever its unknown part is"},
		{"AWS", "arn:aws:s3::" + u + ":x", "", "", "aws", "is an ARN of the s3 service"},
		{"AWS", "arn:aws-xx:iam::" + u + ":root", "account", "", "aws-xx", `the partition "aws-xx"`},
		{"AWS", "arn:aws:iam:eu-west-1:" + u + ":root", "account", "", "aws", `has the region "eu-west-1"`},
		{"AWS", "arn:aws:iam::12:" + u, "", "", "aws", `the account "12"`},
		{"AWS", "arn:aws:iam::111122223333:role/" + u, "role", "111122223333", "aws", ""},
		{"AWS", "arn:aws:iam::111122223333:" + u, "", "111122223333", "aws", ""},
		// other types
		{"*", "*", "*", "", "", ""},
		{"Service", "ssm.amazonaws.com", "Service", "", "", ""},
		{"Service", "ssm.amazonaws.com.cn", "Service", "", "", ""},
		{"Service", "SSM.amazonaws.com", "Service", "", "", "is not in lower case"},
		{"Service", "*", "Service", "", "", `a service principal cannot be "*"`},
		{"Service", "ssm.*.com", "Service", "", "", "has a wildcard in it"},
		{"Service", "arn:aws:iam::111122223333:root", "Service", "", "", "is an ARN, but a service principal"},
		{"Service", "ssm", "Service", "", "", "is not a service principal"},
		{"Service", u + ".amazonaws.com", "Service", "", "", ""},
		{"Federated", "arn:aws:iam::111122223333:saml-provider/corp", "Federated", "", "aws", ""},
		{"Federated", "cognito-identity.amazonaws.com", "Federated", "", "", ""},
		{"Federated", "arn:aws:iam::111122223333:role/x", "Federated", "", "aws", "is not an identity provider ARN"},
		{"Federated", "nodots", "Federated", "", "", "is neither an identity provider ARN nor a provider's domain name"},
		{"Federated", "*", "Federated", "", "", `a federated principal cannot be "*"`},
		{"CanonicalUser", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "CanonicalUser", "", "", ""},
		{"CanonicalUser", "abc", "CanonicalUser", "", "", "is not a canonical user id"},
		{"CanonicalUser", "*", "CanonicalUser", "", "", `a canonical user principal cannot be "*"`},
		{"Group", "x", "", "", "", ""},
	}
	for _, c := range cases {
		d := describe(c.typ, c.value)
		if d.kind != c.kind || d.account != c.account || d.partition != c.partition {
			t.Errorf("describe(%q, %q) = kind %q, account %q, partition %q; want %q, %q, %q",
				c.typ, c.value, d.kind, d.account, d.partition, c.kind, c.account, c.partition)
		}
		switch {
		case c.problemOf == "" && d.problem != "":
			t.Errorf("describe(%q, %q): problem %q, want none", c.typ, c.value, d.problem)
		case c.problemOf != "" && !strings.Contains(d.problem, c.problemOf):
			t.Errorf("describe(%q, %q): problem %q, want one saying %q", c.typ, c.value, d.problem, c.problemOf)
		}
		if (d.problem == "") != (d.help == "") {
			t.Errorf("describe(%q, %q): problem %q with help %q: a problem says how to fix it, and only a problem", c.typ, c.value, d.problem, d.help)
		}
	}
}

// TestDescribeHelp: the fix is apart from the message, and names the value to write where it
// is certain.
func TestDescribeHelp(t *testing.T) {
	cases := map[[2]string]string{
		{"AWS", "1111-2222-3333"}:                             `write "111122223333"`,
		{"AWS", "arn:aws:iam::111122223333:assumed-role/a/b"}: "write arn:aws:sts::111122223333:assumed-role/a/b",
		{"AWS", "arn:aws:sts::111122223333:role/app"}:         "write arn:aws:iam::111122223333:role/app",
		{"AWS", "arn:aws:iam:us-east-1:111122223333:root"}:    "write arn:aws:iam::111122223333:root",
		{"Service", "SSM.amazonaws.com"}:                      `write "ssm.amazonaws.com"`,
		{"AWS", "alice"}:                                      "write the account's 12-digit id (111122223333) or its root ARN (arn:aws:iam::111122223333:root)",
	}
	for in, want := range cases {
		d := describe(in[0], in[1])
		if d.help != want {
			t.Errorf("describe(%q, %q): help %q, want %q", in[0], in[1], d.help, want)
		}
		if strings.Contains(d.problem, "write ") {
			t.Errorf("describe(%q, %q): the problem %q says the fix too", in[0], in[1], d.problem)
		}
	}
}

// TestDescribeMessagesWriteUnknownParts: a value with a deploy-time part is shown with
// <unknown> in its place, never with the marker.
func TestDescribeMessagesWriteUnknownParts(t *testing.T) {
	d := describe("AWS", "acct-"+Unknown)
	if want := `"acct-<unknown>" can be neither`; !strings.HasPrefix(d.problem, want) || strings.Contains(d.problem, Unknown) {
		t.Errorf("problem %q, want it to start %q", d.problem, want)
	}
}
