package input

import (
	"testing"

	"github.com/ssmpolicy/ssmpolicy/rules"
)

const deployedARN = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"

// TestNewDeployed: a policy as AWS returned it becomes a target whose spans are offsets into
// that very text, named as the caller asks.
func TestNewDeployed(t *testing.T) {
	text := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ssm:GetParameter","Resource":"` + deployedARN + `"}]}`
	tg := NewDeployed(deployedARN, deployedARN, []byte(text))
	if tg.Kind != Deployed || tg.Kind.String() != "deployed" {
		t.Errorf("kind %v", tg.Kind)
	}
	if tg.Policy == nil || len(tg.Problems) != 0 || string(tg.PolicyText) != text {
		t.Fatalf("policy %v, problems %v", tg.Policy, tg.Problems)
	}
	if tg.PolicyFile.Name != deployedARN || !tg.ARN.Known || tg.ARN.Value != deployedARN || tg.Tier.Known {
		t.Errorf("file %q, ARN %+v, tier %+v", tg.PolicyFile.Name, tg.ARN, tg.Tier)
	}
	span := tg.Policy.SpanAt([]any{"Statement", 0, "Principal"}, false)
	if got := text[span.Start:span.End]; got != `"*"` {
		t.Errorf("span of the principal is %q", got)
	}
	if p := tg.PolicyFile.Pos(span.Start); p.Line != 1 || p.Column != span.Start+1 {
		t.Errorf("position %+v", p)
	}
}

func TestNewDeployedProblems(t *testing.T) {
	broken := NewDeployed("x", deployedARN, []byte(`{"Statement": [}`))
	if broken.Policy != nil || len(broken.Problems) != 1 || broken.Problems[0].Rule != rules.InvalidJSON {
		t.Errorf("broken: policy %v, problems %+v", broken.Policy, broken.Problems)
	}
	dup := NewDeployed("x", deployedARN, []byte(`{"Version":"2012-10-17","Version":"2008-10-17","Statement":[]}`))
	if dup.Policy == nil || len(dup.Problems) != 1 || dup.Problems[0].Rule != rules.DuplicateKey {
		t.Errorf("duplicate: problems %+v", dup.Problems)
	}
	empty := NewDeployed("x", "", nil)
	if empty.Policy != nil || len(empty.Problems) != 1 || empty.ARN.Known {
		t.Errorf("empty: %+v", empty.Problems)
	}
}
