package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

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
	if r.Action != apply.Failed || !strings.Contains(r.Error, "ResourcePolicyConflictException: changed by another writer since it was read; re-run to see the new plan") ||
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
	if text := render(t, nil, res); !strings.Contains(text, "failed     "+e.db.ARN+"  (db.json:1)  ResourcePolicyConflictException: changed by another writer") ||
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
		// Every create is followed by a read that looks for a concurrent identical create.
		{"throttled read twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpGetResourcePolicies, 2) }, apply.Create, "", 4, 1, 1},
		{"throttled write twice", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 2) }, apply.Create, "", 2, 3, 1},
		// A 500 leaves the outcome unknown: read again, not there, send once more.
		{"500 on write once", func(f *awsfake.Server) { f.FailInternal(awsfake.OpPutResourcePolicy, 1) }, apply.Create, "", 3, 2, 1},
		{"500 on write throughout", func(f *awsfake.Server) { f.FailInternal(awsfake.OpPutResourcePolicy, 10) }, apply.Failed,
			"InternalServerError: SSM had an internal error: An internal error occurred (injected); sent twice, and reading the policies again found it not applied", 3, 2, 0},
		// The write was made and its answer lost: the read finds it, nothing is sent again.
		{"500 after the write", func(f *awsfake.Server) { f.FailAfterWrite(awsfake.OpPutResourcePolicy, 1) }, apply.Create, "", 3, 1, 1},
		{"answer dropped", func(f *awsfake.Server) { f.DropAfterWrite(awsfake.OpPutResourcePolicy, 1) }, apply.Create, "", 3, 1, 1},
		{"throttled write throughout", func(f *awsfake.Server) { f.Throttle(awsfake.OpPutResourcePolicy, 10) }, apply.Failed, "ThrottlingException: AWS throttled the calls, still after retries", 1, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			tt.inject(e.fake)
			res := execute(t, e, plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))}))
			if res[0].Action != tt.want || !strings.Contains(res[0].Error, tt.wantErr) || (tt.want == apply.Create && res[0].Error != "") {
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
// the call, for reads and for writes. A write that got no answer is settled by
// reading the policies again; when that read gets no answer either, the write
// says its outcome is unknown.
func TestPerCallTimeout(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 150 * time.Millisecond; o.MaxAttempts = 1 })

	p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter"))})
	e.fake.Delay(awsfake.OpPutResourcePolicy, 3*time.Second, 1)
	e.fake.Delay(awsfake.OpGetResourcePolicies, 3*time.Second, 1)
	start := time.Now()
	res := execute(t, e, p)
	if res[0].Action != apply.Failed || !strings.Contains(res[0].Error, "SSM PutResourcePolicy: no answer within 150ms") ||
		!strings.Contains(res[0].Error, "may or may not have been applied, and reading the policies again failed too (SSM GetResourcePolicies: no answer within 150ms)") ||
		res[0].Failure != apply.FailedNoAnswer {
		t.Fatalf("result %+v", res[0])
	}
	// The read answers: the write, never made, is sent once more.
	e.fake.Delay(awsfake.OpPutResourcePolicy, 3*time.Second, 1)
	if res := execute(t, e, p); res[0].Action != apply.Create || e.fake.Count(awsfake.OpPutResourcePolicy) != 3 || len(e.fake.Policies(e.db.ARN)) != 1 {
		t.Fatalf("result %+v after %d puts", res[0], e.fake.Count(awsfake.OpPutResourcePolicy))
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
	if c := p.Changes[1]; c.Action != apply.Failed || !strings.Contains(c.Reason, "read the current policies: ResourceNotFoundException: no such resource in this account and region") {
		t.Fatalf("missing: %+v", c)
	}
	res := execute(t, e, p)
	if r := res[0]; r.Action != apply.Failed || !strings.HasPrefix(r.Error, "ResourcePolicyLimitExceededException: the policy is larger than SSM accepts (1024 bytes") || !strings.Contains(r.Error, "(limit 1024, PolicySize)") {
		t.Fatalf("big: %+v", r)
	}
	if r := res[1]; r.Action != apply.Failed || r.Error != p.Changes[1].Reason {
		t.Fatalf("missing: %+v", r)
	}
	if n := e.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d puts, want 1 (nothing sent for the failed read)", n)
	}

	// A plan that did not come from MakePlan has no policy text to send.
	res, err := apply.Execute(context.Background(), e.c, &apply.Plan{Changes: []apply.Change{{ARN: e.db.ARN, Action: apply.Create}}})
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
	res, err = apply.Execute(context.Background(), e.c, &decoded)
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
	res, err := apply.Execute(ctx, e.c, p)
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
	p, err = apply.MakePlan(ctx, e.c, items)
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
	p, err := apply.MakePlan(ctx, e.c, items)
	fmt.Fprintf(&out, "%+v %v\n", p, err)
	e.fake.BeforeWrite(2, func() { _, _ = e.fake.WritePolicy(e.web.ARN, seed.ID, `{"Statement":[]}`) })
	e.fake.FailInternal(awsfake.OpPutResourcePolicy, 1)
	res, err := apply.Execute(ctx, e.c, p)
	fmt.Fprintf(&out, "%+v %v\n", res, err)
	out.WriteString(render(t, p, res))

	e.fake.Delay(awsfake.AnyOperation, time.Second, 0)
	p, err = apply.MakePlan(ctx, e.c, items[:1])
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
