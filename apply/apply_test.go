package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

const (
	secretValue  = "s3cr3t-db-password-VALUE-71c4"
	secretValue2 = "another-secret-VALUE-api-key-0b9a"
)

// isolateEnv keeps the developer's AWS setup out of the tests: no shared
// config, profile, region, credentials or endpoint from the environment.
func isolateEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_KMS",
		"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	} {
		t.Setenv(k, "") // restores the old value when the test ends
		os.Unsetenv(k)
	}
}

// env is one test's fake and clients, built by awsapi.NewClients the way the
// CLI builds them, with short limits.
type env struct {
	fake *awsfake.Server
	c    *awsapi.Clients
	db   awsfake.Parameter // Advanced SecureString under the AWS managed key
	web  awsfake.Parameter // Advanced SecureString under a customer key
}

func setup(t *testing.T, mutate ...func(*awsapi.Options)) *env {
	t.Helper()
	isolateEnv(t)
	// The fake's credentials, from the environment as users give them.
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.SecretAccessKey)
	f := awsfake.StartTest(t)
	o := awsapi.Options{
		Region: "us-east-1", EndpointURL: f.URL(),
		Timeout: 3 * time.Second, MaxAttempts: 3, MaxBackoff: 2 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&o)
	}
	c, err := awsapi.NewClients(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{fake: f, c: c}
	if _, err := f.AddKey(awsfake.Key{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab", Aliases: []string{"alias/app-secrets"}}); err != nil {
		t.Fatal(err)
	}
	if e.db, err = f.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, Value: secretValue}); err != nil {
		t.Fatal(err)
	}
	if e.web, err = f.AddParameter(awsfake.Parameter{Name: "/app/web", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: secretValue2}); err != nil {
		t.Fatal(err)
	}
	return e
}

// policy builds a parameter policy granting accounts the actions.
func policy(arn string, accounts []string, actions ...string) string {
	b, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "Share", "Effect": "Allow",
			"Principal": map[string]any{"AWS": accounts},
			"Action":    actions, "Resource": arn,
		}},
	})
	return string(b)
}

// pretty re-indents a document over several lines, as users write them.
func pretty(t *testing.T, doc string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(doc), "", "    "); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// render prints a plan and results the way the CLI would, as text and JSON,
// and checks the output for secrets: every test that renders runs the check.
func render(t *testing.T, plan *apply.Plan, results []apply.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if plan != nil {
		if err := apply.WritePlan(&buf, plan); err != nil {
			t.Fatal(err)
		}
		if err := json.NewEncoder(&buf).Encode(plan); err != nil {
			t.Fatal(err)
		}
	}
	if results != nil {
		if err := apply.WriteResults(&buf, results); err != nil {
			t.Fatal(err)
		}
		if err := json.NewEncoder(&buf).Encode(results); err != nil {
			t.Fatal(err)
		}
	}
	assertNoSecrets(t, buf.String())
	return buf.String()
}

func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{secretValue, secretValue2, awsfake.SecretAccessKey} {
		if strings.Contains(s, secret) {
			t.Fatalf("output contains a secret (%.6s...):\n%s", secret, s)
		}
	}
}

