// Package awsapi is ssmpolicy's one way to AWS: it builds the SDK clients from the standard
// configuration chain, limits and traces every call, and holds the operations the tool makes
// (resource policies, parameter and key lookups) and the text it shows for their errors.
//
// The rest of the tool depends on narrow interfaces (SSM, KMS) with the exact method signatures
// of the aws-sdk-go-v2 clients, so tests run the real clients against a local stand-in (package
// awsfake). Nothing here reads or prints parameter values or credentials: the operations used
// never carry values, and errors are built from error codes and service messages only.
package awsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go/middleware"

	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// SSM is the part of the SSM client ssmpolicy uses; *ssm.Client satisfies it.
type SSM interface {
	GetResourcePolicies(ctx context.Context, params *ssm.GetResourcePoliciesInput, optFns ...func(*ssm.Options)) (*ssm.GetResourcePoliciesOutput, error)
	PutResourcePolicy(ctx context.Context, params *ssm.PutResourcePolicyInput, optFns ...func(*ssm.Options)) (*ssm.PutResourcePolicyOutput, error)
	DeleteResourcePolicy(ctx context.Context, params *ssm.DeleteResourcePolicyInput, optFns ...func(*ssm.Options)) (*ssm.DeleteResourcePolicyOutput, error)
	DescribeParameters(ctx context.Context, params *ssm.DescribeParametersInput, optFns ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error)
}

