package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/apply"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// Rule ids the --live lookup reports. They extend PRODUCT.md's catalogue.
const (
	ruleContextMismatch  = "context-mismatch"
	ruleResourceNotFound = "resource-not-found"
)

// liveFlags are --live and the AWS connection flags that check and apply share.
type liveFlags struct {
	live        bool
	profile     string
	region      string
	endpointURL string
	debug       bool
}

func (l *liveFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&l.live, "live", false, "look the parameters' tier, type and KMS key up in AWS instead of trusting the files (DescribeParameters, kms:DescribeKey)")
	fs.StringVar(&l.profile, "profile", "", "AWS profile of the shared config files (default: AWS_PROFILE or the default profile)")
	fs.StringVar(&l.region, "region", "", "AWS region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&l.endpointURL, "endpoint-url", "", "send SSM and KMS calls to this URL instead of AWS's (beats AWS_ENDPOINT_URL_SSM/_KMS)")
	fs.BoolVar(&l.debug, "debug", false, "print each AWS call with its status and duration to stderr (never headers, bodies or credentials)")
}

// clients builds the SSM and KMS clients the flags describe, from the standard SDK chain.
// Building them makes no call: credentials are resolved on the first request.
func (l *liveFlags) clients(ctx context.Context, env *Env) (*apply.Clients, error) {
	c, err := apply.NewClients(ctx, apply.Options{Profile: l.profile, Region: l.region, EndpointURL: l.endpointURL})
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("AWS: %w", err)}
	}
	if l.debug {
		tr := &tracer{w: env.Stderr}
		c.SSM = tracedSSM{c: c.SSM, t: tr}
		c.KMS = tracedKMS{c: c.KMS, t: tr}
	}
	return c, nil
}

// prepare returns the linter.RunOptions.Prepare hook of check for --live, or nil without
// --live. The clients are built here, so that a missing region or a bad --endpoint-url is one
// error (exit 2) rather than one per target.
func (l *liveFlags) prepare(cmd *cobra.Command, env *Env) (func(context.Context, *input.Target) error, error) {
	if !l.live {
		return nil, nil
	}
	c, err := l.clients(cmd.Context(), env)
	if err != nil {
		return nil, err
	}
	return newLiveLookup(c).prepare, nil
}

// liveLookup fills targets' facts from AWS. One lookup per parameter ARN and one DescribeKey
// per key within a run, however many targets name them and however many workers ask at once.
type liveLookup struct {
	c      *apply.Clients
	params flight[apply.Facts]
	keys   flight[string] // key as written -> key ARN ("" when KMS has no such key)
}

func newLiveLookup(c *apply.Clients) *liveLookup {
	return &liveLookup{c: c}
}