func plan(t *testing.T, e *env, items ...apply.Item) *apply.Plan {
	t.Helper()
	p, err := apply.MakePlan(context.Background(), e.c.SSM, items)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func execute(t *testing.T, e *env, p *apply.Plan) []apply.Result {
	t.Helper()
	r, err := apply.Execute(context.Background(), e.c.SSM, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

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

// TestConflictBetweenReadAndWrite has another writer change the policy after
// MakePlan read it: the update must fail with a re-run message, be sent
// once, and leave the other writer's policy in place.
func TestConflictBetweenReadAndWrite(t *testing.T) {
	e := setup(t)
	seed, err := e.fake.AddPolicy(e.db.ARN, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))
	if err != nil {
		t.Fatal(err)
	}
	p := plan(t, e, apply.Item{Label: "db.json:1", ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter"))})
	if p.Changes[0].Action != apply.Update {
		t.Fatalf("plan %+v", p.Changes[0])
	}
	theirs := policy(e.db.ARN, []string{"999988887777"}, "ssm:GetParameters")
	e.fake.BeforeWrite(1, func() {
		if _, err := e.fake.WritePolicy(e.db.ARN, seed.ID, theirs); err != nil {
			t.Error(err)
		}
	})
	res := execute(t, e, p)
	r := res[0]
	if r.Action != apply.Failed || !strings.Contains(r.Error, "changed by another writer since it was read; re-run to see the new plan") ||
		r.Failure != apply.FailedConflict {
		t.Fatalf("result %+v", r)
	}
	if r.PolicyID != "" || r.PolicyHash != "" || !r.Added.Empty() {
		t.Errorf("a failed write reports ids or grants: %+v", r)
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d PutResourcePolicy calls, want 1: a conflict is never retried", n)
	}
	if got := e.fake.Policies(e.db.ARN); len(got) != 1 || got[0].Document != theirs {
		t.Fatalf("store %+v, want the other writer's policy untouched", got)
	}
	if text := render(t, nil, res); !strings.Contains(text, "failed     "+e.db.ARN+"  (db.json:1)  changed by another writer") ||
		!strings.Contains(text, "Applied 0 of 1 changes") {
		t.Fatalf("results text:\n%s", text)
	}
}

// TestDeletedBetweenReadAndWrite: the policy being replaced disappears.
func TestDeletedBetweenReadAndWrite(t *testing.T) {
	e := setup(t)
	seed, err := e.fake.AddPolicy(e.db.ARN, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))
	if err != nil {
		t.Fatal(err)
	}
	p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter"))})
	e.fake.BeforeWrite(1, func() {
		if err := e.fake.RemovePolicy(e.db.ARN, seed.ID); err != nil {
			t.Error(err)
		}
	})
	res := execute(t, e, p)
	if res[0].Action != apply.Failed || !strings.Contains(res[0].Error, "deleted by another writer") || res[0].Failure != apply.FailedConflict {
		t.Fatalf("result %+v", res[0])
	}
	if n := len(e.fake.Policies(e.db.ARN)); n != 0 {
		t.Fatalf("%d policies: the update must not recreate the deleted policy", n)
	}
}

// TestRetries: throttling and 500s are retried by the SDK's standard
// retryer; when they outlast MaxAttempts the change fails.
func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		inject     func(f *awsfake.Server)
		want       apply.Action
		wantErr    string
		wantGets   int
		wantPuts   int
		wantStored int
	}{
		{"throttled read twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 2) }, apply.Create, "", 3, 1, 1},
		{"throttled write twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 2) }, apply.Create, "", 1, 3, 1},
		{"500 on write twice", func(f *awsfake.Server) { f.FailInternal(awsfake.OpPutResourcePolicy, 2) }, apply.Create, "", 1, 3, 1},
		{"500 on write throughout", func(f *awsfake.Server) { f.FailInternal(awsfake.OpPutResourcePolicy, 10) }, apply.Failed, "SSM internal error, still failing after retries", 1, 3, 0},
		{"throttled write throughout", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 10) }, apply.Failed, "ThrottlingException: Rate exceeded", 1, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			tt.inject(e.fake)
			res := execute(t, e, plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))}))
			if res[0].Action != tt.want || !strings.Contains(res[0].Error, tt.wantErr) {
				t.Fatalf("result %+v, want %s %q", res[0], tt.want, tt.wantErr)
			}
			if want := map[bool]apply.Failure{true: apply.FailedOther, false: apply.NotFailed}[tt.want == apply.Failed]; res[0].Failure != want {
				t.Fatalf("result %+v, want failure kind %d", res[0], want)
			}
			gets, puts := e.fake.Count(awsfake.OpGetResourcePolicies), e.fake.Count(awsfake.OpPutResourcePolicy)
			if gets != tt.wantGets || puts != tt.wantPuts {
				t.Fatalf("%d gets, %d puts; want %d and %d", gets, puts, tt.wantGets, tt.wantPuts)
			}
			if n := len(e.fake.Policies(e.db.ARN)); n != tt.wantStored {
				t.Fatalf("%d stored, want %d", n, tt.wantStored)
			}
			render(t, nil, res)
		})
	}
}

// TestPerCallTimeout: a response slower than the clients' time limit ends
// the call, for reads and for writes, and a write says its outcome is unknown.
func TestPerCallTimeout(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 150 * time.Millisecond; o.MaxAttempts = 1 })

	p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))})
	e.fake.Delay(awsfake.OpPutResourcePolicy, 3*time.Second, 1)
	start := time.Now()
	res := execute(t, e, p)
	if res[0].Action != apply.Failed || !strings.Contains(res[0].Error, "SSM PutResourcePolicy: no answer within 150ms") ||
		!strings.Contains(res[0].Error, "may or may not have been applied") || res[0].Failure != apply.FailedNoAnswer {
		t.Fatalf("result %+v", res[0])
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("execute took %s with a 150ms limit", d)
	}

	e.fake.Delay(awsfake.OpGetResourcePolicies, 3*time.Second, 1)
	p = plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))})
	if c := p.Changes[0]; c.Action != apply.Failed || !strings.Contains(c.Reason, "read the current policies: SSM GetResourcePolicies: no answer within 150ms") {
		t.Fatalf("plan %+v", c)
	}
	render(t, p, res)
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