// KMS is the part of the KMS client ssmpolicy uses; *kms.Client satisfies it.
type KMS interface {
	DescribeKey(ctx context.Context, params *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

// RAM is the part of the RAM client ssmpolicy uses; *ram.Client satisfies it. It reads the
// share RAM makes for a parameter shared through PutResourcePolicy, and promotes it.
type RAM interface {
	ListResources(ctx context.Context, params *ram.ListResourcesInput, optFns ...func(*ram.Options)) (*ram.ListResourcesOutput, error)
	GetResourceShares(ctx context.Context, params *ram.GetResourceSharesInput, optFns ...func(*ram.Options)) (*ram.GetResourceSharesOutput, error)
	ListResourceSharePermissions(ctx context.Context, params *ram.ListResourceSharePermissionsInput, optFns ...func(*ram.Options)) (*ram.ListResourceSharePermissionsOutput, error)
	PromotePermissionCreatedFromPolicy(ctx context.Context, params *ram.PromotePermissionCreatedFromPolicyInput, optFns ...func(*ram.Options)) (*ram.PromotePermissionCreatedFromPolicyOutput, error)
	PromoteResourceShareCreatedFromPolicy(ctx context.Context, params *ram.PromoteResourceShareCreatedFromPolicyInput, optFns ...func(*ram.Options)) (*ram.PromoteResourceShareCreatedFromPolicyOutput, error)
}

var (
	_ SSM = (*ssm.Client)(nil)
	_ KMS = (*kms.Client)(nil)
	_ RAM = (*ram.Client)(nil)
)

// Defaults for Options.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 5
	DefaultMaxBackoff  = 20 * time.Second
)

// Options configure LoadProfile and NewClients. Zero values mean "the SDK's standard chain" or
// the defaults above.
type Options struct {
	Profile     string // --profile; "" uses AWS_PROFILE or the default profile
	Region      string // --region; "" uses AWS_REGION or the profile's region
	EndpointURL string // --endpoint-url for every service; beats AWS_ENDPOINT_URL_SSM/_KMS

	// Timeout limits each API call, its retries included (default DefaultTimeout), so that a
	// hung endpoint cannot hang the tool.
	Timeout time.Duration
	// MaxAttempts and MaxBackoff tune the standard retryer, which retries throttling and 5xx
	// errors with jittered exponential backoff. As everywhere in the SDK, AWS_MAX_ATTEMPTS or a
	// profile's max_attempts, when set, take precedence over MaxAttempts.
	MaxAttempts int
	MaxBackoff  time.Duration
	// AdaptiveRetry uses the SDK's adaptive retry mode instead of the standard one: on top of
	// the standard retries, a client-side rate limit that slows the client down as soon as
	// the service throttles it (audit, which makes many calls in a row). See newRetryer.
	AdaptiveRetry bool

	// Trace, when set, receives one line per call and one per HTTP attempt (--debug): service,
	// operation, status and duration, nothing of the request or response.
	Trace io.Writer

	// Credentials replaces the standard credential chain; for tests (static fake
	// credentials). nil in production.
	Credentials aws.CredentialsProvider
}

// Profile is the AWS configuration of one profile, loaded once; Clients makes the client set
// of any of its regions. Loading makes no call: credentials are resolved on the first request.
type Profile struct {
	cfg     aws.Config
	o       Options
	apiOpts []func(*middleware.Stack) error
	secrets *secrets
}

// LoadProfile loads the configuration the options name from the standard chain (environment,
// shared config and credentials files, SSO, IMDS ...). AWS_ENDPOINT_URL_SSM,
// AWS_ENDPOINT_URL_KMS and AWS_ENDPOINT_URL_RAM are honoured by the SDK itself; Options.EndpointURL, an explicit flag,
// takes precedence over them.
func LoadProfile(ctx context.Context, o Options) (*Profile, error) {
	if o.EndpointURL != "" {
		u, err := url.Parse(o.EndpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("endpoint URL %q: want http(s)://host[:port]", o.EndpointURL)
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}

	var loadOpts []func(*config.LoadOptions) error
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.Region))
	}
	if o.Credentials != nil {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(o.Credentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		// The SDK's message names the profile or file at fault; it does not include
		// credential material.
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	// The retryer is set after loading, not with config.WithRetryer: given a retryer, the
	// loader skips AWS_MAX_ATTEMPTS and max_attempts, which the clients apply on top of it.
	cfg.Retryer = func() aws.Retryer { return newRetryer(o) }
	sec := &secrets{}
	if cfg.Credentials != nil {
		// Remember what the clients sign with, to scrub it from error text (see Scrub).
		cfg.Credentials = aws.NewCredentialsCache(&recordingProvider{inner: cfg.Credentials, secrets: sec})
	}
	return &Profile{cfg: cfg, o: o, apiOpts: callMiddleware(o.Timeout, newTracer(o.Trace), sec), secrets: sec}, nil
}

// Region is the profile's region: --region, else AWS_REGION, else the profile's; "" when none.
func (p *Profile) Region() string { return p.cfg.Region }

// Clients are the clients of one profile and region, every call limited and traced.
type Clients struct {
	SSM    SSM
	KMS    KMS
	RAM    RAM
	Region string
}

// Clients builds the client set of region, or of the profile's region when region is "".
func (p *Profile) Clients(region string) (*Clients, error) {
	if region == "" {
		region = p.cfg.Region
	}
	if region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or use a profile with a region")
	}
	cfg := p.cfg.Copy()
	cfg.Region = region
	cfg.APIOptions = append(cfg.APIOptions[:len(cfg.APIOptions):len(cfg.APIOptions)], p.apiOpts...)
	endpoint := func(base **string) {
		if p.o.EndpointURL != "" {
			*base = aws.String(p.o.EndpointURL)
		}
	}
	return &Clients{
		SSM:    ssm.NewFromConfig(cfg, func(o *ssm.Options) { endpoint(&o.BaseEndpoint) }),
		KMS:    kms.NewFromConfig(cfg, func(o *kms.Options) { endpoint(&o.BaseEndpoint) }),
		RAM:    ram.NewFromConfig(cfg, func(o *ram.Options) { endpoint(&o.BaseEndpoint) }),
		Region: region,
	}, nil
}

// NewClients loads the configuration and builds the client set of its region.
func NewClients(ctx context.Context, o Options) (*Clients, error) {
	p, err := LoadProfile(ctx, o)
	if err != nil {
		return nil, err
	}
	return p.Clients("")
}

// CheckRegion refuses an ARN of another region than the clients': SSM answers for its own
// region only, so a lookup there would wrongly say the parameter does not exist, and a write
// would fail.
func (c *Clients) CheckRegion(arn string) error {
	if r := arnRegion(arn); r != "" && r != c.Region {
		return fmt.Errorf("the ARN is in region %s but the AWS clients use %s", r, c.Region)
	}
	return nil
}

// For implements Source: the clients themselves, for an ARN of their region or of none.
func (c *Clients) For(arn string) (*Clients, error) {
	if err := c.CheckRegion(arn); err != nil {
		return nil, err
	}
	return c, nil
}

// arnRegion is the region field of an ARN ("" when it has none or is no ARN).
func arnRegion(s string) string {
	a, err := ssmarn.Parse(s)
	if err != nil {
		return ""
	}
	return a.Region
}