// prepare is linter.RunOptions.Prepare: for a target whose ARN is a parameter ARN with no
// part left unknown, it asks AWS for the tier, type and key and makes them the target's facts.
// Where the input said otherwise, a context-mismatch finding says so at the place it was
// written (the checks use AWS's value); a parameter AWS does not have is a resource-not-found
// finding. An AWS call that fails is an error: the run cannot vouch for that target.
func (l *liveLookup) prepare(ctx context.Context, t *input.Target) error {
	arn, ok := parameterARN(t)
	if !ok {
		return nil
	}
	if err := checkRegion(arn, l.c.Region); err != nil {
		return fmt.Errorf("%s: --live: %w", targetName(t), err)
	}
	facts, err := l.params.do(arn, func() (apply.Facts, error) {
		return apply.LookupParameter(ctx, l.c.SSM, l.c.KMS, arn)
	})
	if err != nil {
		return fmt.Errorf("%s: --live lookup: %s", targetName(t), describeAWSError(err))
	}
	if !facts.Exists {
		t.Problems = append(t.Problems, input.Problem{
			Rule: ruleResourceNotFound,
			Message: fmt.Sprintf("AWS has no parameter %s in region %s for these credentials (DescribeParameters found none): create it before sharing it, or correct the ARN (or the account the credentials belong to)",
				facts.Name, l.c.Region),
			Loc: factLoc(t, t.ARN),
		})
		return nil
	}

	who := inputKind(t)
	mismatch := func(fact input.Fact, what, flag, live string) {
		src := who
		if !fact.Loc.Known() {
			src = flag
		}
		t.Problems = append(t.Problems, input.Problem{
			Rule:    ruleContextMismatch,
			Message: fmt.Sprintf("%s says %s %s, AWS says %s: the checks used AWS's", src, what, shown(fact.Value), shown(live)),
			Loc:     factLoc(t, fact),
		})
	}
	if t.Tier.Known && !sameTier(t.Tier.Value, facts.Tier) {
		mismatch(t.Tier, "tier", "--tier", facts.Tier)
	}
	if t.Type.Known && t.Type.Value != facts.Type {
		mismatch(t.Type, "type", "--type", facts.Type)
	}
	if facts.Type == "SecureString" && t.KeyID.Known && t.KeyID.Value != "" {
		same, err := l.sameKey(ctx, t.KeyID.Value, facts)
		if err != nil {
			return fmt.Errorf("%s: --live lookup: %s", targetName(t), describeAWSError(err))
		}
		if !same {
			mismatch(t.KeyID, "key", "--key-id", facts.KeyID)
		}
	}

	// Live facts win; each keeps the place the input wrote it, so that a finding about the
	// tier still points at the manifest's `tier:` line.
	t.Tier = input.Fact{Value: facts.Tier, Known: true, Loc: t.Tier.Loc}
	t.Type = input.Fact{Value: facts.Type, Known: true, Loc: t.Type.Loc}
	if facts.Type == "SecureString" {
		t.KeyID = input.Fact{Value: facts.KeyID, Known: true, Loc: t.KeyID.Loc}
		t.KeyManager = input.Fact{Value: facts.KeyManager, Known: facts.KeyManager != "", Loc: t.KeyID.Loc}
	} else {
		// AWS says the parameter has no key: a key the input names is moot.
		t.KeyID, t.KeyManager = input.Fact{Loc: t.KeyID.Loc}, input.Fact{}
	}
	return nil
}

// sameKey reports whether key, as the input wrote it, names the key SSM recorded for the
// parameter. The same key has four spellings (key id, key ARN, alias name, alias ARN), so
// text that differs is resolved with DescribeKey before it is called a mismatch.
func (l *liveLookup) sameKey(ctx context.Context, key string, facts apply.Facts) (bool, error) {
	if key == facts.KeyID || (facts.KeyARN != "" && key == facts.KeyARN) {
		return true, nil
	}
	arn, err := l.keys.do(key, func() (string, error) {
		out, err := l.c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &key})
		var nf *kmstypes.NotFoundException
		switch {
		case errors.As(err, &nf):
			return "", nil // no such key: certainly not the parameter's
		case err != nil:
			return "", fmt.Errorf("describe key %s: %w", key, err)
		case out.KeyMetadata == nil || out.KeyMetadata.Arn == nil:
			return "", nil
		}
		return *out.KeyMetadata.Arn, nil
	})
	if err != nil {
		return false, err
	}
	return arn != "" && arn == facts.KeyARN, nil
}

// sameTier compares tiers. Intelligent-Tiering is a choice SSM makes at each write, so a
// parameter created with it is either Standard or Advanced, and neither contradicts it.
func sameTier(written, live string) bool {
	return written == live || (written == "Intelligent-Tiering" && (live == "Standard" || live == "Advanced"))
}

// parameterARN returns the target's ARN when it names a parameter and has no part known only
// at deploy time. A malformed parameter ARN is not looked up: resource-format reports it.
func parameterARN(t *input.Target) (string, bool) {
	if !t.ARN.Known || strings.Contains(t.ARN.Value, input.Unknown) {
		return "", false
	}
	arn := t.ARN.Value
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ssm" || !strings.HasPrefix(parts[5], "parameter/") {
		return "", false
	}
	if _, err := apply.ParameterName(arn); err != nil {
		return "", false
	}
	return arn, true
}