func TestExecuteErrors(t *testing.T) {
	e := setup(t)
	big := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Principal":{"AWS":"222233334444"},"Action":"ssm:GetParameter","Resource":%q}]}`,
		strings.Repeat("A", 1100), e.db.ARN)
	missing := "arn:aws:ssm:us-east-1:111122223333:parameter/app/none"

	p := plan(t, e,
		apply.Item{Label: "big.json", ARN: e.db.ARN, Policy: []byte(big)},
		apply.Item{Label: "missing.json", ARN: missing, Policy: []byte(policy(missing, []string{"222233334444"}, "ssm:GetParameter"))},
	)
	if p.Changes[0].Action != apply.Create {
		t.Fatalf("big: %+v (the size limit is AWS's to enforce)", p.Changes[0])
	}
	if c := p.Changes[1]; c.Action != apply.Failed || !strings.Contains(c.Reason, "read the current policies: no such resource in this account and region") {
		t.Fatalf("missing: %+v", c)
	}
	res := execute(t, e, p)
	if r := res[0]; r.Action != apply.Failed || !strings.Contains(r.Error, "limit exceeded: ") || !strings.Contains(r.Error, "(limit 1024, PolicySize)") {
		t.Fatalf("big: %+v", r)
	}
	if r := res[1]; r.Action != apply.Failed || r.Error != p.Changes[1].Reason {
		t.Fatalf("missing: %+v", r)
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d puts, want 1 (nothing sent for the failed read)", n)
	}

	// A plan that did not come from MakePlan has no policy text to send.
	res, err := apply.Execute(context.Background(), e.c.SSM, &apply.Plan{Changes: []apply.Change{{ARN: e.db.ARN, Action: apply.Create}}})
	if err != nil || res[0].Action != apply.Failed || !strings.Contains(res[0].Error, "plans must come from MakePlan") {
		t.Fatalf("hand-made plan: %+v, %v", res, err)
	}
	// Nor does a plan decoded from JSON: an update would go out as a create.
	var decoded apply.Plan
	b, err := json.Marshal(plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"555566667777"}, "ssm:GetParameter"))}))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	puts := e.fake.Count(awsfake.OpPutResourcePolicy)
	res, err = apply.Execute(context.Background(), e.c.SSM, &decoded)
	if err != nil || res[0].Action != apply.Failed || e.fake.Count(awsfake.OpPutResourcePolicy) != puts {
		t.Fatalf("decoded plan: %+v, %v", res, err)
	}
}

// TestCancellationBetweenItems interrupts during the first write: that write
// completes and is reported, the rest are skipped, nothing else is sent.
func TestCancellationBetweenItems(t *testing.T) {
	e := setup(t)
	third, err := e.fake.AddParameter(awsfake.Parameter{Name: "/app/third", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	items := []apply.Item{
		{Label: "db.json", ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))},
		{Label: "web.json", ARN: e.web.ARN, Policy: []byte(policy(e.web.ARN, []string{"222233334444"}, "ssm:GetParameter"))},
		{Label: "third.json", ARN: third.ARN, Policy: []byte(policy(third.ARN, []string{"222233334444"}, "ssm:GetParameter"))},
	}
	p := plan(t, e, items...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.fake.BeforeWrite(1, cancel) // Ctrl-C while the first write is in flight
	res, err := apply.Execute(ctx, e.c.SSM, p)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Execute error %v, want context.Canceled", err)
	}
	if res[0].Action != apply.Create || res[0].PolicyID == "" {
		t.Fatalf("first item %+v: the write in flight must complete", res[0])
	}
	for _, r := range res[1:] {
		if r.Action != apply.Skipped || r.Error != "not sent: interrupted" {
			t.Fatalf("later item %+v, want skipped", r)
		}
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d puts after the interrupt, want 1", n)
	}
	if len(e.fake.Policies(e.db.ARN)) != 1 || len(e.fake.Policies(e.web.ARN)) != 0 {
		t.Fatal("store does not match the results")
	}
	text := render(t, nil, res)
	if !strings.Contains(text, "created    "+e.db.ARN+"  (db.json)  PolicyId ") ||
		!strings.Contains(text, "skipped    "+e.web.ARN+"  (web.json)  not sent: interrupted") ||
		!strings.Contains(text, "Applied 1 of 3 changes (1 created, 0 updated); 0 unchanged, 2 skipped.") {
		t.Fatalf("results text:\n%s", text)
	}

	// Planning stops too: a cancelled context plans nothing.
	e.fake.ResetCalls()
	p, err = apply.MakePlan(ctx, e.c.SSM, items)
	if !errors.Is(err, context.Canceled) || p.Count(apply.Skipped) != 3 || e.fake.Count(awsfake.AnyOperation) != 0 {
		t.Fatalf("MakePlan after cancel: %v, %d skipped, %d calls", err, p.Count(apply.Skipped), e.fake.Count(awsfake.AnyOperation))
	}
}

