package awsfake

import (
	"net/http"
	"time"
)

type faultKind int

const (
	faultThrottle faultKind = iota
	faultInternal
	faultDelay
)

// fault applies to the next `remaining` calls of op (AnyOperation: of all).
type fault struct {
	kind      faultKind
	op        string
	remaining int
	delay     time.Duration
}

type writeHook struct {
	at int // value of Server.writes before which fn runs
	fn func()
}

// Throttle makes the next n calls of op fail with ThrottlingException (HTTP
// 400), which the SDK's standard retryer retries with backoff.
func (s *Server) Throttle(op string, n int) {
	s.addFault(&fault{kind: faultThrottle, op: op, remaining: n})
}

// FailInternal makes the next n calls of op fail with InternalServerError
// (HTTP 500), which the SDK retries like any 5xx.
func (s *Server) FailInternal(op string, n int) {
	s.addFault(&fault{kind: faultInternal, op: op, remaining: n})
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

// BeforeWrite runs fn just before the server processes the nth write
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

// ClearFaults removes every pending fault and write hook.
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

// takeFaultsLocked consumes the faults that apply to this call of op: the
// total delay and at most one error (throttling before internal error, in the
// order they were registered).
func (s *Server) takeFaultsLocked(op string) (delay time.Duration, err *apiError) {
	kept := s.faults[:0]
	for _, f := range s.faults {
		if f.op != AnyOperation && f.op != op {
			kept = append(kept, f)
			continue
		}
		used := true
		switch f.kind {
		case faultDelay:
			delay += f.delay
		case faultThrottle:
			if err == nil {
				err = &apiError{status: http.StatusBadRequest, typ: "ThrottlingException", msg: "Rate exceeded"}
			} else {
				used = false
			}
		case faultInternal:
			if err == nil {
				err = &apiError{status: http.StatusInternalServerError, typ: "InternalServerError", msg: "An internal error occurred (injected)"}
			} else {
				used = false
			}
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

// injectFaults applies delays and injected errors for one call.
func (s *Server) injectFaults(r *http.Request, op string) *apiError {
	s.mu.Lock()
	delay, err := s.takeFaultsLocked(op)
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
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
