package apply

import (
	"slices"
	"testing"
)

func TestSamePolicy(t *testing.T) {
	const file = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		"Principal": {"AWS": ["444455556666"]}, "Action": ["ssm:GetParameter", "ssm:DescribeParameters"],
		"Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}]}`
	cases := []struct {
		name     string
		deployed string
		same     bool
	}{
		{"compact, reordered, root ARN, single statement", `{"Statement":{"Resource":["arn:aws:ssm:us-east-1:111122223333:parameter/app/db"],"Action":["ssm:DescribeParameters","ssm:GetParameter"],"Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Effect":"Allow"},"Version":"2012-10-17"}`, true},
		{"another account", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":["ssm:GetParameter","ssm:DescribeParameters"],"Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}]}`, false},
		{"one more action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["ssm:GetParameter","ssm:DescribeParameters","ssm:GetParameterHistory"],"Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/app/db"}]}`, false},
	}
	for _, c := range cases {
		same, err := SamePolicy([]byte(c.deployed), []byte(file))
		if err != nil || same != c.same {
			t.Errorf("%s: same %v, %v; want %v", c.name, same, err, c.same)
		}
	}
	if _, err := SamePolicy([]byte(`[1]`), []byte(file)); err == nil {
		t.Error("a list compared without error")
	}
}

func TestGrantsBeyond(t *testing.T) {
	file, err := GrantsOf([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"ssm:GetParameter","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	deployed, err := GrantsOf([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["444455556666","999999999999"]},"Action":["ssm:GetParameter","ssm:GetParameterHistory"],"Resource":"*"},
		{"Effect":"Deny","Principal":"*","Action":"ssm:PutParameter","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := Beyond(deployed, file)
	if !slices.Equal(got.Principals, []string{"999999999999"}) || !slices.Equal(got.Actions, []string{"ssm:GetParameterHistory"}) || len(got.Resources) != 0 {
		t.Errorf("beyond %+v", got)
	}
	if back := Beyond(file, deployed); !back.Empty() {
		t.Errorf("the file grants nothing beyond the deployed policy, got %+v", back)
	}
}
