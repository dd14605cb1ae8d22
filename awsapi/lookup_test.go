package awsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestLookupAsksOnce: many workers asking about one parameter and one key at once, and again
// later, make one call each; a failed answer is kept too.
func TestLookupAsksOnce(t *testing.T) {
	e := setup(t)
	l := awsapi.NewLookup(e.c)
	ctx := context.Background()
	// A slow answer, so that the workers' questions overlap.
	e.fake.Delay(awsfake.OpDescribeParameters, 100*time.Millisecond, 1)

	var wg sync.WaitGroup
	facts := make([]awsapi.Facts, 8)
	keys := make([]string, 8)
	errs := make([]error, 16)
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			facts[i], errs[i] = l.Parameter(ctx, e.web.ARN)
		}()
		go func() {
			defer wg.Done()
			keys[i], errs[8+i] = l.KeyARN(ctx, "1234abcd-12ab-34cd-56ef-1234567890ab")
		}()
	}
	wg.Wait()
	for i := range 8 {
		if errs[i] != nil || errs[8+i] != nil || facts[i] != facts[0] || !facts[i].Exists || keys[i] != facts[0].KeyARN {
			t.Fatalf("worker %d: %+v %q %v %v, want the same facts and key ARN as every other", i, facts[i], keys[i], errs[i], errs[8+i])
		}
	}
	if _, err := l.Parameter(ctx, e.web.ARN); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Count(awsfake.OpDescribeParameters); n != 1 {
		t.Fatalf("%d DescribeParameters for one parameter asked 9 times, want 1", n)
	}
	// One DescribeKey for the parameter's key (inside LookupParameter), one for the key id.
	if n := e.fake.Count(awsfake.OpDescribeKey); n != 2 {
		t.Fatalf("%d DescribeKey, want 2", n)
	}

	// A failure is the answer for the rest of the run, not asked again.
	e.fake.FailInternal(awsfake.OpDescribeParameters, 3)
	_, err1 := l.Parameter(ctx, e.db.ARN)
	e.fake.ClearFaults()
	_, err2 := l.Parameter(ctx, e.db.ARN)
	if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
		t.Fatalf("errors %v and %v, want the same error twice", err1, err2)
	}
	// Another lookup is another run: it asks again.
	if f, err := awsapi.NewLookup(e.c).Parameter(ctx, e.db.ARN); err != nil || !f.Exists {
		t.Fatalf("a new lookup: %+v, %v", f, err)
	}
}

func TestKeyARN(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	want := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, key := range []string{"alias/app-secrets", "1234abcd-12ab-34cd-56ef-1234567890ab", want, "arn:aws:kms:us-east-1:111122223333:alias/app-secrets"} {
		if got, err := awsapi.KeyARN(ctx, e.c.KMS, key); err != nil || got != want {
			t.Errorf("KeyARN(%s) = %q, %v; want %s", key, got, err, want)
		}
	}
	if got, err := awsapi.KeyARN(ctx, e.c.KMS, "alias/none"); err != nil || got != "" {
		t.Errorf("KeyARN of no key = %q, %v; want \"\" and no error", got, err)
	}
	e.fake.FailInternal(awsfake.OpDescribeKey, 3)
	if _, err := awsapi.KeyARN(ctx, e.c.KMS, "alias/app-secrets"); err == nil || !strings.Contains(err.Error(), "describe key alias/app-secrets") {
		t.Errorf("KeyARN through errors: %v, want the key named", err)
	}
}

// TestLookupsNeverPrintSecrets runs every lookup that produces output — facts, errors, as text
// and JSON — and greps all of it for the seeded secret values and the fake secret access key.
func TestLookupsNeverPrintSecrets(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 200 * time.Millisecond; o.MaxAttempts = 2 })
	var out bytes.Buffer
	ctx := context.Background()

	for _, name := range []string{e.db.ARN, e.web.ARN, "/app/db", "/app/none", "arn:aws:ssm:us-east-1:999999999999:parameter/app/db"} {
		facts, err := awsapi.LookupParameter(ctx, e.c.SSM, e.c.KMS, name)
		fmt.Fprintf(&out, "%+v %v\n", facts, err)
		if err != nil {
			fmt.Fprintln(&out, awsapi.Describe(err))
		}
		b, _ := json.Marshal(facts)
		out.Write(b)
	}
	key, err := awsapi.KeyARN(ctx, e.c.KMS, "alias/none")
	fmt.Fprintf(&out, "%q %v\n", key, err)

	e.fake.Delay(awsfake.AnyOperation, time.Second, 0)
	_, err = awsapi.LookupParameter(ctx, e.c.SSM, e.c.KMS, e.db.ARN)
	fmt.Fprintf(&out, "%v\n%s\n", err, awsapi.Describe(err))
	e.fake.ClearFaults()
	for _, c := range e.fake.Calls() {
		fmt.Fprintf(&out, "%+v\n", c)
	}

	s := out.String()
	// The capture must hold the things the secrets would sit next to, or the grep below
	// proves nothing.
	for _, want := range []string{"/app/db", "/app/web", "credentials see", "no answer within", "NotFoundException", "\"arn\":", "KeyManager:AWS"} {
		if !strings.Contains(s, want) {
			t.Errorf("capture lacks %q", want)
		}
	}
	assertNoSecrets(t, s)
}