// arnRegion is the region field of an ARN ("" when it has none).
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	return parts[3]
}

// checkRegion refuses an ARN of another region than the clients': SSM answers for its own
// region only, so a lookup there would wrongly say the parameter does not exist, and a write
// would fail.
func checkRegion(arn, clientRegion string) error {
	if r := arnRegion(arn); r != "" && r != clientRegion {
		return fmt.Errorf("the ARN is in region %s but the AWS clients use %s: pass --region %s (one run per region)", r, clientRegion, r)
	}
	return nil
}

// factLoc is where a finding about fact goes: where the input wrote it, else where the
// target is declared.
func factLoc(t *input.Target, fact input.Fact) input.Location {
	if fact.Loc.Known() {
		return fact.Loc
	}
	return t.Origin
}

// inputKind names the kind of input that declared t, for messages.
func inputKind(t *input.Target) string {
	if len(t.Origin.Path) > 0 {
		switch t.Origin.Path[0] {
		case "resources":
			return "the manifest"
		case "Resources":
			return "the template"
		case "resource_changes", "planned_values", "configuration":
			return "the plan"
		}
	}
	return "the input"
}

// targetName names a target in errors: its ARN and where it is declared.
func targetName(t *input.Target) string {
	name := t.ARN.Value
	if !t.ARN.Known {
		name = "the policy"
	}
	if l := targetLabel(t); l != "" {
		return fmt.Sprintf("%s (%s)", shown(name), l)
	}
	return shown(name)
}

// targetLabel is "file:line" of where a target is declared, or "".
func targetLabel(t *input.Target) string {
	if t.Origin.File == nil {
		return ""
	}
	p := t.Origin.File.Pos(t.Origin.Span.Start)
	return fmt.Sprintf("%s:%d", t.Origin.File.Name, p.Line)
}

// shown makes an input-derived string safe to print: the deploy-time marker as ${...}, control
// characters quoted.
func shown(s string) string {
	s = strings.ReplaceAll(s, input.Unknown, "${...}")
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// describeAWSError shortens an SDK error to the operation and the service's code and message;
// the SDK's own text repeats request ids and retry counts. It never holds credentials: the SDK
// does not put them in errors.
func describeAWSError(err error) string {
	var te *apply.TimeoutError
	if errors.As(err, &te) {
		return te.Error()
	}
	var oe *smithy.OperationError
	var ae smithy.APIError
	if errors.As(err, &oe) && errors.As(err, &ae) {
		// Keep the context the apply package added ("describe parameter /x"), else name the
		// operation.
		prefix, _, _ := strings.Cut(err.Error(), "operation error")
		prefix = strings.TrimSuffix(strings.TrimSpace(prefix), ":")
		if prefix == "" {
			prefix = oe.ServiceID + " " + oe.OperationName
		}
		return fmt.Sprintf("%s: %s: %s", prefix, ae.ErrorCode(), ae.ErrorMessage())
	}
	return err.Error()
}

// flight runs one function per key and shares its result with every caller, concurrent ones
// included; results, errors too, are kept for the rest of the run.
type flight[T any] struct {
	mu sync.Mutex
	m  map[string]*flightCall[T]
}

type flightCall[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func (f *flight[T]) do(key string, fn func() (T, error)) (T, error) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[string]*flightCall[T]{}
	}
	if c, ok := f.m[key]; ok {
		f.mu.Unlock()
		<-c.done
		return c.val, c.err
	}
	c := &flightCall[T]{done: make(chan struct{})}
	f.m[key] = c
	f.mu.Unlock()
	defer close(c.done)
	c.val, c.err = fn()
	return c.val, c.err
}

// tracer prints one line per HTTP attempt and one per operation for --debug: service,
// operation, status, duration. Nothing else of the request or response is printed, so no
// header, body, credential or parameter value can leak through it.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
}

