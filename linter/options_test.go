package linter

import (
	"context"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// TestPromoteOption: the rules see whether the run promotes RAM shares as input.options.promote,
// false unless the engine is told.
func TestPromoteOption(t *testing.T) {
	dir := write(t, map[string]string{"promote/rule.rego": `# METADATA
# title: Says whether the run promotes
# description: test rule
# custom:
#   id: says-promote
#   level: warning
#   kinds: [parameter, opsitemgroup]
#   source: test
package ssmpolicy.rules.says_promote

import data.ssmpolicy.lib

report contains lib.finding([], sprintf("promote=%v", [input.options.promote])) if true
`, "p.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ssm:GetParameter","Resource":"*"}]}`})
	for _, promote := range []bool{false, true} {
		set, err := rules.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		if err := set.AddDir(dir + "/promote"); err != nil {
			t.Fatal(err)
		}
		e, err := New(context.Background(), set, Config{Promote: promote})
		if err != nil {
			t.Fatal(err)
		}
		rep := run(t, e, input.Context{}, dir+"/p.json")
		want := map[bool]string{false: "promote=false", true: "promote=true"}[promote]
		found := false
		for _, f := range rep.Findings {
			if f.Rule == "says-promote" {
				found = f.Message == want
				if !found {
					t.Errorf("promote %v: message %q, want %q", promote, f.Message, want)
				}
			}
		}
		if !found {
			t.Errorf("promote %v: no finding of the test rule: %+v %+v", promote, rep.Findings, rep.Failures)
		}
	}
}
