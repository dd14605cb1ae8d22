package apply_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// isolateEnv keeps the developer's AWS setup out of the tests.
func isolateEnv(t *testing.T) { awsfake.Isolate(t) }

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
	return setupWith(t, nil, mutate...)
}

// setupWith is setup with options for the fake (RAM's delays).
func setupWith(t *testing.T, fakeOpts []awsfake.Option, mutate ...func(*awsapi.Options)) *env {
	t.Helper()
	isolateEnv(t)
	// The fake's credentials, from the environment as users give them.
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.SecretAccessKey)
	f := awsfake.StartTest(t, fakeOpts...)
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
	p, err := apply.MakePlan(context.Background(), e.c, items)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func execute(t *testing.T, e *env, p *apply.Plan) []apply.Result {
	t.Helper()
	r, err := apply.Execute(context.Background(), e.c, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
