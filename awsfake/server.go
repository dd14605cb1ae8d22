package awsfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Defaults for the account and region the fake pretends to be.
const (
	DefaultRegion  = "us-east-1"
	DefaultAccount = "111122223333"
)

// Static fake credentials for clients pointed at the server. The secret is
// distinctive so that tests can grep their output for it: it must never
// appear in anything the code under test prints or returns.
const (
	AccessKeyID     = "AKIAAWSFAKE000000000"
	SecretAccessKey = "awsfake-SECRET-access-key/never-print-me/4f1c9e"
)

// MaxPolicyBytes is the documented PutResourcePolicy limit on the policy size.
const MaxPolicyBytes = 1024

// Operation names as they appear in X-Amz-Target (after the service prefix)
// and in the call log.
const (
	OpPutResourcePolicy    = "PutResourcePolicy"
	OpGetResourcePolicies  = "GetResourcePolicies"
	OpDeleteResourcePolicy = "DeleteResourcePolicy"
	OpDescribeParameters   = "DescribeParameters"
	OpDescribeKey          = "DescribeKey"

	// AnyOperation makes a fault apply to every operation.
	AnyOperation = ""
)

const (
	ssmTargetPrefix = "AmazonSSM."
	kmsTargetPrefix = "TrentService."
	contentTypeJSON = "application/x-amz-json-1.1"
	maxRequestBytes = 1 << 20
)

// Server is the fake. The zero value is not usable: create one with New (an
// http.Handler, not listening) or Start / StartTest (listening on 127.0.0.1).
type Server struct {
	region  string
	account string

	mu         sync.Mutex
	seq        uint64                     // source of ids, hashes and request ids
	params     map[string]*parameter      // by name
	keys       map[string]*kmsKey         // by key id
	aliases    map[string]string          // alias name (alias/x) -> key id
	resources  map[string]bool            // extra ARNs that accept policies
	policies   map[string][]*storedPolicy // by resource ARN, in creation order
	faults     []*fault
	hooks      []*writeHook
	writes     int // write calls that reached processing
	calls      []Call
	httpServer *http.Server
	url        string
}

// Option configures a Server.
type Option func(*Server)

// WithRegion sets the region used to build default ARNs (parameters, keys,
// the account's opsitemgroup/default). Default DefaultRegion.
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// WithAccount sets the account used to build default ARNs. Default
// DefaultAccount.
func WithAccount(account string) Option { return func(s *Server) { s.account = account } }

