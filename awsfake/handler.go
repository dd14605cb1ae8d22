package awsfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// proto is the wire protocol of a request.
type proto int

const (
	protoJSON  proto = iota // awsJson1_1: SSM, KMS
	protoREST               // restJson1: RAM
	protoQuery              // awsQuery: STS
)

// call is one request on its way through the server.
type call struct {
	r       *http.Request
	proto   proto
	service string
	op      string // "" if unknown
	logName string
	fn      opFunc
	write   bool // counts for BeforeWrite
	body    []byte
	form    url.Values // the query string (RAM) or the form (STS)
	id      identity
	st      *store
}

// opFunc runs one operation under the server lock.
type opFunc func(s *Server, c *call) (any, *apiError)

// ServeHTTP answers one call in the protocol the request speaks: an
// X-Amz-Target header means awsJson1_1, a form body means awsQuery, and
// anything else is taken as a RAM REST path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	c := &call{r: r, body: body}
	apiErr := s.route(c, readErr)
	if apiErr == nil {
		c.id, apiErr = s.authenticate(r)
	}
	var (
		out   any
		after faultKind = faultNone
	)
	if apiErr == nil {
		out, apiErr, after = s.process(c)
	}
	if after == faultFailAfter {
		apiErr = errInternal()
	}
	status, resp, headers := s.encode(c, out, apiErr)
	s.record(c, status, apiErr, after == faultDropAfter)
	if after == faultDropAfter {
		dropConnection(w)
		return
	}
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(status)
	_, _ = w.Write(resp)
}

// route finds the protocol and operation of a request and checks its
// envelope.
func (s *Server) route(c *call, readErr error) *apiError {
	r := c.r
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		return s.routeJSON(c, readErr)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		return s.routeQuery(c, readErr)
	default:
		return s.routeREST(c, readErr)
	}
}

const contentTypeJSON = "application/x-amz-json-1.1"

func (s *Server) routeJSON(c *call, readErr error) *apiError {
	c.proto = protoJSON
	target := c.r.Header.Get("X-Amz-Target")
	c.logName = target
	name, fn, write, service, known := jsonOperation(target)
	if known {
		c.op, c.logName, c.fn, c.write, c.service = name, name, fn, write, service
	} else if strings.HasPrefix(target, kmsTargetPrefix) {
		c.service = "kms"
	} else {
		c.service = "ssm"
	}
	switch {
	case c.r.Method != http.MethodPost:
		return &apiError{status: http.StatusMethodNotAllowed, typ: "UnknownOperationException", msg: "only POST is supported"}
	case readErr != nil:
		return errBadRequest("SerializationException", "cannot read request body")
	case !strings.HasPrefix(c.r.Header.Get("Content-Type"), contentTypeJSON):
		return errBadRequest("SerializationException", "Content-Type must be %s", contentTypeJSON)
	case !known:
		return errBadRequest("UnknownOperationException", "unknown operation %q", target)
	case !signed(c.r):
		return errBadRequest("MissingAuthenticationTokenException", "request is not signed with SigV4")
	case !json.Valid(c.body):
		return errBadRequest("SerializationException", "request body is not JSON")
	}
	return nil
}

func (s *Server) routeREST(c *call, readErr error) *apiError {
	c.proto, c.service = protoREST, "ram"
	c.logName = c.r.URL.Path
	c.form = c.r.URL.Query()
	name, fn, known := restOperation(c.r.URL.Path)
	if known {
		c.op, c.logName, c.fn = name, name, fn
	}
	switch {
	case !known:
		return &apiError{status: http.StatusNotFound, typ: "UnknownOperationException", msg: "no operation at " + c.r.URL.Path}
	case c.r.Method != http.MethodPost:
		return &apiError{status: http.StatusMethodNotAllowed, typ: "UnknownOperationException", msg: "only POST is supported"}
	case readErr != nil:
		return errBadRequest("SerializationException", "cannot read request body")
	case !signed(c.r):
		return errBadRequest("MissingAuthenticationTokenException", "request is not signed with SigV4")
	case len(c.body) > 0 && !json.Valid(c.body):
		return errBadRequest("SerializationException", "request body is not JSON")
	}
	return nil
}

func (s *Server) routeQuery(c *call, readErr error) *apiError {
	c.proto, c.service = protoQuery, "sts"
	if readErr != nil {
		return errBadRequest("SerializationException", "cannot read request body")
	}
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		return errBadRequest("MalformedQueryString", "cannot parse the form")
	}
	c.form = form
	action := form.Get("Action")
	c.logName = action
	name, fn, known := queryOperation(action)
	if known {
		c.op, c.logName, c.fn = name, name, fn
	}
	switch {
	case c.r.Method != http.MethodPost:
		return &apiError{status: http.StatusMethodNotAllowed, typ: "UnknownOperationException", msg: "only POST is supported"}
	case !known:
		return errBadRequest("UnknownOperationException", "unknown action %q", action)
	case !signed(c.r):
		return errBadRequest("MissingAuthenticationTokenException", "request is not signed with SigV4")
	}
	return nil
}

func signed(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=")
}

// process applies the rate limit and injected faults, then runs the
// operation. after is the fault that applies to the response of a call that
// succeeded.
func (s *Server) process(c *call) (out any, apiErr *apiError, after faultKind) {
	s.mu.Lock()
	c.st = s.storeLocked(c.id.account, c.id.region)
	allowed := c.st.bucket.take(s.now(), s.rate, s.burst)
	s.mu.Unlock()
	if !allowed {
		return nil, errThrottled(), faultNone
	}
	if apiErr = s.injectFaults(c); apiErr != nil {
		return nil, apiErr, faultNone
	}
	if c.write {
		s.runWriteHooks()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleLocked(c.st)
	out, apiErr = c.fn(s, c)
	if apiErr == nil {
		after = s.takeAfterFaultLocked(c.op)
	}
	return out, apiErr, after
}

// record appends a call to the log.
func (s *Server) record(c *call, status int, apiErr *apiError, dropped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := Call{
		Seq: len(s.calls) + 1, Operation: c.logName, Status: status,
		Service: c.service, Account: c.id.account, Region: c.id.region, Dropped: dropped,
	}
	if dropped {
		e.Status = 0
	}
	if c.proto == protoREST {
		e.Path = c.r.URL.RequestURI()
	}
	switch {
	case c.op == "":
		// An unknown operation (PutParameter, say) may carry a secret value:
		// keep it out of the log altogether.
		e.Body = "[not recorded: unknown operation]"
	default:
		e.Body = s.redactLocked(string(c.body))
	}
	if apiErr != nil {
		_, e.ErrorType = apiErr.wire(c.proto)
	}
	s.calls = append(s.calls, e)
}

// dropConnection closes the client's connection without a response, as a
// network failure after the server acted would.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2, a recorder): abort the response instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
