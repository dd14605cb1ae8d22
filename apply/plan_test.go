package apply_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestCreateUpdateNoChange follows one parameter through a create, an
// update that adds an account and drops an action, and re-applying the same
// policy in another formatting, which must not write.
func TestCreateUpdateNoChange(t *testing.T) {
	e := setup(t)
	v1 := policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter", "ssm:GetParameterHistory")

	p := plan(t, e, apply.Item{Label: "db.json:1", ARN: e.db.ARN, Policy: pretty(t, v1)})
	if c := p.Changes[0]; c.Action != apply.Create || c.PolicyID != "" ||
		strings.Join(c.Added.Principals, ",") != "222233334444" || len(c.Added.Actions) != 2 {
		t.Fatalf("first plan: %+v", c)
	}
	if e.fake.Count(awsfake.OpPutResourcePolicy) != 0 {
		t.Fatal("MakePlan wrote")
	}
	res := execute(t, e, p)
	stored := e.fake.Policies(e.db.ARN)
	if res[0].Action != apply.Create || len(stored) != 1 || res[0].PolicyID != stored[0].ID || res[0].PolicyHash != stored[0].Hash {
		t.Fatalf("create result %+v, stored %+v", res[0], stored)
	}
	if stored[0].Document != v1 {
		t.Fatalf("stored %s, want the compacted policy %s", stored[0].Document, v1)
	}

	v2 := policy(e.db.ARN, []string{"222233334444", "444455556666"}, "ssm:GetParameter")
	p = plan(t, e, apply.Item{Label: "db.json:1", ARN: e.db.ARN, Policy: pretty(t, v2)})
	c := p.Changes[0]
	if c.Action != apply.Update || c.PolicyID != stored[0].ID || c.PolicyHash != stored[0].Hash {
		t.Fatalf("second plan: %+v", c)
	}
	text := render(t, p, nil)
	wantLine := "update     " + e.db.ARN + "  (db.json:1)  + account 444455556666  - action ssm:GetParameterHistory\n"
	if !strings.Contains(text, wantLine) || !strings.Contains(text, "Plan: 0 to create, 1 to update, 0 unchanged.") {
		t.Fatalf("plan text:\n%s\nwant line:\n%s", text, wantLine)
	}
	res = execute(t, e, p)
	after := e.fake.Policies(e.db.ARN)
	if res[0].Action != apply.Update || res[0].PolicyID != stored[0].ID || res[0].PolicyHash == stored[0].Hash || res[0].PolicyHash != after[0].Hash {
		t.Fatalf("update result %+v, stored %+v", res[0], after)
	}
	text = render(t, nil, res)
	if !strings.Contains(text, "updated    "+e.db.ARN+"  (db.json:1)  PolicyId "+after[0].ID+"  PolicyHash "+after[0].Hash) {
		t.Fatalf("results text:\n%s", text)
	}

	// The same policy again, written differently: root ARN, strings for
	// one-element lists, a statement object. Twice, to be sure.
	same := fmt.Sprintf(`{"Statement": {"Resource": %q, "Action": "ssm:GetParameter", "Effect": "Allow", "Sid": "Share",
		"Principal": {"AWS": ["arn:aws:iam::444455556666:root", "222233334444"]}}, "Version": "2012-10-17"}`, e.db.ARN)
	for range 2 {
		p = plan(t, e, apply.Item{Label: "db.json:1", ARN: e.db.ARN, Policy: []byte(same)})
		if p.Changes[0].Action != apply.NoChange {
			t.Fatalf("re-apply planned %+v, want no-change", p.Changes[0])
		}
		res = execute(t, e, p)
		if res[0].Action != apply.NoChange || res[0].PolicyHash != after[0].Hash {
			t.Fatalf("re-apply result %+v", res[0])
		}
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 2 {
		t.Fatalf("%d PutResourcePolicy calls, want 2 (create and update only)", n)
	}
}

func TestIdenticalPolicyAppliedTwiceWritesOnce(t *testing.T) {
	e := setup(t)
	doc := pretty(t, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))
	for range 2 {
		execute(t, e, plan(t, e, apply.Item{ARN: e.db.ARN, Policy: doc}))
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d PutResourcePolicy calls, want exactly 1", n)
	}
	if n := len(e.fake.Policies(e.db.ARN)); n != 1 {
		t.Fatalf("%d policies stored, want 1", n)
	}
}

