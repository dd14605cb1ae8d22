// Package apply sends policies that passed the checks to AWS with the SSM
// PutResourcePolicy API, and looks up the facts the checks need with --live.
//
// It depends on narrow interfaces (SSM, KMS) with the exact method signatures
// of the aws-sdk-go-v2 clients, so tests run the real clients against a local
// stand-in (package awsfake). The flow is MakePlan (reads only) then Execute
// (writes); WritePlan and WriteResults render both as plain text, and every
// plan and result type marshals to JSON.
//
// Nothing here reads or prints parameter values or credentials: the SSM
// operations used never carry values, and errors are built from error codes
// and service messages only.
package apply

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// SSM is the part of the SSM client that apply uses; *ssm.Client satisfies it.
type SSM interface {
	GetResourcePolicies(ctx context.Context, params *ssm.GetResourcePoliciesInput, optFns ...func(*ssm.Options)) (*ssm.GetResourcePoliciesOutput, error)
	PutResourcePolicy(ctx context.Context, params *ssm.PutResourcePolicyInput, optFns ...func(*ssm.Options)) (*ssm.PutResourcePolicyOutput, error)
	DescribeParameters(ctx context.Context, params *ssm.DescribeParametersInput, optFns ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error)
}

// KMS is the part of the KMS client that apply uses; *kms.Client satisfies it.
type KMS interface {
	DescribeKey(ctx context.Context, params *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

var (
	_ SSM = (*ssm.Client)(nil)
	_ KMS = (*kms.Client)(nil)
)

// Defaults for Options.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 5
	DefaultMaxBackoff  = 20 * time.Second
)

// Options configure NewClients. Zero values mean "the SDK's standard chain"
// or the defaults above.
type Options struct {
	Profile     string // --profile; "" uses AWS_PROFILE or the default profile
	Region      string // --region; "" uses AWS_REGION or the profile's region
	EndpointURL string // --endpoint-url for both SSM and KMS; beats AWS_ENDPOINT_URL_SSM/_KMS

	// Timeout limits each API call, its retries included (default
	// DefaultTimeout), so a hung endpoint cannot hang the tool.
	Timeout time.Duration
	// MaxAttempts and MaxBackoff tune the standard retryer, which retries
	// throttling and 5xx errors with jittered exponential backoff. As
	// everywhere in the SDK, AWS_MAX_ATTEMPTS or a profile's max_attempts,
	// when set, take precedence over MaxAttempts.
	MaxAttempts int
	MaxBackoff  time.Duration

	// Credentials replaces the standard credential chain; for tests (static
	// fake credentials). nil in production.
	Credentials aws.CredentialsProvider
}

// Clients are SSM and KMS clients with the per-call time limit applied.
type Clients struct {
	SSM    SSM
	KMS    KMS
	Region string
}

// NewClients builds real SDK clients from the standard configuration chain
// (environment, shared config and credentials files, SSO, IMDS ...).
// AWS_ENDPOINT_URL_SSM and AWS_ENDPOINT_URL_KMS are honoured by the SDK
// itself; Options.EndpointURL, an explicit flag, takes precedence over them.
func NewClients(ctx context.Context, o Options) (*Clients, error) {
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
		// The SDK's message names the profile or file at fault; it does not
		// include credential material.
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or use a profile with a region")
	}
	// The retryer is set after loading, not with config.WithRetryer: given a retryer, the
	// loader skips AWS_MAX_ATTEMPTS and max_attempts, which the clients apply on top of it.
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = o.MaxAttempts
			so.MaxBackoff = o.MaxBackoff
		})
	}

	ssmClient := ssm.NewFromConfig(cfg, func(so *ssm.Options) {
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	kmsClient := kms.NewFromConfig(cfg, func(ko *kms.Options) {
		if o.EndpointURL != "" {
			ko.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	return &Clients{
		SSM:    LimitSSM(ssmClient, o.Timeout),
		KMS:    LimitKMS(kmsClient, o.Timeout),
		Region: cfg.Region,
	}, nil
}

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

// LimitSSM wraps an SSM client so that every call, retries included, ends
// after d.
func LimitSSM(c SSM, d time.Duration) SSM { return limitedSSM{c: c, d: d} }

// LimitKMS wraps a KMS client so that every call, retries included, ends
// after d.
func LimitKMS(c KMS, d time.Duration) KMS { return limitedKMS{c: c, d: d} }

type limitedSSM struct {
	c SSM
	d time.Duration
}

func (l limitedSSM) GetResourcePolicies(ctx context.Context, in *ssm.GetResourcePoliciesInput, optFns ...func(*ssm.Options)) (*ssm.GetResourcePoliciesOutput, error) {
	return limited(ctx, l.d, "SSM GetResourcePolicies", func(ctx context.Context) (*ssm.GetResourcePoliciesOutput, error) {
		return l.c.GetResourcePolicies(ctx, in, optFns...)
	})
}

func (l limitedSSM) PutResourcePolicy(ctx context.Context, in *ssm.PutResourcePolicyInput, optFns ...func(*ssm.Options)) (*ssm.PutResourcePolicyOutput, error) {
	return limited(ctx, l.d, "SSM PutResourcePolicy", func(ctx context.Context) (*ssm.PutResourcePolicyOutput, error) {
		return l.c.PutResourcePolicy(ctx, in, optFns...)
	})
}

func (l limitedSSM) DescribeParameters(ctx context.Context, in *ssm.DescribeParametersInput, optFns ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error) {
	return limited(ctx, l.d, "SSM DescribeParameters", func(ctx context.Context) (*ssm.DescribeParametersOutput, error) {
		return l.c.DescribeParameters(ctx, in, optFns...)
	})
}

type limitedKMS struct {
	c KMS
	d time.Duration
}

func (l limitedKMS) DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	return limited(ctx, l.d, "KMS DescribeKey", func(ctx context.Context) (*kms.DescribeKeyOutput, error) {
		return l.c.DescribeKey(ctx, in, optFns...)
	})
}

// limited runs call under a deadline of d and turns that deadline (but not
// the caller's own cancellation or deadline) into a TimeoutError.
func limited[T any](ctx context.Context, d time.Duration, op string, call func(context.Context) (T, error)) (T, error) {
	if d <= 0 {
		return call(ctx)
	}
	cctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	out, err := call(cctx)
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		var zero T
		return zero, &TimeoutError{Operation: op, Limit: d, Err: err}
	}
	return out, err
}
