package input

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// cyclePlan is a plan whose module variable and module output refer to each other, each
// reference listed fanout times: followed naively, fanout to the power of the depth limit.
func cyclePlan(t *testing.T, fanout int) *jsonpos.File {
	t.Helper()
	refs := func(s string) []string {
		out := make([]string, fanout)
		for i := range out {
			out[i] = s
		}
		return out
	}
	plan := map[string]any{
		"format_version": "1.2", "terraform_version": "1.9.5",
		"resource_changes": []any{map[string]any{
			"address": "module.a.awscc_ssm_resource_policy.p", "module_address": "module.a",
			"mode": "managed", "type": "awscc_ssm_resource_policy", "name": "p",
			"change": map[string]any{
				"actions":       []string{"create"},
				"after":         map[string]any{"policy": `{"Version": "2012-10-17", "Statement": []}`},
				"after_unknown": map[string]any{"resource_arn": true},
			},
		}},
		"configuration": map[string]any{"root_module": map[string]any{
			"module_calls": map[string]any{"a": map[string]any{
				"expressions": map[string]any{"x": map[string]any{"references": refs("module.a.o")}},
				"module": map[string]any{
					"outputs": map[string]any{"o": map[string]any{"expression": map[string]any{"references": refs("var.x")}}},
					"resources": []any{map[string]any{
						"mode": "managed", "type": "awscc_ssm_resource_policy", "name": "p",
						"expressions": map[string]any{"resource_arn": map[string]any{"references": refs("var.x")}},
					}},
				},
			}},
		}},
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return jsonpos.NewFile("plan.json", b)
}

// TestTerraformReferenceCycle follows a module variable and output that refer to each other:
// each expression is followed once, so the steps are a handful, not fanout^16 (which never
// ended before).
func TestTerraformReferenceCycle(t *testing.T) {
	f := cyclePlan(t, 20)
	parsed, err := jsonpos.ParseJSON(f.Src)
	if err != nil {
		t.Fatal(err)
	}
	p := newTFPlan(context.Background(), f, parsed.Root)
	targets, err := p.targets()
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || targets[0].ARN.Known {
		t.Fatalf("targets %d, ARN %+v: want one target whose ARN stays unknown", len(targets), targets[0].ARN)
	}
	// Three expressions of 20 references each, and the policy's own.
	if p.steps > 100 {
		t.Errorf("%d steps following the references, want under 100", p.steps)
	}
}

// TestTerraformFollowBudget: a plan that asks for more than the budget stops following.
func TestTerraformFollowBudget(t *testing.T) {
	f := cyclePlan(t, 20)
	parsed, _ := jsonpos.ParseJSON(f.Src)
	p := newTFPlan(context.Background(), f, parsed.Root)
	p.steps = tfFollowBudget
	if _, err := p.targets(); err != nil {
		t.Fatal(err)
	}
	if len(p.followed) != 0 {
		t.Errorf("%d expressions followed past the budget", len(p.followed))
	}
}

// TestTerraformFollowStopsWithContext: a read whose time is up stops following and says so.
func TestTerraformFollowStopsWithContext(t *testing.T) {
	f := cyclePlan(t, 2)
	parsed, _ := jsonpos.ParseJSON(f.Src)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newTFPlan(ctx, f, parsed.Root).targets(); err == nil || !strings.Contains(err.Error(), "references") {
		t.Errorf("got %v, want an error saying following stopped", err)
	}
}

// amplifyingJoin is a template whose ResourceArn joins n references to a parameter whose name
// is itself a join of n pieces with a long delimiter, and whose Policy does the same.
func amplifyingJoin(n int) string {
	var b strings.Builder
	b.WriteString("Resources:\n  Param:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Name: !Join\n        - \"" + strings.Repeat("-", 64) + "\"\n        - [")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("abcdefgh")
	}
	refs := strings.TrimSuffix(strings.Repeat("!Ref Param, ", n), ", ")
	b.WriteString("]\n  Share:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: !Join [\"\", [" + refs + "]]\n")
	b.WriteString("      Policy: !Join [\"\", [\"{\\\"Statement\\\": [], \\\"Id\\\": \\\"\", " + refs + ", \"\\\"}\"]]\n")
	return b.String()
}

// TestCloudFormationJoinBounded reads a 20 KB template whose joins would produce 72 MB each:
// resolution stops at the bounds with a finding at each property, and memory stays small
// (before: gigabytes, and out of memory for larger templates).
func TestCloudFormationJoinBounded(t *testing.T) {
	src := amplifyingJoin(1000)
	r, err := NewReader(Context{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := r.Read(jsonpos.NewFile("t.yaml", []byte(src)))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("reading allocated %d MB", alloc>>20)
	if alloc > 150<<20 {
		t.Errorf("reading allocated %d MB, want under 150 MB", alloc>>20)
	}
	if len(res.Targets) != 1 {
		t.Fatalf("%d targets", len(res.Targets))
	}
	tg := res.Targets[0]
	if tg.ARN.Known {
		t.Errorf("ARN known (%d bytes), want it unknown past the bound", len(tg.ARN.Value))
	}
	if tg.Policy != nil {
		t.Error("policy read, want it not checked past the bound")
	}
	want := map[string]string{"resource-format": "2048 characters", "policy-size": "more than 1 MiB"}
	for _, p := range tg.Problems {
		if w, ok := want[p.Rule]; ok && strings.Contains(p.Message, w) && strings.Contains(p.Message, "line 7") {
			delete(want, p.Rule)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing problems %v; have %+v", want, tg.Problems)
	}
}

// TestCloudFormationBoundsKeepLegitimateValues: a value as long as a template can be is
// resolved whole.
func TestCloudFormationBoundsKeepLegitimateValues(t *testing.T) {
	long := strings.Repeat("a", maxResolved-200)
	src := "Resources:\n  Share:\n    Type: AWS::SSM::ResourcePolicy\n    Properties:\n      ResourceArn: !Join [\"\", [\"arn:aws:ssm:us-east-1:111122223333:parameter/\", \"p\"]]\n" +
		"      Policy: !Join [\"\", [\"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Id\\\": \\\"\", \"" + long + "\", \"\\\", \\\"Statement\\\": []}\"]]\n"
	r, err := NewReader(Context{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Read(jsonpos.NewFile("t.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	tg := res.Targets[0]
	if tg.Policy == nil || len(tg.Policy.Get("Id").Text) != len(long) || len(tg.Problems) != 0 {
		t.Errorf("policy %v, problems %+v: want the long policy read whole", tg.Policy != nil, tg.Problems)
	}
	if tg.ARN.Value != "arn:aws:ssm:us-east-1:111122223333:parameter/p" || !tg.ARN.Known {
		t.Errorf("ARN %q", tg.ARN.Value)
	}
}