// TestGetResourcePoliciesPagination seeds 120 policies (three pages of 50)
// and replaces the one recorded in the manifest, which sits on page 3.
func TestGetResourcePoliciesPagination(t *testing.T) {
	e := setup(t)
	var target awsfake.Policy
	for i := range 120 {
		p, err := e.fake.AddPolicy(e.db.ARN, fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"S%d","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"ssm:GetParameter","Resource":%q}]}`, i, e.db.ARN))
		if err != nil {
			t.Fatal(err)
		}
		if i == 110 {
			target = p
		}
	}
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"S110","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ssm:GetParameter","Resource":%q}]}`, e.db.ARN)

	p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(doc), PolicyID: target.ID})
	if c := p.Changes[0]; c.Action != apply.Update || c.PolicyID != target.ID || c.PolicyHash != target.Hash {
		t.Fatalf("plan %+v", c)
	}
	if n := e.fake.Count(awsfake.OpGetResourcePolicies); n != 3 {
		t.Fatalf("%d GetResourcePolicies calls, want 3 pages", n)
	}
	// Without the recorded id, the Sid set picks the same policy across pages.
	p = plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(doc)})
	if c := p.Changes[0]; c.Action != apply.Update || c.PolicyID != target.ID {
		t.Fatalf("plan by Sid %+v", c)
	}
	res := execute(t, e, p)
	if res[0].Action != apply.Update || e.fake.Policies(e.db.ARN)[110].Document != doc {
		t.Fatalf("result %+v", res[0])
	}
}

// TestChoosingTheExistingPolicy covers how an item finds the policy it
// replaces, and the refusals when it cannot.
func TestChoosingTheExistingPolicy(t *testing.T) {
	doc := func(arn string, account string, sids ...string) string {
		var stmts []string
		for _, s := range sids {
			stmts = append(stmts, fmt.Sprintf(`{"Sid":%q,"Effect":"Allow","Principal":{"AWS":%q},"Action":"ssm:GetParameter","Resource":%q}`, s, account, arn))
		}
		if len(sids) == 0 {
			stmts = append(stmts, fmt.Sprintf(`{"Effect":"Allow","Principal":{"AWS":%q},"Action":"ssm:GetParameter","Resource":%q}`, account, arn))
		}
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	tests := []struct {
		name        string
		seeds       [][]string // Sid sets of the existing policies
		itemSids    []string
		identicalTo int // index of a seed the item is identical to, -1 if none
		recorded    int // index of the seed whose id is recorded, -1 if none; -2: a bogus id
		want        apply.Action
		wantTarget  int // index of the seed replaced
		wantReason  string
	}{
		{"no policy", nil, []string{"A"}, -1, -1, apply.Create, -1, ""},
		{"only policy, other sids", [][]string{{"X"}}, []string{"A"}, -1, -1, apply.Update, 0, ""},
		{"only policy, identical", [][]string{{"A"}}, []string{"A"}, 0, -1, apply.NoChange, 0, ""},
		{"recorded id", [][]string{{"A"}, {"A"}}, []string{"A"}, -1, 1, apply.Update, 1, ""},
		{"recorded id not there", [][]string{{"A"}}, []string{"A"}, -1, -2, apply.Refused, -1, "the recorded PolicyId bogus is not on the resource (1 policy there now)"},
		{"recorded id, no policy", nil, []string{"A"}, -1, -2, apply.Refused, -1, "(0 policies there now)"},
		{"same sid set", [][]string{{"X"}, {"B", "A"}, {"A"}}, []string{"A", "B"}, -1, -1, apply.Update, 1, ""},
		{"identical among several", [][]string{{"X"}, {"A"}, {"A"}}, []string{"A"}, 2, -1, apply.NoChange, 2, ""},
		{"ambiguous sids", [][]string{{"A"}, {"A"}}, []string{"A"}, -1, -1, apply.Refused, -1, "cannot tell which existing policy this replaces: 2 policies there"},
		{"no match", [][]string{{"X"}, {"Y"}}, []string{"A"}, -1, -1, apply.Refused, -1, "none with the same Sids (Sids A)"},
		{"no sids", [][]string{{"X"}, {"Y"}}, nil, -1, -1, apply.Refused, -1, "this policy has no Sid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			var seeded []awsfake.Policy
			for i, sids := range tt.seeds {
				account := fmt.Sprintf("2222333344%02d", i)
				p, err := e.fake.AddPolicy(e.db.ARN, doc(e.db.ARN, account, sids...))
				if err != nil {
					t.Fatal(err)
				}
				seeded = append(seeded, p)
			}
			item := apply.Item{Label: "in.json", ARN: e.db.ARN, Policy: []byte(doc(e.db.ARN, "444455556666", tt.itemSids...))}
			if tt.identicalTo >= 0 {
				item.Policy = pretty(t, seeded[tt.identicalTo].Document)
			}
			switch {
			case tt.recorded >= 0:
				item.PolicyID = seeded[tt.recorded].ID
			case tt.recorded == -2:
				item.PolicyID = "bogus"
			}
			p := plan(t, e, item)
			c := p.Changes[0]
			if c.Action != tt.want || !strings.Contains(c.Reason, tt.wantReason) {
				t.Fatalf("change %+v, want %s %q", c, tt.want, tt.wantReason)
			}
			if tt.wantTarget >= 0 && (c.PolicyID != seeded[tt.wantTarget].ID || c.PolicyHash != seeded[tt.wantTarget].Hash) {
				t.Fatalf("replaces %s, want seed %d (%s)", c.PolicyID, tt.wantTarget, seeded[tt.wantTarget].ID)
			}
			res := execute(t, e, p)
			if tt.want == apply.Refused || tt.want == apply.NoChange {
				if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
					t.Fatalf("%d writes for a %s change", n, tt.want)
				}
			}
			if tt.want == apply.Refused && (res[0].Action != apply.Refused || res[0].Error != c.Reason) {
				t.Fatalf("result %+v", res[0])
			}
			render(t, p, res)
		})
	}
}

// TestRefusedBeforeAnyCall: inputs that cannot be applied as given are
// refused without a single call to AWS.
func TestRefusedBeforeAnyCall(t *testing.T) {
	e := setup(t)
	group := e.fake.OpsItemGroupARN()
	groupDoc := func(account string) []byte {
		return []byte(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%q},"Action":"ssm:GetOpsItem","Resource":%q}]}`, account, group))
	}
	p := plan(t, e,
		apply.Item{Label: "a.yaml:3", ARN: group, Policy: groupDoc("222233334444")},
		apply.Item{Label: "b.yaml:7", ARN: group, Policy: groupDoc("444455556666")},
		apply.Item{Label: "bad.json", ARN: e.db.ARN, Policy: []byte(`{"Statement": [`)},
		apply.Item{Label: "list.json", ARN: e.db.ARN, Policy: []byte(`[]`)},
		apply.Item{Label: "noarn.json", ARN: "", Policy: []byte(`{}`)},
	)
	wantReasons := []string{
		"an OpsItemGroup holds one policy, and 2 inputs give one for it (a.yaml:3, b.yaml:7)",
		"an OpsItemGroup holds one policy, and 2 inputs give one for it (a.yaml:3, b.yaml:7)",
		"the policy is not valid JSON",
		"the policy is not a JSON object",
		`"" is not a resource ARN`,
	}
	for i, c := range p.Changes {
		if c.Action != apply.Refused || !strings.Contains(c.Reason, wantReasons[i]) {
			t.Errorf("change %d: %+v, want refused %q", i, c, wantReasons[i])
		}
	}
	res := execute(t, e, p)
	if n := e.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d calls to AWS, want none", n)
	}
	if text := render(t, p, res); !strings.Contains(text, "Plan: 0 to create, 0 to update, 0 unchanged, 5 refused.") {
		t.Fatalf("plan text:\n%s", text)
	}

	// One item for the group works, and replaces the group's only policy.
	if _, err := e.fake.AddPolicy(group, string(groupDoc("222233334444"))); err != nil {
		t.Fatal(err)
	}
	p = plan(t, e, apply.Item{ARN: group, Policy: groupDoc("444455556666")})
	if p.Changes[0].Action != apply.Update {
		t.Fatalf("single group item: %+v", p.Changes[0])
	}
}

func TestTwoItemsReplacingOnePolicy(t *testing.T) {
	e := setup(t)
	if _, err := e.fake.AddPolicy(e.db.ARN, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter")); err != nil {
		t.Fatal(err)
	}
	p := plan(t, e,
		apply.Item{Label: "one.json", ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter"))},
		apply.Item{Label: "two.json", ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"555566667777"}, "ssm:GetParameter"))},
		apply.Item{Label: "web.json", ARN: e.web.ARN, Policy: []byte(policy(e.web.ARN, []string{"555566667777"}, "ssm:GetParameter"))},
	)
	for _, c := range p.Changes[:2] {
		if c.Action != apply.Refused || !strings.Contains(c.Reason, "2 inputs (one.json, two.json) replace the same policy") {
			t.Fatalf("change %+v", c)
		}
	}
	if p.Changes[2].Action != apply.Create || p.Writes() != 1 {
		t.Fatalf("unrelated item %+v, writes %d", p.Changes[2], p.Writes())
	}
}
