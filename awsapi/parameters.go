package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// DefaultSSMKey is the key SSM uses for a SecureString when none is named: the AWS managed
// key, which cannot be shared.
const DefaultSSMKey = "alias/aws/ssm"

// Facts are what AWS says about a parameter, for the tier, type and key checks. KeyManager is
// set for a SecureString only.
type Facts struct {
	Name       string `json:"name"`
	ARN        string `json:"arn,omitempty"`
	Exists     bool   `json:"exists"`
	Tier       string `json:"tier,omitempty"`       // Standard | Advanced | Intelligent-Tiering
	Type       string `json:"type,omitempty"`       // String | StringList | SecureString
	KeyID      string `json:"keyId,omitempty"`      // as SSM recorded it: alias, key id or ARN
	KeyARN     string `json:"keyArn,omitempty"`     // from KMS DescribeKey
	KeyManager string `json:"keyManager,omitempty"` // AWS | CUSTOMER
}

// ParameterName returns the parameter name an ARN names, or the argument itself when it is
// not an ARN; ssmarn.ParameterName says how.
func ParameterName(arnOrName string) (string, error) { return ssmarn.ParameterName(arnOrName) }

// LookupParameter asks AWS for a parameter's tier, type and key: DescribeParameters filtered
// on Name Equals (all pages: a filtered call may return empty pages with a NextToken), then,
// for a SecureString, KMS DescribeKey for the key's manager (the default alias/aws/ssm
// included). A missing parameter is Facts{Exists: false} and no error. Given an ARN, the
// parameter found must have that ARN: the same name in the account and region the credentials
// point at is another parameter, and an error says so. If only the KMS call fails, the facts
// found so far come back with the error.
func LookupParameter(ctx context.Context, ssmClient SSM, kmsClient KMS, arnOrName string) (Facts, error) {
	name, err := ParameterName(arnOrName)
	if err != nil {
		return Facts{}, err
	}
	wantARN := ""
	if strings.HasPrefix(arnOrName, "arn:") {
		wantARN = arnOrName
	}
	found, err := describeParameter(ctx, ssmClient, name, wantARN)
	if err != nil {
		return Facts{}, err
	}
	if found == nil {
		return Facts{Name: name, ARN: wantARN}, nil
	}

	facts := Facts{Name: name, Exists: true, ARN: aws.ToString(found.ARN), Tier: string(found.Tier),
		Type: string(found.Type), KeyID: aws.ToString(found.KeyId)}
	if found.Type != types.ParameterTypeSecureString {
		return facts, nil
	}
	if facts.KeyID == "" {
		facts.KeyID = DefaultSSMKey
	}
	key, err := kmsClient.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(facts.KeyID)})
	if err != nil {
		return facts, fmt.Errorf("describe key %s of parameter %s: %w", facts.KeyID, name, err)
	}
	if key.KeyMetadata != nil {
		facts.KeyARN = aws.ToString(key.KeyMetadata.Arn)
		facts.KeyManager = string(key.KeyMetadata.KeyManager)
	}
	return facts, nil
}

// describeParameter finds the parameter called name (of ARN wantARN, when not ""), or nil.
func describeParameter(ctx context.Context, client SSM, name, wantARN string) (*types.ParameterMetadata, error) {
	in := &ssm.DescribeParametersInput{
		MaxResults: aws.Int32(50),
		ParameterFilters: []types.ParameterStringFilter{{
			Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{name},
		}},
	}
	var found, other *types.ParameterMetadata
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("describe parameter %s: more than %d pages", name, maxPages)
		}
		out, err := client.DescribeParameters(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describe parameter %s: %w", name, err)
		}
		for i := range out.Parameters {
			md := &out.Parameters[i]
			if aws.ToString(md.Name) != name {
				continue
			}
			if wantARN == "" || aws.ToString(md.ARN) == wantARN || md.ARN == nil {
				found = md
			} else {
				other = md
			}
		}
		if found != nil || aws.ToString(out.NextToken) == "" {
			break
		}
		if aws.ToString(out.NextToken) == aws.ToString(in.NextToken) {
			return nil, fmt.Errorf("describe parameter %s: the service repeated a NextToken", name)
		}
		in.NextToken = out.NextToken
	}
	if found == nil && other != nil {
		return nil, fmt.Errorf("parameter %s: the credentials see %s, not %s; use the account and region of the ARN",
			name, aws.ToString(other.ARN), wantARN)
	}
	return found, nil
}

// KeyARN resolves a key as written (key id, key ARN, alias name or alias ARN) to its key ARN
// with KMS DescribeKey; "" and no error when KMS has no such key.
func KeyARN(ctx context.Context, client KMS, key string) (string, error) {
	out, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &key})
	var nf *kmstypes.NotFoundException
	switch {
	case errors.As(err, &nf):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("describe key %s: %w", key, err)
	case out.KeyMetadata == nil || out.KeyMetadata.Arn == nil:
		return "", nil
	}
	return *out.KeyMetadata.Arn, nil
}
