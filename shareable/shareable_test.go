package shareable

import "testing"

func TestMatching(t *testing.T) {
	for _, c := range []struct {
		actions []string
		want    string
	}{
		{[]string{"ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters"}, ReadOnly},
		{[]string{"SSM:getparameter", "ssm:getparameters", "ssm:describeparameters", "ssm:GetParameters"}, ReadOnly},
		{[]string{"ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters", "ssm:GetParameterHistory"}, ReadOnlyWithHistory},
		{[]string{"ssm:GetParameter"}, ""},
		{[]string{"ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters", "ssm:PutParameter"}, ""},
		{nil, ""},
	} {
		p, ok := Matching(c.actions)
		if p.Name != c.want || ok != (c.want != "") {
			t.Errorf("Matching(%v) = %q, %v; want %q", c.actions, p.Name, ok, c.want)
		}
	}
}

func TestParameterActionsAreTheLargerPermission(t *testing.T) {
	got := ParameterActions()
	if len(got) != 4 || got[3] != "ssm:GetParameterHistory" {
		t.Fatalf("ParameterActions() = %v", got)
	}
	// A copy: a caller that appends cannot change the next answer.
	_ = append(got, "x")
	ManagedPermissions()[0].Actions[0] = "changed"
	if ManagedPermissions()[0].Actions[0] != "ssm:DescribeParameters" {
		t.Fatal("ManagedPermissions shares its slices between calls")
	}
}
