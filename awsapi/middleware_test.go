package awsapi_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestPerCallTimeout: a response slower than Options.Timeout ends the call with a
// TimeoutError, retries included, for SSM and for KMS.
func TestPerCallTimeout(t *testing.T) {
	e := setup(t, func(o *awsapi.Options) { o.Timeout = 150 * time.Millisecond; o.MaxAttempts = 1 })

	e.fake.Delay(awsfake.OpDescribeParameters, 3*time.Second, 1)
	start := time.Now()
	_, err := awsapi.LookupParameter(context.Background(), e.c.SSM, e.c.KMS, e.db.ARN)
	var te *awsapi.TimeoutError
	if !errors.As(err, &te) || te.Limit != 150*time.Millisecond || te.Operation != "SSM DescribeParameters" ||
		!strings.Contains(err.Error(), "SSM DescribeParameters: no answer within 150ms") || !awsapi.IsTimeout(err) {
		t.Fatalf("lookup: %v, want a TimeoutError", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("lookup took %s with a 150ms limit", d)
	}

	e.fake.Delay(awsfake.OpDescribeKey, 3*time.Second, 1)
	_, err = awsapi.KeyARN(context.Background(), e.c.KMS, "alias/app-secrets")
	if !errors.As(err, &te) || te.Operation != "KMS DescribeKey" {
		t.Fatalf("DescribeKey: %v, want a TimeoutError", err)
	}

	// The caller's own cancellation is not a timeout.
	ctx, cancel := context.WithCancel(context.Background())
	e.fake.Delay(awsfake.OpDescribeParameters, 3*time.Second, 1)
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = awsapi.LookupParameter(ctx, e.c.SSM, e.c.KMS, e.db.ARN)
	if err == nil || errors.As(err, &te) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled lookup: %v, want context.Canceled and no TimeoutError", err)
	}
}

// syncBuffer is a trace writer the SDK's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestTrace: with Options.Trace every call and every HTTP attempt is one line (service,
// operation, status, duration), whatever the outcome, and nothing of the request or response.
func TestTrace(t *testing.T) {
	var trace syncBuffer
	e := setup(t, func(o *awsapi.Options) { o.Trace = &trace; o.Timeout = 150 * time.Millisecond; o.MaxAttempts = 2 })
	ctx := context.Background()

	e.fake.Throttle(awsfake.OpDescribeParameters, 1)
	if _, err := awsapi.LookupParameter(ctx, e.c.SSM, e.c.KMS, e.db.ARN); err != nil {
		t.Fatal(err)
	}
	e.fake.FailInternal(awsfake.OpGetResourcePolicies, 2)
	if _, err := awsapi.ResourcePolicies(ctx, e.c.SSM, e.db.ARN); err == nil {
		t.Fatal("GetResourcePolicies succeeded through 2 injected errors")
	}
	e.fake.Delay(awsfake.OpDescribeKey, 3*time.Second, 2)
	if _, err := awsapi.KeyARN(ctx, e.c.KMS, "alias/app-secrets"); err == nil {
		t.Fatal("DescribeKey succeeded through a delay past the limit")
	}

	got := trace.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^aws:   SSM DescribeParameters attempt: HTTP 400 in [0-9.]+m?s$`),
		regexp.MustCompile(`(?m)^aws:   SSM DescribeParameters attempt: HTTP 200 in [0-9.]+m?s$`),
		regexp.MustCompile(`(?m)^aws: SSM DescribeParameters ok in [0-9.]+m?s \(2 attempts\)$`),
		regexp.MustCompile(`(?m)^aws: KMS DescribeKey ok in [0-9.]+m?s \(1 attempt\)$`),
		regexp.MustCompile(`(?m)^aws:   SSM GetResourcePolicies attempt: HTTP 500 in [0-9.]+m?s$`),
		regexp.MustCompile(`(?m)^aws: SSM GetResourcePolicies failed: InternalServerError in [0-9.]+m?s \(2 attempts\)$`),
		regexp.MustCompile(`(?m)^aws:   KMS DescribeKey attempt: no response in [0-9.]+m?s$`),
		regexp.MustCompile(`(?m)^aws: KMS DescribeKey failed: timeout in [0-9.]+m?s \(1 attempt\)$`),
	} {
		if !want.MatchString(got) {
			t.Errorf("trace lacks a line matching %s", want)
		}
	}
	for _, never := range []string{awsfake.AccessKeyID, "Authorization", "X-Amz", "/app/db", "alias/app-secrets", "{"} {
		if strings.Contains(got, never) {
			t.Errorf("the trace holds %q", never)
		}
	}
	if t.Failed() {
		t.Log(got)
	}

	// Without Options.Trace nothing is written anywhere: the clients of setup have none.
	quiet := setup(t)
	if _, err := awsapi.LookupParameter(ctx, quiet.c.SSM, quiet.c.KMS, quiet.db.ARN); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(trace.String(), "\n"); n != strings.Count(got, "\n") {
		t.Fatalf("clients without a trace wrote %d lines to another's", n-strings.Count(got, "\n"))
	}
}