func (t *tracer) printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "aws: "+format+"\n", args...)
}

type attemptsKey struct{}

// trace runs one operation and traces it; attempts are counted by the HTTP client wrapper.
func trace[T any](ctx context.Context, t *tracer, service, op string, call func(context.Context) (T, error)) (T, error) {
	var attempts atomic.Int32
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)
	start := time.Now()
	out, err := call(ctx)
	status := "ok"
	if err != nil {
		var ae smithy.APIError
		switch {
		case errors.As(err, &ae):
			status = "failed: " + ae.ErrorCode()
		case errors.Is(err, context.Canceled):
			status = "failed: interrupted"
		default:
			var te *apply.TimeoutError
			if errors.As(err, &te) {
				status = "failed: timeout"
			} else {
				status = "failed"
			}
		}
	}
	n, unit := attempts.Load(), "attempts"
	if n == 1 {
		unit = "attempt"
	}
	t.printf("%s %s %s in %s (%d %s)", service, op, status, time.Since(start).Round(time.Millisecond), n, unit)
	return out, err
}

// tracedHTTP wraps the SDK's HTTP client to trace each attempt, retries included.
type tracedHTTP struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	t *tracer
}

func (h tracedHTTP) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	start := time.Now()
	resp, err := h.next.Do(req)
	svc, op := awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)
	if err != nil {
		h.t.printf("  %s %s attempt: no response in %s", svc, op, time.Since(start).Round(time.Millisecond))
		return resp, err
	}
	h.t.printf("  %s %s attempt: HTTP %d in %s", svc, op, resp.StatusCode, time.Since(start).Round(time.Millisecond))
	return resp, err
}

type tracedSSM struct {
	c apply.SSM
	t *tracer
}

// opts adds the attempt tracer to the caller's options, without writing into the caller's
// slice.
func (s tracedSSM) opts(optFns []func(*ssm.Options)) []func(*ssm.Options) {
	return append(slices.Clip(optFns), func(o *ssm.Options) { o.HTTPClient = tracedHTTP{next: o.HTTPClient, t: s.t} })
}

func (s tracedSSM) GetResourcePolicies(ctx context.Context, in *ssm.GetResourcePoliciesInput, optFns ...func(*ssm.Options)) (*ssm.GetResourcePoliciesOutput, error) {
	return trace(ctx, s.t, "SSM", "GetResourcePolicies", func(ctx context.Context) (*ssm.GetResourcePoliciesOutput, error) {
		return s.c.GetResourcePolicies(ctx, in, s.opts(optFns)...)
	})
}

func (s tracedSSM) PutResourcePolicy(ctx context.Context, in *ssm.PutResourcePolicyInput, optFns ...func(*ssm.Options)) (*ssm.PutResourcePolicyOutput, error) {
	return trace(ctx, s.t, "SSM", "PutResourcePolicy", func(ctx context.Context) (*ssm.PutResourcePolicyOutput, error) {
		return s.c.PutResourcePolicy(ctx, in, s.opts(optFns)...)
	})
}

func (s tracedSSM) DescribeParameters(ctx context.Context, in *ssm.DescribeParametersInput, optFns ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error) {
	return trace(ctx, s.t, "SSM", "DescribeParameters", func(ctx context.Context) (*ssm.DescribeParametersOutput, error) {
		return s.c.DescribeParameters(ctx, in, s.opts(optFns)...)
	})
}

type tracedKMS struct {
	c apply.KMS
	t *tracer
}

func (k tracedKMS) DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	return trace(ctx, k.t, "KMS", "DescribeKey", func(ctx context.Context) (*kms.DescribeKeyOutput, error) {
		return k.c.DescribeKey(ctx, in, append(slices.Clip(optFns), func(o *kms.Options) {
			o.HTTPClient = tracedHTTP{next: o.HTTPClient, t: k.t}
		})...)
	})
}
