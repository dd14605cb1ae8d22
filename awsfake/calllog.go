package awsfake

import (
	"maps"
	"slices"
	"strings"
)

// Call is one HTTP call the server answered.
type Call struct {
	Seq       int    // 1-based, in arrival order of the responses
	Operation string // e.g. "PutResourcePolicy"; the raw target, path or action if unknown
	Body      string // the request body, secrets redacted
	Status    int    // HTTP status of the response; 0 when the connection was dropped
	ErrorType string // error code of an error response, "" on success

	Service string // "ssm", "kms", "ram" or "sts"
	Account string // the caller's account, from its access key ("" if unsigned)
	Region  string // the region of the SigV4 credential scope
	Path    string // URL path and query of a RAM call ("" for the others)
	// Dropped is set when the call was processed and its response then
	// withheld by DropAfterWrite: the client saw a closed connection.
	Dropped bool
}

// Calls returns the call log.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Count returns how many calls of op were answered, failed ones and SDK
// retries included (AnyOperation: all calls).
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if op == AnyOperation || c.Operation == op {
			n++
		}
	}
	return n
}

// CountOK is Count restricted to calls that succeeded (a dropped response
// counts: the call was processed).
func (s *Server) CountOK(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (op == AnyOperation || c.Operation == op) && c.ErrorType == "" {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// redactLocked removes seeded secret values and the credentials the fake
// issued from text bound for the call log. The operations the fake
// implements never carry them, so this is defence in depth.
func (s *Server) redactLocked(text string) string {
	if len(s.secrets) == 0 {
		return text
	}
	if s.redactor == nil {
		// Longest first, so that a secret that contains another is
		// replaced whole.
		values := slices.Collect(maps.Keys(s.secrets))
		slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
		pairs := make([]string, 0, 2*len(values))
		for _, v := range values {
			pairs = append(pairs, v, "[REDACTED]")
		}
		s.redactor = strings.NewReplacer(pairs...)
	}
	return s.redactor.Replace(text)
}

func (s *Server) addSecretLocked(v string) {
	if v != "" && !s.secrets[v] {
		s.secrets[v] = true
		s.redactor = nil
	}
}
