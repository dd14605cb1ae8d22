package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// badPolicy fails the checks: it shares the parameter with everyone.
func badPolicy(arn string) string {
	return fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
  "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters"], "Resource": %q}]}
`, arn)
}

// compact is a policy as PutResourcePolicy receives it.
func compact(t *testing.T, doc string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decodeApply(t *testing.T, r result) apply.Report {
	t.Helper()
	var out apply.Report
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not the apply JSON report: %v\n%s", err, r)
	}
	return out
}

// putBodies are the request bodies of the PutResourcePolicy calls the fake answered.
func (w *world) putBodies() []map[string]string {
	var out []map[string]string
	for _, c := range w.fake.Calls() {
		if c.Operation != awsfake.OpPutResourcePolicy {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(c.Body), &m); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func (w *world) dbEntry() entry {
	return entry{arn: w.db.ARN, tier: "Advanced", typ: "SecureString", keyID: "alias/app-secrets", policyFile: "db.json", policy: sharePolicy(w.db.ARN)}
}

func (w *world) apiEntry(policy string) entry {
	return entry{arn: w.api.ARN, tier: "Advanced", typ: "String", policyFile: "api.json", policy: policy}
}

// TestApplyCreatesThenLeavesAlone: the first apply creates the policy, compacted; the second
// finds it identical and writes nothing.
func TestApplyCreatesThenLeavesAlone(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())

	r := w.run("apply", "--yes", m)
	stored := w.fake.Policies(w.db.ARN)
	if r.code != 0 || len(stored) != 1 {
		t.Fatalf("first apply: %d policies stored\n%s", len(stored), r)
	}
	if stored[0].Document != compact(t, sharePolicy(w.db.ARN)) {
		t.Fatalf("stored %s, want the policy compacted to one line", stored[0].Document)
	}
	for _, want := range []string{
		"no findings in 2 files, 1 target",
		"create     " + w.db.ARN + "  (ssmpolicy.yaml:2)  + account 444455556666  + action ssm:DescribeParameters",
		"Plan: 1 to create, 0 to update, 0 unchanged.",
		fmt.Sprintf("created    %s  (ssmpolicy.yaml:2)  PolicyId %s  PolicyHash %s", w.db.ARN, stored[0].ID, stored[0].Hash),
		"Applied 1 of 1 changes (1 created, 0 updated); 0 unchanged.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}

	r = w.run("apply", "--yes", m)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("unchanged  %s  (ssmpolicy.yaml:2)  PolicyId %s  PolicyHash %s", w.db.ARN, stored[0].ID, stored[0].Hash)) {
		t.Fatalf("second apply:\n%s", r)
	}
	if n := w.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d PutResourcePolicy calls over two applies, want exactly 1", n)
	}
	if t.Failed() {
		t.Log(r)
	}
}

// TestApplyUpdateCarriesHash: an update is sent with the PolicyId and PolicyHash read, and
// the result shows the new hash.
func TestApplyUpdateCarriesHash(t *testing.T) {
	w := newWorld(t)
	seed, err := w.fake.AddPolicy(w.api.ARN, compact(t, sharePolicy(w.api.ARN, "999988887777")))
	if err != nil {
		t.Fatal(err)
	}
	m := w.manifest("ssmpolicy.yaml", w.apiEntry(sharePolicy(w.api.ARN)))
	r := w.run("apply", "--yes", m)
	puts := w.putBodies()
	if r.code != 0 || len(puts) != 1 {
		t.Fatalf("%d puts\n%s", len(puts), r)
	}
	if puts[0]["PolicyId"] != seed.ID || puts[0]["PolicyHash"] != seed.Hash || puts[0]["ResourceArn"] != w.api.ARN {
		t.Fatalf("update sent %v, want PolicyId %s and PolicyHash %s", puts[0], seed.ID, seed.Hash)
	}
	after := w.fake.Policies(w.api.ARN)
	if len(after) != 1 || after[0].Hash == seed.Hash {
		t.Fatalf("stored %+v", after)
	}
	for _, want := range []string{
		"update     " + w.api.ARN + "  (ssmpolicy.yaml:2)  + account 444455556666  - account 999988887777",
		fmt.Sprintf("updated    %s  (ssmpolicy.yaml:2)  PolicyId %s  PolicyHash %s", w.api.ARN, seed.ID, after[0].Hash),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, r)
		}
	}
}

// TestApplyConflict: another writer changes the policy between the read and the write. The
// write fails with ResourcePolicyConflictException, the run says so and what to do, exits 2,
// and the other writer's policy stays.
func TestApplyConflict(t *testing.T) {
	w := newWorld(t)
	seed, err := w.fake.AddPolicy(w.api.ARN, compact(t, sharePolicy(w.api.ARN, "999988887777")))
	if err != nil {
		t.Fatal(err)
	}
	theirs := compact(t, sharePolicy(w.api.ARN, "999988887777", "777766665555"))
	w.fake.BeforeWrite(1, func() {
		if _, err := w.fake.WritePolicy(w.api.ARN, seed.ID, theirs); err != nil {
			t.Error(err)
		}
	})
	m := w.manifest("ssmpolicy.yaml", w.apiEntry(sharePolicy(w.api.ARN)))
	r := w.run("apply", "--yes", m)
	if r.code != ExitError {
		t.Fatalf("want exit 2:\n%s", r)
	}
	for _, want := range []string{
		"failed     " + w.api.ARN + "  (ssmpolicy.yaml:2)  ResourcePolicyConflictException: changed by another writer since it was read; re-run to see the new plan",
		"Another writer changed 1 policy after ssmpolicy read it; nothing of theirs was overwritten. Run `ssmpolicy apply --dry-run`",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, r)
		}
	}
	if !strings.Contains(r.stderr, "1 change failed") {
		t.Fatalf("stderr:\n%s", r)
	}
	calls := w.fake.Calls()
	if i := slices.IndexFunc(calls, func(c awsfake.Call) bool { return c.Operation == awsfake.OpPutResourcePolicy }); i < 0 ||
		calls[i].ErrorType != "ResourcePolicyConflictException" {
		t.Fatalf("calls %+v: want the put to be rejected as a conflict", calls)
	}
	if got := w.fake.Policies(w.api.ARN); len(got) != 1 || got[0].Document != theirs {
		t.Fatalf("the other writer's policy was overwritten: %+v", got)
	}
	if n := w.fake.Count(awsfake.OpPutResourcePolicy); n != 1 {
		t.Fatalf("%d puts: a conflict must not be retried", n)
	}
}

// TestApplyFailingTarget: a target that fails the checks is never sent; without --atomic the
// others are applied, with --atomic nothing is.
func TestApplyFailingTarget(t *testing.T) {
	setup := func(t *testing.T) (*world, string) {
		w := newWorld(t)
		return w, w.manifest("ssmpolicy.yaml",
			w.dbEntry(),
			entry{arn: w.cfg.ARN, tier: "Advanced", typ: "String", policyFile: "cfg.json", policy: badPolicy(w.cfg.ARN)})
	}
	t.Run("others applied", func(t *testing.T) {
		w, m := setup(t)
		r := w.run("apply", "--yes", m)
		if r.code != ExitFindings {
			t.Fatalf("want exit 1:\n%s", r)
		}
		if len(w.fake.Policies(w.db.ARN)) != 1 || len(w.fake.Policies(w.cfg.ARN)) != 0 {
			t.Fatalf("want db applied and cfg not:\n%s", r)
		}
		for _, c := range w.fake.Calls() {
			if strings.Contains(c.Body, w.cfg.ARN) {
				t.Fatalf("a call named the failing target: %+v", c)
			}
		}
		if !strings.Contains(r.stdout, "refused    "+w.cfg.ARN+"  (ssmpolicy.yaml:8)  failed the checks: 1 finding at or above security-warning") ||
			!strings.Contains(r.stderr, "1 target failed the checks: nothing was sent for it") {
			t.Fatalf("output:\n%s", r)
		}
	})
	t.Run("atomic", func(t *testing.T) {
		w, m := setup(t)
		r := w.run("apply", "--yes", "--atomic", m)
		if r.code != ExitFindings || w.fake.Count(awsfake.OpPutResourcePolicy) != 0 || len(w.fake.Policies(w.db.ARN)) != 0 {
			t.Fatalf("want exit 1 and nothing sent:\n%s", r)
		}
		if !strings.Contains(r.stdout, "--atomic: nothing was sent, because 1 target failed the checks.") {
			t.Fatalf("output:\n%s", r)
		}
		out := decodeApply(t, w.run("apply", "--yes", "--atomic", "-o", "json", m))
		if out.Summary.ExitCode != ExitFindings || out.Summary.Applied != 0 || out.Results[0].Action != apply.Skipped ||
			out.Results[0].Error != "not sent: --atomic, and 1 target failed the checks" || out.Results[1].Action != apply.Refused {
			t.Fatalf("json: %+v", out)
		}
	})
	t.Run("atomic and a refusal", func(t *testing.T) {
		w := newWorld(t)
		w.write("api.json", sharePolicy(w.api.ARN))
		// A recorded PolicyId the resource does not have: the plan refuses rather than guess.
		m := w.write("ssmpolicy.yaml", fmt.Sprintf("resources:\n  - arn: %s\n    policy: db.json\n  - arn: %s\n    policyId: 00000000-gone\n    policy: api.json\n",
			w.db.ARN, w.api.ARN))
		w.write("db.json", sharePolicy(w.db.ARN))
		r := w.run("apply", "--yes", "--atomic", m)
		if r.code != ExitError || w.fake.Count(awsfake.OpPutResourcePolicy) != 0 ||
			!strings.Contains(r.stdout, "the recorded PolicyId 00000000-gone is not on the resource") ||
			!strings.Contains(r.stdout, "--atomic: nothing was sent, because 1 target could not be planned.") {
			t.Fatalf("want exit 2 and nothing sent:\n%s", r)
		}
	})
}

// TestApplyDryRun: the plan says what is granted and revoked, and nothing is written.
func TestApplyDryRun(t *testing.T) {
	w := newWorld(t)
	seed, err := w.fake.AddPolicy(w.api.ARN, compact(t, sharePolicy(w.api.ARN, "999988887777")))
	if err != nil {
		t.Fatal(err)
	}
	m := w.manifest("ssmpolicy.yaml", w.dbEntry(), w.apiEntry(sharePolicy(w.api.ARN)))
	r := w.run("apply", "--dry-run", m)
	if r.code != 0 {
		t.Fatalf("dry run:\n%s", r)
	}
	for _, want := range []string{
		"create     " + w.db.ARN + "  (ssmpolicy.yaml:2)  + account 444455556666  + action ssm:DescribeParameters  + action ssm:GetParameter  + action ssm:GetParameters  + resource " + w.db.ARN,
		"update     " + w.api.ARN + "  (ssmpolicy.yaml:8)  + account 444455556666  - account 999988887777\n",
		"Plan: 1 to create, 1 to update, 0 unchanged.",
		"Dry run: nothing was sent.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "created") || strings.Contains(r.stdout, "Applied") {
		t.Fatalf("a dry run reports results:\n%s", r)
	}

	out := decodeApply(t, w.run("apply", "--dry-run", "-o", "json", m))
	if !out.DryRun || len(out.Plan) != 2 || len(out.Results) != 0 || out.Summary.ExitCode != 0 {
		t.Fatalf("json: %+v", out)
	}
	up := out.Plan[1]
	if up.Action != apply.Update || up.PolicyID != seed.ID || up.PolicyHash != seed.Hash ||
		!slices.Equal(up.Added.Principals, []string{partner}) || !slices.Equal(up.Removed.Principals, []string{"999988887777"}) {
		t.Fatalf("json plan entry %+v", up)
	}
	if n := w.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("a dry run made %d PutResourcePolicy calls", n)
	}
	if got := w.fake.Policies(w.api.ARN); got[0].Hash != seed.Hash {
		t.Fatal("a dry run changed a policy")
	}
}

// TestApplyConfirmation: without a terminal --yes is required; on a terminal the plan is shown
// and only "y" applies.
func TestApplyConfirmation(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())

	r := w.run("apply", m)
	if r.code != ExitError || !strings.Contains(r.stderr, "pass --yes") || w.fake.Count(awsfake.AnyOperation) != 0 {
		t.Fatalf("no terminal, no --yes: want exit 2 before any call:\n%s", r)
	}
	r = w.runWith(runOpts{stdin: sharePolicy(w.db.ARN), terminal: true}, "apply", "--resource-arn", w.db.ARN, "-")
	if r.code != ExitError || !strings.Contains(r.stderr, "pass --yes") {
		t.Fatalf("policy on stdin, no --yes:\n%s", r)
	}

	for _, answer := range []string{"n\n", "\n", "", "nope\n"} {
		r = w.runWith(runOpts{stdin: answer, terminal: true}, "apply", m)
		if r.code != ExitError || !strings.Contains(r.stdout, "Plan: 1 to create") ||
			!strings.Contains(r.stdout, "Apply 1 change? [y/N] ") || !strings.Contains(r.stdout, "Not confirmed: nothing was sent.") {
			t.Fatalf("answer %q:\n%s", answer, r)
		}
	}
	if n := w.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("%d writes without a yes", n)
	}

	// -o json: the plan and the question go to stderr, the report stays one JSON object.
	r = w.runWith(runOpts{stdin: "no\n", terminal: true}, "apply", "-o", "json", m)
	out := decodeApply(t, r)
	if r.code != ExitError || !strings.Contains(r.stderr, "Apply 1 change? [y/N]") || !strings.Contains(r.stderr, "create     "+w.db.ARN) ||
		out.Results[0].Action != apply.Skipped || out.Results[0].Error != "not sent: not confirmed" {
		t.Fatalf("json, declined:\n%s", r)
	}

	r = w.runWith(runOpts{stdin: "y\n", terminal: true}, "apply", m)
	if r.code != 0 || !strings.Contains(r.stdout, "created    "+w.db.ARN) || w.fake.Count(awsfake.OpPutResourcePolicy) != 1 {
		t.Fatalf("answer y:\n%s", r)
	}
	// Nothing to change: no question.
	r = w.runWith(runOpts{terminal: true}, "apply", m)
	if r.code != 0 || strings.Contains(r.stdout, "[y/N]") || !strings.Contains(r.stdout, "unchanged  "+w.db.ARN) {
		t.Fatalf("nothing to change:\n%s", r)
	}
}

// TestApplyThrottlingRetried: throttled reads and writes are retried by the SDK and succeed.
func TestApplyThrottlingRetried(t *testing.T) {
	w := newWorld(t)
	w.fake.Throttle(awsfake.OpGetResourcePolicies, 1)
	w.fake.Throttle(awsfake.OpPutResourcePolicy, 2)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())
	r := w.run("apply", "--yes", m)
	if r.code != 0 || len(w.fake.Policies(w.db.ARN)) != 1 {
		t.Fatalf("apply through throttling:\n%s", r)
	}
	if n, ok := w.fake.Count(awsfake.OpPutResourcePolicy), w.fake.CountOK(awsfake.OpPutResourcePolicy); n != 3 || ok != 1 {
		t.Fatalf("%d puts, %d accepted: want 2 throttled then 1", n, ok)
	}
	if n := w.fake.Count(awsfake.OpGetResourcePolicies); n != 3 {
		t.Fatalf("%d reads, want 1 throttled then 1, and 1 after the create", n)
	}
}

// TestApplyRefusals: targets apply cannot send, though they pass the checks, are refused with
// the reason; the exit code is 2.
func TestApplyRefusals(t *testing.T) {
	w := newWorld(t)
	// A raw policy with no ARN: context-missing is only a warning, but there is nothing to send to.
	p := w.write("raw.json", sharePolicy(w.db.ARN))
	r := w.run("apply", "--yes", p)
	if r.code != ExitError || !strings.Contains(r.stdout, "refused    ") ||
		!strings.Contains(r.stdout, "refused    raw.json:1  no resource ARN: give it in a manifest or with --resource-arn") ||
		!strings.Contains(r.stderr, "1 target was refused") {
		t.Fatalf("no ARN:\n%s", r)
	}

	// A template's policy is CloudFormation's to apply.
	tpl := w.write("stack.yaml", fmt.Sprintf(`AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Share:
    Type: AWS::SSM::ResourcePolicy
    Properties:
      ResourceArn: %s
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: ["%s"]}
            Action: [ssm:DescribeParameters, ssm:GetParameter, ssm:GetParameters]
            Resource: %s
