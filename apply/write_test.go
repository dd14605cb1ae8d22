package apply_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/finding"
)

// TestConcurrentCreate: another apply creates the same policy between this run's read and its
// create. The run sees two identical policies, keeps one, deletes the other, says so and exits 2.
func TestConcurrentCreate(t *testing.T) {
	e := setup(t)
	doc := policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter")
	e.fake.BeforeWrite(1, func() {
		if _, err := e.fake.AddPolicy(e.db.ARN, doc); err != nil {
			t.Error(err)
		}
	})
	o := run(t, runner(e), &finding.Report{}, targets(t, e.db.ARN))
	stored := e.fake.Policies(e.db.ARN)
	res := o.Results[0]
	if len(stored) != 1 || res.Action != apply.Create || res.Failure != apply.FailedRace || res.PolicyID != stored[0].ID ||
		!strings.Contains(res.Error, "another writer created an identical policy at the same time; kept PolicyId "+stored[0].ID+" and deleted the duplicate") {
		t.Fatalf("stored %+v, result %+v", stored, res)
	}
	if o.ExitCode() != apply.ExitError || o.Races() != 1 || !strings.Contains(strings.Join(o.Notes, "|"), "Another writer created the same policy at the same time") {
		t.Fatalf("exit %d, %d races, notes %q", o.ExitCode(), o.Races(), o.Notes)
	}
	if n := e.fake.Count(awsfake.OpDeleteResourcePolicy); n != 1 {
		t.Fatalf("%d deletes, want 1", n)
	}
	if text := render(t, nil, o.Results); !strings.Contains(text, "created    "+e.db.ARN) || !strings.Contains(text, "but: another writer created an identical policy") {
		t.Fatalf("results text:\n%s", text)
	}
}

// TestTwoAppliesAtOnce: two runs plan (both read "no policy") and send at the same time; however
// they interleave, one policy is left, and at least one of them says it met the other.
func TestTwoAppliesAtOnce(t *testing.T) {
	for i := 0; i < 5; i++ {
		e := setup(t)
		var outcomes [2]*apply.Outcome
		for j := range outcomes {
			outcomes[j] = runner(e).Plan(context.Background(), &finding.Report{}, targets(t, e.db.ARN))
		}
		var wg sync.WaitGroup
		for j := range outcomes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := runner(e).Send(context.Background(), outcomes[j]); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := len(e.fake.Policies(e.db.ARN)); n != 1 {
			t.Fatalf("round %d: %d policies left, want 1", i, n)
		}
		if outcomes[0].Races()+outcomes[1].Races() == 0 {
			t.Fatalf("round %d: neither run noticed the other: %+v %+v", i, outcomes[0].Results, outcomes[1].Results)
		}
	}
}

// TestAmbiguousWrites: a write whose outcome is unknown is settled by reading the policies again.
func TestAmbiguousWrites(t *testing.T) {
	seeded := func(t *testing.T) (*env, *apply.Plan) {
		e := setup(t)
		if _, err := e.fake.AddPolicy(e.db.ARN, policy(e.db.ARN, []string{"222233334444"}, "ssm:GetParameter")); err != nil {
			t.Fatal(err)
		}
		p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter"))})
		if p.Changes[0].Action != apply.Update {
			t.Fatalf("plan %+v", p.Changes[0])
		}
		return e, p
	}

	t.Run("update applied, answer lost", func(t *testing.T) {
		e, p := seeded(t)
		e.fake.DropAfterWrite(awsfake.OpPutResourcePolicy, 1)
		r := execute(t, e, p)[0]
		stored := e.fake.Policies(e.db.ARN)
		if r.Action != apply.Update || r.Failure != apply.NotFailed || !strings.Contains(r.Note, "the answer was lost") ||
			len(stored) != 1 || r.PolicyHash != stored[0].Hash || e.fake.Count(awsfake.OpPutResourcePolicy) != 1 {
			t.Fatalf("result %+v, stored %+v", r, stored)
		}
	})
	t.Run("update not applied", func(t *testing.T) {
		e, p := seeded(t)
		e.fake.FailInternal(awsfake.OpPutResourcePolicy, 1)
		r := execute(t, e, p)[0]
		if r.Action != apply.Update || e.fake.Count(awsfake.OpPutResourcePolicy) != 2 || len(e.fake.Policies(e.db.ARN)) != 1 {
			t.Fatalf("result %+v after %d puts", r, e.fake.Count(awsfake.OpPutResourcePolicy))
		}
	})
	t.Run("create lost to another writer", func(t *testing.T) {
		e := setup(t)
		p := plan(t, e, apply.Item{ARN: e.db.ARN, Policy: []byte(policy(e.db.ARN, []string{"444455556666"}, "ssm:GetParameter"))})
		theirs := policy(e.db.ARN, []string{"999988887777"}, "ssm:GetParameter")
		if _, err := e.fake.AddPolicy(e.db.ARN, theirs); err != nil {
			t.Fatal(err)
		}
		e.fake.FailInternal(awsfake.OpPutResourcePolicy, 1)
		r := execute(t, e, p)[0]
		stored := e.fake.Policies(e.db.ARN)
		if r.Action != apply.Failed || r.Failure != apply.FailedConflict || !strings.Contains(r.Error, "found another writer's policy where this one would be") ||
			len(stored) != 1 || stored[0].Document != theirs || e.fake.Count(awsfake.OpPutResourcePolicy) != 1 {
			t.Fatalf("result %+v, stored %+v", r, stored)
		}
	})
}

