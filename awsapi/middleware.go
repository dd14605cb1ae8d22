package awsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TimeoutError reports a call that got no answer within its time limit.
type TimeoutError struct {
	Operation string // "SSM PutResourcePolicy"
	Limit     time.Duration
	Err       error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: no answer within %s", e.Operation, e.Limit)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// callMiddleware returns the stack options every client of a profile gets: one middleware
// around the whole call (time limit, then trace), outside the retries so that the limit covers
// them all, and, when tracing, one on each HTTP attempt.
func callMiddleware(limit time.Duration, tr *tracer, sec *secrets) []func(*middleware.Stack) error {
	opts := []func(*middleware.Stack) error{func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("ssmpolicy.call",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				out, md, err := call(ctx, limit, tr, in, next)
				if err != nil {
					err = &redactedError{err: err, secrets: sec}
				}
				return out, md, err
			}), middleware.Before)
	}}
	if tr != nil {
		// Last in the deserialize step, next to the HTTP client: it sees each attempt's raw
		// response, retries included, before any error is made of it.
		opts = append(opts, func(s *middleware.Stack) error {
			return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("ssmpolicy.attempt",
				func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
					start := time.Now()
					out, md, err := next.HandleDeserialize(ctx, in)
					tr.attempt(ctx, out.RawResponse, err, time.Since(start))
					return out, md, err
				}), middleware.After)
		})
	}
	return opts
}

// call runs one operation under a deadline of limit, turns that deadline (but not the caller's
// own cancellation or deadline) into a TimeoutError, and traces the outcome.
func call(ctx context.Context, limit time.Duration, tr *tracer, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	service, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
	var attempts *atomic.Int32
	if tr != nil {
		attempts = new(atomic.Int32)
		ctx = context.WithValue(ctx, attemptsKey{}, attempts)
	}
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, limit)
	out, md, err := next.HandleInitialize(cctx, in)
	cancel()
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		err = &TimeoutError{Operation: service + " " + op, Limit: limit, Err: err}
	}
	if tr != nil {
		tr.call(service, op, err, attempts.Load(), time.Since(start))
	}
	return out, md, err
}

type attemptsKey struct{}

// tracer prints one line per HTTP attempt and one per operation for --debug: service,
// operation, status, duration. Nothing else of the request or response is printed, so no
// header, body, credential or parameter value can leak through it.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
}

func newTracer(w io.Writer) *tracer {
	if w == nil {
		return nil
	}
	return &tracer{w: w}
}

func (t *tracer) printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "aws: "+format+"\n", args...)
}

func (t *tracer) call(service, op string, err error, attempts int32, d time.Duration) {
	status := "ok"
	if err != nil {
		var ae smithy.APIError
		var te *TimeoutError
		switch {
		case errors.As(err, &ae):
			status = "failed: " + ae.ErrorCode()
		case errors.Is(err, context.Canceled):
			status = "failed: interrupted"
		case errors.As(err, &te):
			status = "failed: timeout"
		default:
			status = "failed"
		}
	}
	unit := "attempts"
	if attempts == 1 {
		unit = "attempt"
	}
	t.printf("%s %s %s in %s (%d %s)", service, op, status, d.Round(time.Millisecond), attempts, unit)
}

func (t *tracer) attempt(ctx context.Context, raw any, err error, d time.Duration) {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	service, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
	resp, ok := raw.(*smithyhttp.Response)
	if err != nil || !ok || resp == nil {
		t.printf("  %s %s attempt: no response in %s", service, op, d.Round(time.Millisecond))
		return
	}
	t.printf("  %s %s attempt: HTTP %d in %s", service, op, resp.StatusCode, d.Round(time.Millisecond))
}