// New returns a fake that is not listening; use it as an http.Handler or call
// Start. The account's AWS managed key for SSM (alias/aws/ssm) exists from
// the start, as it does in any account that has stored a SecureString with
// the default key.
func New(opts ...Option) *Server {
	s := &Server{
		region:    DefaultRegion,
		account:   DefaultAccount,
		params:    map[string]*parameter{},
		keys:      map[string]*kmsKey{},
		aliases:   map[string]string{},
		resources: map[string]bool{},
		policies:  map[string][]*storedPolicy{},
	}
	for _, o := range opts {
		o(s)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.addKeyLocked(Key{KeyID: AWSManagedSSMKeyID, Manager: KeyManagerAWS, Description: "Default key that protects my SSM parameters when no other key is defined"})
	s.aliases[AWSManagedSSMAlias] = k.KeyID
	return s
}

// Start returns a fake listening on an ephemeral port of 127.0.0.1.
func Start(opts ...Option) (*Server, error) {
	s := New(opts...)
	if err := s.Listen(0); err != nil {
		return nil, err
	}
	return s, nil
}

// StartTest starts a fake for a test and closes it when the test ends.
func StartTest(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("awsfake: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Listen starts serving on 127.0.0.1:port (0 picks a free port). The address
// is fixed to the IPv4 loopback on purpose: a test fake must never be
// reachable from another machine.
func (s *Server) Listen(port int) error {
	if port < 0 || port > 65535 {
		return fmt.Errorf("awsfake: invalid port %d", port)
	}
	ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", fmt.Sprint(port)))
	if err != nil {
		return fmt.Errorf("awsfake: listen on 127.0.0.1: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	if s.httpServer != nil {
		s.mu.Unlock()
		_ = ln.Close()
		return errors.New("awsfake: already listening")
	}
	s.httpServer = srv
	s.url = "http://" + ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// URL is the base URL to give clients as BaseEndpoint ("" before Listen).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Region is the region the fake builds default ARNs with.
func (s *Server) Region() string { return s.region }

// Account is the account the fake builds default ARNs with.
func (s *Server) Account() string { return s.account }

// Close stops the server and aborts requests in flight (delayed ones too).
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpServer
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// AWSConfig returns an SDK configuration pointed at the server: its region,
// the static fake credentials, BaseEndpoint, and a standard retryer whose
// backoff is capped at a few milliseconds so retry tests stay fast.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.URL()),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 5 * time.Millisecond })
		},
	}
}

// apiError is an error response in the awsJson1_1 shape.
type apiError struct {
	status int
	typ    string
	msg    string
	extra  map[string]any // additional modeled members (Limit, ParameterNames ...)
}

func (e *apiError) Error() string { return e.typ + ": " + e.msg }

func errBadRequest(typ, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typ, msg: fmt.Sprintf(format, args...)}
}

// opFunc runs one operation on a request body under the server lock.
type opFunc func(s *Server, body []byte) (any, *apiError)

// operation resolves an X-Amz-Target header. A switch rather than a map keeps
// the package free of mutable package-level state.
func operation(target string) (name string, fn opFunc, write bool, ok bool) {
	switch target {
	case ssmTargetPrefix + OpPutResourcePolicy:
		return OpPutResourcePolicy, (*Server).putResourcePolicy, true, true
	case ssmTargetPrefix + OpDeleteResourcePolicy:
		return OpDeleteResourcePolicy, (*Server).deleteResourcePolicy, true, true
	case ssmTargetPrefix + OpGetResourcePolicies:
		return OpGetResourcePolicies, (*Server).getResourcePolicies, false, true
	case ssmTargetPrefix + OpDescribeParameters:
		return OpDescribeParameters, (*Server).describeParameters, false, true
	case kmsTargetPrefix + OpDescribeKey:
		return OpDescribeKey, (*Server).describeKey, false, true
	}
	return "", nil, false, false
}

// ServeHTTP implements the awsJson1_1 endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	name, fn, write, known := operation(target)
	logName := name
	if !known {
		logName = target
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))

	var (
		out    any
		apiErr *apiError
	)
	switch {
	case r.Method != http.MethodPost:
		apiErr = &apiError{status: http.StatusMethodNotAllowed, typ: "UnknownOperationException", msg: "only POST is supported"}
	case readErr != nil:
		apiErr = errBadRequest("SerializationException", "cannot read request body")
	case !strings.HasPrefix(r.Header.Get("Content-Type"), contentTypeJSON):
		apiErr = errBadRequest("SerializationException", "Content-Type must be %s", contentTypeJSON)
	case !known:
		apiErr = errBadRequest("UnknownOperationException", "unknown operation %q", target)
	case !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="):
		// Real clients sign every request; an unsigned one means the client
		// under test was built without credentials.
		apiErr = errBadRequest("MissingAuthenticationTokenException", "request is not signed with SigV4")
	case !json.Valid(body):
		apiErr = errBadRequest("SerializationException", "request body is not JSON")
	default:
		apiErr = s.injectFaults(r, name)
		if apiErr == nil && write {
			s.runWriteHooks()
		}
		if apiErr == nil {
			s.mu.Lock()
			out, apiErr = fn(s, body)
			s.mu.Unlock()
		}
	}

	status := http.StatusOK
	var resp []byte
	if apiErr != nil {
		status = apiErr.status
		m := map[string]any{"__type": apiErr.typ, "Message": apiErr.msg}
		for k, v := range apiErr.extra {
			m[k] = v
		}
		resp, _ = json.Marshal(m)
	} else {
		var err error
		if resp, err = json.Marshal(out); err != nil {
			status = http.StatusInternalServerError
			apiErr = &apiError{status: status, typ: "InternalServerError", msg: "cannot encode response"}
			resp, _ = json.Marshal(map[string]any{"__type": apiErr.typ, "Message": apiErr.msg})
		}
	}

	s.mu.Lock()
	s.seq++
	reqID := s.idLocked("request", s.seq)
	c := Call{Seq: len(s.calls) + 1, Operation: logName, Status: status}
	if known {
		c.Body = s.redactLocked(string(body))
	} else {
		// An unknown operation (PutParameter, say) may carry a secret value:
		// keep it out of the log altogether.
		c.Body = "[not recorded: unknown operation]"
	}
	if apiErr != nil {
		c.ErrorType = apiErr.typ
	}
	s.calls = append(s.calls, c)
	s.mu.Unlock()

	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Amzn-RequestId", reqID)
	w.WriteHeader(status)
	_, _ = w.Write(resp)
}

// idLocked derives a stable, UUID-shaped identifier from a counter, so that
// runs are reproducible but ids still look like AWS ones.
func (s *Server) idLocked(kind string, n uint64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", s.account, kind, n))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// hashLocked returns a fresh PolicyHash: a new one on every write, even when
// the same document is written again, as AWS does.
func (s *Server) hashLocked(document string) string {
	s.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", document, s.seq))
	return hex.EncodeToString(sum[:])
}

// decode reads a request body into v; unknown members are ignored, as a
// forward-compatible service would.
func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return errBadRequest("SerializationException", "cannot decode request: %v", err)
	}
	return nil
}
