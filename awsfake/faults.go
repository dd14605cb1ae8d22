package awsfake

import (
	"fmt"
	"net/http"
	"time"
)

type faultKind int

const (
	faultNone faultKind = iota
	faultThrottle
	faultInternal
	faultDelay
	faultDeny
	faultCode
	faultDropAfter // process, then close the connection
	faultFailAfter // process, then answer 500
)

// fault applies to the next `remaining` calls of op (AnyOperation: of all).
type fault struct {
	kind      faultKind
	op        string
	remaining int
	delay     time.Duration
	code      string // faultCode
}

func (f *fault) after() bool { return f.kind == faultDropAfter || f.kind == faultFailAfter }

type writeHook struct {
	at int // value of Server.writes before which fn runs
	fn func()
}

// Faults apply to calls from every account and region, in each protocol's
// own error shape: awsJson1_1 {"__type": ...}, restJson1 X-Amzn-ErrorType
// header, awsQuery <ErrorResponse>.

// Throttle makes the next n calls of op fail with ThrottlingException (HTTP
// 400; RAM: 429; STS: code Throttling), which the SDK's standard retryer
// retries with backoff.
func (s *Server) Throttle(op string, n int) {
	s.addFault(&fault{kind: faultThrottle, op: op, remaining: n})
}

// FailInternal makes the next n calls of op fail with InternalServerError
// (HTTP 500; RAM: ServerInternalException; STS: InternalFailure), which the
// SDK retries like any 5xx.
func (s *Server) FailInternal(op string, n int) {
	s.addFault(&fault{kind: faultInternal, op: op, remaining: n})
}

// DenyAccess makes the next n calls of op fail as IAM would when the
// caller's policies do not allow the action: AccessDeniedException (HTTP
// 400; RAM: 403; STS: AccessDenied 403), with a message naming the IAM
// action (ssm:PutResourcePolicy, ram:PromoteResourceShareCreatedFromPolicy,
// sts:AssumeRole) and the caller. The SDK does not retry it.
func (s *Server) DenyAccess(op string, n int) {
	s.addFault(&fault{kind: faultDeny, op: op, remaining: n})
}

// InjectError makes the next n calls of op fail with the error code given
// (OperationNotPermittedException, ServiceUnavailableException, ...), at
// its modeled HTTP status (400 unless the code is a known 5xx or 409).
func (s *Server) InjectError(op, code string, n int) {
	s.addFault(&fault{kind: faultCode, op: op, remaining: n, code: code})
}

// DropAfterWrite makes the next n successful calls of op lose their answer:
// the call is processed (a PutResourcePolicy creates its policy, a promotion
// starts) and then the connection is closed without a response. The SDK
// sees a connection error and retries, so a create that is not idempotent
// runs twice. Calls that fail do not use the fault up.
func (s *Server) DropAfterWrite(op string, n int) {
	s.addFault(&fault{kind: faultDropAfter, op: op, remaining: n})
}

// FailAfterWrite is DropAfterWrite with an InternalServerError (HTTP 500)
// for an answer instead of a closed connection.
func (s *Server) FailAfterWrite(op string, n int) {
	s.addFault(&fault{kind: faultFailAfter, op: op, remaining: n})
}

// Delay holds the responses to the next n calls of op for d (n <= 0: every
// call from now on). A delayed request ends early if the client goes away or
// the server closes.
func (s *Server) Delay(op string, d time.Duration, n int) {
	if n <= 0 {
		n = -1
	}
	s.addFault(&fault{kind: faultDelay, op: op, remaining: n, delay: d})
}

// BeforeWrite runs fn just before the server processes the nth SSM write
// (PutResourcePolicy or DeleteResourcePolicy) counted from this call, n >= 1.
// It simulates another writer acting between a client's read and its write:
// fn typically calls WritePolicy. fn runs without the server lock held, so it
// may call any Server method. Writes rejected by an injected fault do not
// count, since they never reach processing.
func (s *Server) BeforeWrite(n int, fn func()) {
	if n < 1 {
		n = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, &writeHook{at: s.writes + n, fn: fn})
}

// ClearFaults removes every pending fault and write hook (not the rate
// limit: see SetRateLimit).
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.hooks = nil
}

func (s *Server) addFault(f *fault) {
	if f.remaining == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// takeFaultsLocked consumes the faults that apply to this call before it is
// processed: the total delay and at most one error (in the order they were
// registered).
func (s *Server) takeFaultsLocked(c *call) (delay time.Duration, err *apiError) {
	kept := s.faults[:0]
	for _, f := range s.faults {
		if f.after() || (f.op != AnyOperation && f.op != c.op) {
			kept = append(kept, f)
			continue
		}
		used := true
		switch {
		case f.kind == faultDelay:
			delay += f.delay
		case err != nil:
			used = false
		default:
			err = injectedError(f, c)
		}
		if used && f.remaining > 0 {
			f.remaining--
		}
		if f.remaining != 0 {
			kept = append(kept, f)
		}
	}
	clear(s.faults[len(kept):])
	s.faults = kept
	return delay, err
}

func injectedError(f *fault, c *call) *apiError {
	switch f.kind {
	case faultThrottle:
		return errThrottled()
	case faultInternal:
		return errInternal()
	case faultDeny:
		action := c.service + ":" + c.op
		return &apiError{status: http.StatusBadRequest, typ: "AccessDeniedException", msg: fmt.Sprintf(
			"User: %s is not authorized to perform: %s because no identity-based policy allows the %s action",
			c.id.arn, action, action)}
	default:
		return &apiError{status: errorStatus(f.code), typ: f.code, msg: "injected " + f.code}
	}
}

// takeAfterFaultLocked consumes the first after-processing fault that
// applies to a call of op that succeeded.
func (s *Server) takeAfterFaultLocked(op string) faultKind {
	for i, f := range s.faults {
		if !f.after() || (f.op != AnyOperation && f.op != op) {
			continue
		}
		kind := f.kind
		if f.remaining > 0 {
			f.remaining--
		}
		if f.remaining == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return kind
	}
	return faultNone
}

// injectFaults applies delays and injected errors for one call.
func (s *Server) injectFaults(c *call) *apiError {
	s.mu.Lock()
	delay, err := s.takeFaultsLocked(c)
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.r.Context().Done():
			return &apiError{status: http.StatusServiceUnavailable, typ: "RequestAborted", msg: "client went away"}
		}
	}
	return err
}

// runWriteHooks counts a write that reached processing and runs the hooks due
// before it, outside the lock.
func (s *Server) runWriteHooks() {
	s.mu.Lock()
	s.writes++
	var due []func()
	kept := s.hooks[:0]
	for _, h := range s.hooks {
		if h.at == s.writes {
			due = append(due, h.fn)
		} else if h.at > s.writes {
			kept = append(kept, h)
		}
	}
	clear(s.hooks[len(kept):])
	s.hooks = kept
	s.mu.Unlock()
	for _, fn := range due {
		fn()
	}
}