// TestSecretsNeverPrinted runs every path of planning and executing that
// produces output — plans, results, errors, as text and JSON — and greps all
// of it for the seeded secret values and the fake secret access key. (The
// lookups have their own in awsapi.)
func TestSecretsNeverPrinted(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 200 * time.Millisecond; o.MaxAttempts = 2 })
	var out bytes.Buffer
	ctx := context.Background()

	seed, err := e.fake.AddPolicy(e.web.ARN, policy(e.web.ARN, []string{"222233334444"}, "ssm:GetParameter"))
	if err != nil {
		t.Fatal(err)
	}
	items := []apply.Item{
		{Label: "db.json", ARN: e.db.ARN, Policy: pretty(t, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))},
		{Label: "web.json", ARN: e.web.ARN, Policy: []byte(policy(e.web.ARN, []string{"444455556666"}, "ssm:GetParameter"))},
		{Label: "bad.json", ARN: e.db.ARN, Policy: []byte("{")},
		{Label: "none.json", ARN: "arn:aws:ssm:us-east-1:111122223333:parameter/none", Policy: []byte(`{"Statement":[]}`)},
	}
	p, err := apply.MakePlan(ctx, e.c.SSM, items)
	fmt.Fprintf(&out, "%+v %v\n", p, err)
	e.fake.BeforeWrite(2, func() { _, _ = e.fake.WritePolicy(e.web.ARN, seed.ID, `{"Statement":[]}`) })
	e.fake.FailInternal(awsfake.OpPutResourcePolicy, 1)
	res, err := apply.Execute(ctx, e.c.SSM, p)
	fmt.Fprintf(&out, "%+v %v\n", res, err)
	out.WriteString(render(t, p, res))

	e.fake.Delay(awsfake.AnyOperation, time.Second, 0)
	p, err = apply.MakePlan(ctx, e.c.SSM, items[:1])
	fmt.Fprintf(&out, "%+v %v\n", p, err)
	out.WriteString(render(t, p, nil))
	e.fake.ClearFaults()
	for _, c := range e.fake.Calls() {
		fmt.Fprintf(&out, "%+v\n", c)
	}

	s := out.String()
	// The capture must hold the things the secrets would sit next to, or
	// the grep below proves nothing.
	for _, want := range []string{"/app/db", "/app/web", "PolicyId", "changed by another writer", "no answer within", "NotFound", "ResourceNotFoundException", "\"arn\":"} {
		if !strings.Contains(s, want) && !strings.Contains(strings.ToLower(s), strings.ToLower(want)) {
			t.Errorf("capture lacks %q", want)
		}
	}
	assertNoSecrets(t, s)
}

func TestJSONShape(t *testing.T) {
	e := setup(t)
	p := plan(t, e, apply.Item{Label: "db.json", ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))})
	res := execute(t, e, p)
	var got struct {
		Changes []map[string]any `json:"changes"`
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	c := got.Changes[0]
	if c["action"] != "create" || c["arn"] != e.db.ARN || c["label"] != "db.json" {
		t.Fatalf("plan JSON %s", b)
	}
	added, _ := c["added"].(map[string]any)
	if fmt.Sprint(added["principals"]) != "[222233334444]" || fmt.Sprint(added["actions"]) != "[ssm:GetParameter]" {
		t.Fatalf("plan JSON added %v", added)
	}
	if strings.Contains(string(b), "Statement") {
		t.Error("plan JSON carries the policy text")
	}
	b, err = json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var rs []map[string]any
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	if rs[0]["action"] != "create" || rs[0]["policyId"] != res[0].PolicyID || rs[0]["policyHash"] != res[0].PolicyHash || rs[0]["error"] != nil {
		t.Fatalf("results JSON %s", b)
	}
	if !res[0].Applied() {
		t.Error("Applied() false for a create")
	}
}