`, w.api.ARN, partner, w.api.ARN))
	r = w.run("apply", "--yes", tpl)
	if r.code != ExitError || !strings.Contains(r.stdout, "declared in a CloudFormation template: CloudFormation applies it") {
		t.Fatalf("template:\n%s", r)
	}

	if n := w.fake.Count(awsfake.OpPutResourcePolicy); n != 0 {
		t.Fatalf("%d writes for refused targets", n)
	}

	// An ARN with no region, and no region configured: refused before any call.
	os.Unsetenv("AWS_REGION")
	noRegion := "arn:aws:ssm::" + awsfake.DefaultAccount + ":opsitemgroup/default"
	m := w.manifest("noregion.yaml", entry{arn: noRegion, policyFile: "ops.json", policy: sharePolicy(noRegion)})
	w.fake.ResetCalls()
	r = w.run("apply", "--yes", "--fail-on", "error", "--disable", "action-unsupported", "--disable", "resource-format", "--disable", "resource-mismatch", m)
	if r.code != ExitError || !strings.Contains(r.stdout, "the ARN names no region and no default region is set") || w.fake.Count(awsfake.AnyOperation) != 0 {
		t.Fatalf("no region:\n%s", r)
	}
	t.Setenv("AWS_REGION", awsfake.DefaultRegion)
}

// TestApplyRegions: each target goes to the region its ARN names, in one run, with no --region.
func TestApplyRegions(t *testing.T) {
	w := newWorld(t)
	os.Unsetenv("AWS_REGION")
	euStore := w.fake.At(awsfake.DefaultAccount, "eu-west-1")
	eu, err := euStore.AddParameter(awsfake.Parameter{Name: "/app/eu", Tier: awsfake.TierAdvanced, Value: "v"})
	if err != nil {
		t.Fatal(err)
	}
	m := w.manifest("ssmpolicy.yaml", w.dbEntry(), entry{arn: eu.ARN, tier: "Advanced", typ: "String", policyFile: "eu.json", policy: sharePolicy(eu.ARN)})
	r := w.run("apply", "--yes", m)
	if r.code != 0 || len(w.fake.Policies(w.db.ARN)) != 1 || len(euStore.Policies(eu.ARN)) != 1 {
		t.Fatalf("two regions:\n%s", r)
	}
}

// TestApplyInterrupted: Ctrl-C during the first write lets it finish, sends nothing more, and
// the report says which was applied.
func TestApplyInterrupted(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry(), w.apiEntry(sharePolicy(w.api.ARN)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.fake.BeforeWrite(1, cancel)
	r := w.runWith(runOpts{ctx: ctx}, "apply", "--yes", m)
	if r.code != ExitError || w.fake.Count(awsfake.OpPutResourcePolicy) != 1 || len(w.fake.Policies(w.db.ARN)) != 1 {
		t.Fatalf("want the first write only, exit 2:\n%s", r)
	}
	for _, want := range []string{
		"created    " + w.db.ARN,
		"skipped    " + w.api.ARN + "  (ssmpolicy.yaml:8)  not sent: interrupted",
		"Interrupted: 1 change was applied before the interrupt (listed above); those marked skipped were not sent.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, r)
		}
	}
}

// TestApplyLive: with --live the checks use AWS's facts, and a target they fail is not sent.
func TestApplyLive(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml",
		entry{arn: w.db.ARN, policyFile: "db.json", policy: sharePolicy(w.db.ARN)},
		entry{arn: w.web.ARN, tier: "Advanced", typ: "String", policyFile: "web.json", policy: sharePolicy(w.web.ARN)})
	r := w.run("apply", "--live", "--yes", m)
	if r.code != ExitFindings || len(w.fake.Policies(w.db.ARN)) != 1 || len(w.fake.Policies(w.web.ARN)) != 0 {
		t.Fatalf("want db applied, web (Standard in AWS) refused:\n%s", r)
	}
	if !strings.Contains(r.stdout, "error parameter-tier") || !strings.Contains(r.stdout, "warning context-mismatch: the manifest says tier Advanced, AWS says Standard") ||
		!strings.Contains(r.stdout, "refused    "+w.web.ARN+"  (ssmpolicy.yaml:4)  failed the checks: 1 finding at or above security-warning") {
		t.Fatalf("output:\n%s", r)
	}
}

// TestApplyJSON: -o json writes one object with the findings, the plan, the results and a
// summary; -o sarif keeps stdout for SARIF and puts the plan and results on stderr.
func TestApplyJSON(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())
	r := w.run("apply", "--yes", "-o", "json", m)
	out := decodeApply(t, r)
	stored := w.fake.Policies(w.db.ARN)
	if r.code != 0 || r.stderr != "" || out.Version != 1 || out.DryRun || len(out.Findings) != 0 || len(stored) != 1 {
		t.Fatalf("json:\n%s", r)
	}
	if len(out.Plan) != 1 || out.Plan[0].Action != apply.Create || out.Plan[0].Label != "ssmpolicy.yaml:2" ||
		len(out.Results) != 1 || out.Results[0].Action != apply.Create || out.Results[0].PolicyID != stored[0].ID || out.Results[0].PolicyHash != stored[0].Hash {
		t.Fatalf("plan %+v results %+v", out.Plan, out.Results)
	}
	s := out.Summary
	if s.Targets != 1 || s.Plan.Create != 1 || s.Results.Create != 1 || s.Applied != 1 || s.Interrupted || s.ExitCode != 0 {
		t.Fatalf("summary %+v", s)
	}
	// The keys scripts read, by name.
	var raw map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "dryRun", "findings", "suppressed", "plan", "results", "summary"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in the JSON report", k)
		}
	}
	sum := raw["summary"].(map[string]any)
	for _, k := range []string{"files", "targets", "findings", "error", "security-warning", "plan", "results", "applied", "interrupted", "exitCode"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("no %q in the JSON summary", k)
		}
	}

	m = w.manifest("two.yaml", w.dbEntry(), w.apiEntry(sharePolicy(w.api.ARN)))
	r = w.run("apply", "--yes", "-o", "sarif", m)
	var sarif struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil || sarif.Version != "2.1.0" || r.code != 0 {
		t.Fatalf("sarif on stdout: %v\n%s", err, r)
	}
	for _, want := range []string{"no change  " + w.db.ARN, "create     " + w.api.ARN, "created    " + w.api.ARN, "Applied 1 of 1 changes"} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("stderr lacks %q:\n%s", want, r)
		}
	}
}

// TestApplyDebug: --debug traces the writes too.
func TestApplyDebug(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())
	r := w.run("apply", "--yes", "--debug", m)
	for _, want := range []string{"aws: SSM GetResourcePolicies ok in ", "aws:   SSM PutResourcePolicy attempt: HTTP 200 in ", "aws: SSM PutResourcePolicy ok in "} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("stderr lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stderr, "Statement") || strings.Contains(r.stderr, partner) {
		t.Fatalf("--debug printed the policy:\n%s", r.stderr)
	}
}

// TestNoSecretsInAnyOutput runs every kind of run — checks, lookups, dry runs, applies,
// conflicts, failures, JSON, SARIF, --debug — and greps everything they printed for the seeded
// SecureString values and the fake secret access key. (Every run is checked on its own too.)
func TestNoSecretsInAnyOutput(t *testing.T) {
	w := newWorld(t)
	m := w.manifest("ssmpolicy.yaml",
		w.dbEntry(),
		entry{arn: w.legacy.ARN, policyFile: "legacy.json", policy: sharePolicy(w.legacy.ARN)},
		entry{arn: w.cfg.ARN, tier: "Advanced", typ: "String", policyFile: "cfg.json", policy: badPolicy(w.cfg.ARN)})
	runs := [][]string{
		{"check", "--live", "--debug", m},
		{"check", "--live", "-o", "json", m},
		{"check", "--live", "-o", "sarif", m},
		{"apply", "--live", "--dry-run", "--debug", m},
		{"apply", "--live", "--yes", "--debug", m},
		{"apply", "--live", "--yes", "-o", "json", "--debug", m},
		{"apply", "--yes", "-o", "markdown", m},
		{"apply", m},
	}
	for _, args := range runs {
		w.run(args...)
	}
	// A conflict and a failing lookup.
	id := w.fake.Policies(w.db.ARN)[0].ID
	w.fake.BeforeWrite(1, func() { _, _ = w.fake.WritePolicy(w.db.ARN, id, compact(t, sharePolicy(w.db.ARN, "777766665555"))) })
	w.manifest("db2.yaml", entry{arn: w.db.ARN, policyFile: "db2.json", policy: sharePolicy(w.db.ARN, "222233334444")})
	w.run("apply", "--yes", "--debug", "db2.yaml")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	w.fake.FailInternal(awsfake.AnyOperation, 10)
	w.run("apply", "--live", "--yes", "--debug", m)

	all := w.out.String()
	assertNoSecrets(t, all)
	// The assertion is only worth something if the runs did print: lookups, results, errors.
	for _, want := range []string{"alias/app-secrets", "created    ", "another writer", "InternalServerError", "aws: KMS DescribeKey"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the runs never printed %q: the test does not cover what it should\n%s", want, all)
		}
	}
}

// TestApplyExitCodes: apply's outcome speaks the command line's exit codes.
func TestApplyExitCodes(t *testing.T) {
	if apply.ExitOK != ExitOK || apply.ExitFindings != ExitFindings || apply.ExitError != ExitError {
		t.Fatalf("apply's exit codes %d/%d/%d differ from the command line's %d/%d/%d",
			apply.ExitOK, apply.ExitFindings, apply.ExitError, ExitOK, ExitFindings, ExitError)
	}
}
