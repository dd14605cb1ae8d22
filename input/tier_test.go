package input_test

import (
	"slices"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// levelsAt lists a rule's findings as "line:col level", sorted; Check gives a finding its own
// level only when the rule marks one, and the pipeline the rest.
func levelsAt(fs []finding.Finding, rule string) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, at(f)+" "+f.Level.String())
		}
	}
	slices.Sort(out)
	return out
}

// TestCloudFormationTierFacts: a Tier given by an Fn::If the template cannot decide keeps both
// branches, and parameter-tier names the one that makes the parameter Standard; an
// Intelligent-Tiering parameter is Advanced when the template gives it Policies.
func TestCloudFormationTierFacts(t *testing.T) {
	src := `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Always: !Equals [a, a]
Resources:
  Branched:
    Type: AWS::SSM::Parameter
    Properties:
      Name: branched
      Type: String
      Tier: !If [IsProd, Advanced, Standard]
      Value: v
  LongForm:
    Type: AWS::SSM::Parameter
    Properties:
      Name: long-form
      Type: String
      Tier: {"Fn::If": [IsProd, Intelligent-Tiering, Advanced]}
      Value: v
  Decided:
    Type: AWS::SSM::Parameter
    Properties:
      Name: decided
      Type: String
      Tier: !If [Always, Advanced, Standard]
      Value: v
  Tiering:
    Type: AWS::SSM::Parameter
    Properties:
      Name: tiering
      Type: String
      Tier: Intelligent-Tiering
      Value: v
  TieringWithPolicies:
    Type: AWS::SSM::Parameter
    Properties:
      Name: tiering-policies
      Type: String
      Tier: Intelligent-Tiering
      Policies: '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}}]'
      Value: v
  TieringNoPolicies:
    Type: AWS::SSM::Parameter
    Properties:
      Name: tiering-empty
      Type: String
      Tier: Intelligent-Tiering
      Policies: '[]'
      Value: v
`
	share := func(name, param string) string {
		return "  " + name + ":\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n" +
			"      ResourceArn: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${" + param + "}\n" +
			"      Policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: \"444455556666\"}, Action: [ssm:DescribeParameters, ssm:GetParameter, ssm:GetParameters], Resource: \"*\"}]}\n"
	}
	for _, p := range []string{"Branched", "LongForm", "Decided", "Tiering", "TieringWithPolicies", "TieringNoPolicies"} {
		src += share("Share"+p, p)
	}
	res := readString(t, "t.yaml", src)
	cases := []struct {
		target   string
		branches int
		policies bool
		tier     []string
	}{
		{"ShareBranched", 2, false, []string{"12:36 warning"}},
		{"ShareLongForm", 2, false, []string{"19:33 warning"}},
		{"ShareDecided", 0, false, nil},
		{"ShareTiering", 0, false, []string{"33:13 warning"}},
		{"ShareTieringWithPolicies", 0, true, nil},
		{"ShareTieringNoPolicies", 0, false, []string{"48:13 warning"}},
	}
	for _, c := range cases {
		tg := targetByOrigin(t, res, c.target)
		if len(tg.TierBranches) != c.branches || tg.HasPolicies != c.policies {
			t.Errorf("%s: %d branches, policies %v; want %d, %v", c.target, len(tg.TierBranches), tg.HasPolicies, c.branches, c.policies)
		}
		found := check(t, tg)
		if got := levelsAt(found, "parameter-tier"); !slices.Equal(got, c.tier) {
			t.Errorf("%s: parameter-tier %v, want %v", c.target, got, c.tier)
		}
		if got := ofRule(found, "context-missing"); len(got) != 0 {
			t.Errorf("%s: context-missing at %v: the tier's branches are facts", c.target, got)
		}
	}
	b := targetByOrigin(t, res, "ShareBranched").TierBranches
	if b[0].Condition != "IsProd" || !b[0].When || b[0].Value != "Advanced" || b[1].When || b[1].Value != "Standard" {
		t.Errorf("branches %+v", b)
	}
}

// TestTerraformPolicies: a plan that gives an Intelligent-Tiering parameter policies (or will
// know them only after apply) says the parameter has them; "[]" gives none.
func TestTerraformPolicies(t *testing.T) {
	cases := map[string]struct {
		after, unknown map[string]any
		want           bool
	}{
		"none":          {map[string]any{}, nil, false},
		"empty":         {map[string]any{"policies": "[]"}, nil, false},
		"given":         {map[string]any{"policies": `[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}}]`}, nil, true},
		"after apply":   {map[string]any{}, map[string]any{"policies": true}, true},
		"null in after": {map[string]any{"policies": nil}, nil, false},
	}
	for name, c := range cases {
		p := param("/a", "Intelligent-Tiering")
		for k, v := range c.after {
			p[k] = v
		}
		unknown := map[string]any{"arn": true}
		for k, v := range c.unknown {
			unknown[k] = v
		}
		changes := []map[string]any{
			change("", "aws_ssm_parameter", "p", nil, []string{"create"}, p, unknown),
			change("", "aws_ssm_resource_policy", "share", nil, []string{"create"}, map[string]any{"policy": sharePolicy}, arnUnknown()),
		}
		config := map[string]any{"resources": []any{cfg("aws_ssm_resource_policy", "share", map[string]any{
			"resource_arn": refs("aws_ssm_parameter.p.arn", "aws_ssm_parameter.p")})}}
		res := readString(t, "plan.json", plan(t, changes, config))
		if len(res.Targets) != 1 {
			t.Fatalf("%s: %d targets", name, len(res.Targets))
		}
		tg := res.Targets[0]
		if tg.Tier.Value != "Intelligent-Tiering" || tg.HasPolicies != c.want {
			t.Errorf("%s: tier %q, policies %v; want Intelligent-Tiering, %v", name, tg.Tier.Value, tg.HasPolicies, c.want)
		}
		hits := levelsAt(check(t, tg), "parameter-tier")
		if (len(hits) == 0) != c.want {
			t.Errorf("%s: parameter-tier %v with policies %v", name, hits, c.want)
		}
	}
}
