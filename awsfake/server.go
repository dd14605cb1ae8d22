package awsfake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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

// Operation names as they appear in X-Amz-Target (after the service prefix),
// in RAM's REST paths (lower-cased) and STS's Action parameter, and in the
// call log.
const (
	OpPutResourcePolicy    = "PutResourcePolicy"
	OpGetResourcePolicies  = "GetResourcePolicies"
	OpDeleteResourcePolicy = "DeleteResourcePolicy"
	OpDescribeParameters   = "DescribeParameters"
	OpDescribeKey          = "DescribeKey"

	OpListResources                         = "ListResources"
	OpListResourceSharePermissions          = "ListResourceSharePermissions"
	OpGetResourceShares                     = "GetResourceShares"
	OpGetPermission                         = "GetPermission"
	OpListPermissions                       = "ListPermissions"
	OpPromotePermissionCreatedFromPolicy    = "PromotePermissionCreatedFromPolicy"
	OpPromoteResourceShareCreatedFromPolicy = "PromoteResourceShareCreatedFromPolicy"

	OpAssumeRole        = "AssumeRole"
	OpGetCallerIdentity = "GetCallerIdentity"

	// AnyOperation makes a fault apply to every operation.
	AnyOperation = ""
)

const maxRequestBytes = 1 << 20

// Server is the fake. The zero value is not usable: create one with New (an
// http.Handler, not listening) or Start / StartTest (listening on 127.0.0.1).
type Server struct {
	// Set by options before the server is shared, read-only afterwards.
	region       string
	account      string
	clock        func() time.Time
	shareDelay   time.Duration
	promoteDelay time.Duration
	strictKeys   bool

	mu         sync.Mutex
	seq        uint64 // source of ids, hashes and request ids
	stores     map[storeKey]*store
	roles      map[string]bool     // role ARNs that AssumeRole accepts
	sessions   map[string]*session // by temporary access key id
	secrets    map[string]bool     // values redacted from the call log
	redactor   *strings.Replacer   // built from secrets; nil when stale
	rate       float64             // calls per second per account and region; 0: unlimited
	burst      int
	faults     []*fault
	hooks      []*writeHook
	writes     int // SSM write calls that reached processing
	calls      []Call
	httpServer *http.Server
	url        string
}

// Option configures a Server.
type Option func(*Server)

// WithRegion sets the home region: the one that the Server's own seeding
// methods (AddParameter, ...) and AWSConfig use. Default DefaultRegion.
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// WithAccount sets the home account, the one AccessKeyID maps to. Default
// DefaultAccount.
func WithAccount(account string) Option { return func(s *Server) { s.account = account } }

// WithClock replaces time.Now for everything time-based: RAM's delays, the
// expiry of assumed-role credentials and the rate limit. A test that moves
// its own clock can step through a promotion without sleeping.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// WithShareDelay makes a resource share appear that long after the
// PutResourcePolicy that causes it, as RAM creates shares asynchronously.
// Default 0: at once.
func WithShareDelay(d time.Duration) Option { return func(s *Server) { s.shareDelay = d } }

// WithPromotionDelay sets how long a share stays PROMOTING_TO_STANDARD
// after PromoteResourceShareCreatedFromPolicy before it is STANDARD.
// Default 0: STANDARD at the next read.
func WithPromotionDelay(d time.Duration) Option { return func(s *Server) { s.promoteDelay = d } }

// WithRateLimit throttles calls past perSecond (a token bucket of burst
// tokens, one per account and region), as AWS does per account and Region.
// See SetRateLimit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(s *Server) { s.rate, s.burst = perSecond, burst }
}

// WithStrictAccessKeys makes requests signed with an access key id the fake
// does not know fail with UnrecognizedClientException (InvalidClientTokenId
// for STS), as AWS does. Without it such requests act as the home account,
// so that tests written before accounts existed keep working.
func WithStrictAccessKeys() Option { return func(s *Server) { s.strictKeys = true } }

// New returns a fake that is not listening; use it as an http.Handler or call
// Start. Every account and region the fake serves has the AWS managed key
// for SSM (alias/aws/ssm), as any account that has stored a SecureString
// with the default key does.
func New(opts ...Option) *Server {
	s := &Server{
		region:   DefaultRegion,
		account:  DefaultAccount,
		clock:    time.Now,
		stores:   map[storeKey]*store{},
		roles:    map[string]bool{},
		sessions: map[string]*session{},
		secrets:  map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeLocked(s.account, s.region)
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

// Region is the home region.
func (s *Server) Region() string { return s.region }

// Account is the home account.
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

// SetRateLimit throttles calls past perSecond per account and region from
// now on, with bursts of up to burst calls (at least 1); perSecond <= 0
// turns the limit off. Throttled calls get the protocol's real
// ThrottlingException shape and are never processed.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.burst = perSecond, burst
	for _, st := range s.stores {
		st.bucket = tokenBucket{}
	}
}

// AWSConfig returns an SDK configuration for the home account and region.
// See ConfigFor.
func (s *Server) AWSConfig() aws.Config {
	return s.configWith(s.region, credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""))
}

// ConfigFor returns an SDK configuration that acts as account in region:
// the account's access key (AccessKeyFor), BaseEndpoint, and a standard
// retryer whose backoff is capped at a few milliseconds so retry tests stay
// fast.
func (s *Server) ConfigFor(account, region string) aws.Config {
	return s.configWith(region, credentials.NewStaticCredentialsProvider(AccessKeyFor(account), SecretAccessKey, ""))
}

func (s *Server) configWith(region string, creds aws.CredentialsProvider) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  creds,
		BaseEndpoint: aws.String(s.URL()),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 5 * time.Millisecond })
		},
	}
}

func (s *Server) now() time.Time { return s.clock() }

// idLocked derives a stable, UUID-shaped identifier from a counter, so that
// runs are reproducible but ids still look like AWS ones.
func (s *Server) idLocked(kind string, n uint64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%s/%d", s.account, kind, n))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newIDLocked is idLocked on a fresh counter value.
func (s *Server) newIDLocked(kind string) string {
	s.seq++
	return s.idLocked(kind, s.seq)
}

// hashLocked returns a fresh PolicyHash: a new one on every write, even when
// the same document is written again, as AWS does.
func (s *Server) hashLocked(document string) string {
	s.seq++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", document, s.seq))
	return hex.EncodeToString(sum[:])
}