// TestMalformedRetried: MalformedResourcePolicyDocumentException on a policy that passed the
// checks is sent again a bounded number of times, then reported with both of its meanings.
func TestMalformedRetried(t *testing.T) {
	e := setup(t)
	r := runner(e)
	r.Backoff = 5 * time.Millisecond
	e.fake.InjectError(awsfake.OpPutResourcePolicy, "MalformedResourcePolicyDocumentException", 2)
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN))
	if o.Results[0].Action != apply.Create || e.fake.Count(awsfake.OpPutResourcePolicy) != 3 {
		t.Fatalf("result %+v after %d puts", o.Results[0], e.fake.Count(awsfake.OpPutResourcePolicy))
	}
	e.fake.InjectError(awsfake.OpPutResourcePolicy, "MalformedResourcePolicyDocumentException", 10)
	o = run(t, r, &finding.Report{}, targets(t, e.web.ARN))
	res := o.Results[0]
	if res.Action != apply.Failed || !strings.HasPrefix(res.Error, "MalformedResourcePolicyDocumentException: SSM answers this both for a policy document it rejects and for too many policy writes at once") ||
		!strings.Contains(res.Error, "Sent 3 times") || e.fake.Count(awsfake.OpPutResourcePolicy) != 6 {
		t.Fatalf("result %+v after %d puts", res, e.fake.Count(awsfake.OpPutResourcePolicy))
	}
}

// TestCredentialsSaidOnce: credentials AWS refuses fail the first read; the run says so once
// and reads nothing more.
func TestCredentialsSaidOnce(t *testing.T) {
	isolateEnv(t)
	f := awsfake.StartTest(t, awsfake.WithStrictAccessKeys())
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000000")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-known-secret")
	c, err := awsapi.NewClients(context.Background(), awsapi.Options{Region: "us-east-1", EndpointURL: f.URL(), MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.AddParameter(awsfake.Parameter{Name: "/a", Tier: awsfake.TierAdvanced})
	b, _ := f.AddParameter(awsfake.Parameter{Name: "/b", Tier: awsfake.TierAdvanced})
	o := run(t, &apply.Runner{Clients: c, FailOn: finding.SecurityWarning}, &finding.Report{}, targets(t, a.ARN, b.ARN))
	notes := strings.Join(o.Notes, "|")
	if f.Count(awsfake.AnyOperation) != 1 || strings.Count(notes, "UnrecognizedClientException") != 1 ||
		!strings.HasPrefix(notes, "The AWS credentials did not work: UnrecognizedClientException: AWS does not recognise the access key") {
		t.Fatalf("%d calls, notes %q", f.Count(awsfake.AnyOperation), o.Notes)
	}
	if o.Plan.Changes[1].Reason != "not planned: the AWS credentials did not work (see above)" || o.ExitCode() != apply.ExitError ||
		o.Err().Error() != "the AWS credentials did not work: nothing was sent" {
		t.Fatalf("plan %+v, exit %d, %v", o.Plan.Changes, o.ExitCode(), o.Err())
	}
}

// TestExactCounts: a failed read and a failed write are two failures, not three.
func TestExactCounts(t *testing.T) {
	e := setup(t)
	missing := "arn:aws:ssm:us-east-1:111122223333:parameter/app/none"
	e.fake.DenyAccess(awsfake.OpPutResourcePolicy, 1)
	o := run(t, runner(e), &finding.Report{}, targets(t, missing, e.db.ARN))
	if got := actions(o); got != "failed,create -> failed,failed" || o.Err().Error() != "2 changes failed (see the plan and the results)" {
		t.Fatalf("outcome %s, %v", got, o.Err())
	}
	if rep := o.Report(); rep.Summary.Results.Failed != 2 || rep.Summary.Applied != 0 {
		t.Fatalf("summary %+v", rep.Summary)
	}
}

// TestStreamedResults: each result reaches OnResult as it is known, in order, before the run ends.
func TestStreamedResults(t *testing.T) {
	e := setup(t)
	r := runner(e)
	var seen []string
	r.OnResult = func(res apply.Result) {
		seen = append(seen, string(res.Action)+" "+res.ARN)
		if len(seen) == 1 && len(e.fake.Policies(e.web.ARN)) != 0 {
			t.Error("the first result was handed over after the second write")
		}
	}
	o := run(t, r, &finding.Report{}, targets(t, e.db.ARN, e.web.ARN))
	if strings.Join(seen, "|") != "create "+e.db.ARN+"|create "+e.web.ARN || len(o.Results) != 2 {
		t.Fatalf("seen %q", seen)
	}
}

// TestDryRunWording: a dry run says what it would refuse.
func TestDryRunWording(t *testing.T) {
	e := setup(t)
	r := runner(e)
	r.DryRun = true
	ts := targets(t, e.db.ARN, e.web.ARN)
	ts[1].Input.ARN.Known = false
	o := run(t, r, &finding.Report{}, ts)
	if o.ExitCode() != apply.ExitError || o.Err().Error() != "dry run: would refuse 1 target" {
		t.Fatalf("exit %d, %v", o.ExitCode(), o.Err())
	}
	if text := render(t, o.Plan, nil); !strings.Contains(text, "refused    ssmpolicy.yaml:4  no resource ARN") {
		t.Fatalf("a target with no ARN shows its file:\n%s", text)
	}
}
