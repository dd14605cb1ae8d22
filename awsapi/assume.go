package awsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// STS is the part of the STS client ssmpolicy uses; *sts.Client satisfies it (stscreds takes
// the same client for AssumeRole).
type STS interface {
	GetCallerIdentity(ctx context.Context, params *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	AssumeRole(ctx context.Context, params *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

var _ STS = (*sts.Client)(nil)

// sts builds the profile's STS client in region (the profile's when ""), limited and traced
// like the others, sent to Options.EndpointURL when it is set (else AWS_ENDPOINT_URL_STS or
// AWS's endpoint).
func (p *Profile) sts(region string) (*sts.Client, error) {
	if region == "" {
		region = p.cfg.Region
	}
	if region == "" {
		return nil, errors.New("no AWS region: pass --region, set AWS_REGION, or use a profile with a region")
	}
	cfg := p.cfg.Copy()
	cfg.Region = region
	cfg.APIOptions = append(cfg.APIOptions[:len(cfg.APIOptions):len(cfg.APIOptions)], p.apiOpts...)
	return sts.NewFromConfig(cfg, func(o *sts.Options) {
		if p.o.EndpointURL != "" {
			o.BaseEndpoint = aws.String(p.o.EndpointURL)
		}
	}), nil
}

// Account asks STS which account the profile's credentials belong to (GetCallerIdentity,
// which needs no IAM permission). It is also the first call that resolves the credentials,
// so an expired session or a role that cannot be assumed fails here, once, rather than on
// every later call.
func (p *Profile) Account(ctx context.Context, region string) (string, error) {
	client, err := p.sts(region)
	if err != nil {
		return "", err
	}
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("get caller identity: %w", err)
	}
	account := aws.ToString(out.Account)
	if account == "" {
		return "", errors.New("get caller identity: STS named no account")
	}
	return account, nil
}

// AssumeRole returns a profile whose calls use the temporary credentials of roleARN, assumed
// through STS in region with p's credentials by the SDK's stscreds provider (cached, and
// renewed before they expire). sessionName names the session in the role's CloudTrail
// entries. Nothing is called until the first request.
func (p *Profile) AssumeRole(roleARN, sessionName, region string) (*Profile, error) {
	client, err := p.sts(region)
	if err != nil {
		return nil, err
	}
	provider := stscreds.NewAssumeRoleProvider(client, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = sessionName
	})
	cfg := p.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(provider)
	return &Profile{cfg: cfg, o: p.o, apiOpts: p.apiOpts}, nil
}
