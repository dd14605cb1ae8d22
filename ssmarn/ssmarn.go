// Package ssmarn reads and builds the ARNs of the SSM resources a resource policy is for:
// parameters and OpsItemGroups. It is the one place ARNs are split, on top of the SDK's
// aws/arn parser.
package ssmarn

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Service is the service field of every SSM ARN.
const Service = "ssm"

// The resource types a resource policy can be attached to.
const (
	Parameter    = "parameter"
	OpsItemGroup = "opsitemgroup"
)

// ARN is an ARN split into its fields, its resource split once more at the first slash.
type ARN struct {
	arn.ARN
	// Type is the resource before its first slash: "parameter", "opsitemgroup", ...
	Type string
	// ID is the resource after that slash, "" when there is none. For a parameter it is the
	// name as the ARN writes it: without the leading slash of a hierarchical name.
	ID string
}

// Parse splits an ARN of six fields. It takes the ARN of any service, so that a caller can
// say what is wrong with one that is not of SSM.
func Parse(s string) (ARN, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return ARN{}, fmt.Errorf("%s is not an ARN: %w", s, err)
	}
	typ, id, _ := strings.Cut(a.Resource, "/")
	return ARN{ARN: a, Type: typ, ID: id}, nil
}

// ResourceType is the resource type an ARN names ("parameter", "opsitemgroup", ...), or ""
// when s is not an ARN.
func ResourceType(s string) string {
	a, err := Parse(s)
	if err != nil {
		return ""
	}
	return a.Type
}

// IsParameter reports whether the ARN is an SSM parameter's.
func (a ARN) IsParameter() bool { return a.Service == Service && a.Type == Parameter }

// IsOpsItemGroup reports whether the ARN is an SSM OpsItemGroup's.
func (a ARN) IsOpsItemGroup() bool { return a.Service == Service && a.Type == OpsItemGroup }

// ParameterName is the name of the parameter the ARN names. SSM writes a name that starts
// with "/" with a single slash after "parameter", so parameter/app/db is /app/db while
// parameter/x is x. The ARN parameter//app/db, the name written with its own slash, is never
// produced by SSM and names no parameter: an error says how to write it.
func (a ARN) ParameterName() (string, error) {
	if a.Service != Service {
		return "", fmt.Errorf("%s is not an SSM ARN", a)
	}
	rest, ok := strings.CutPrefix(a.Resource, Parameter+"/")
	if !ok {
		return "", fmt.Errorf("%s is not a parameter ARN", a)
	}
	switch {
	case rest == "":
		return "", fmt.Errorf("%s names no parameter", a)
	case strings.HasPrefix(rest, "/"):
		name := strings.TrimLeft(rest, "/")
		return "", fmt.Errorf("%s has a double slash after parameter/: the ARN of /%s is parameter/%s", a, name, name)
	case strings.Contains(rest, "/"):
		return "/" + rest, nil
	}
	return rest, nil
}

// ParameterName returns the parameter name an ARN names, or the argument itself when it is
// not an ARN (a name as the SSM API takes it).
func ParameterName(arnOrName string) (string, error) {
	if !strings.HasPrefix(arnOrName, "arn:") {
		if arnOrName == "" {
			return "", fmt.Errorf("empty parameter name")
		}
		return arnOrName, nil
	}
	a, err := Parse(arnOrName)
	if err != nil {
		return "", fmt.Errorf("%s is not an SSM ARN", arnOrName)
	}
	return a.ParameterName()
}

// ParameterARN builds the ARN of the parameter name, with one slash after "parameter"
// whether or not the name starts with one.
func ParameterARN(partition, region, account, name string) string {
	return arn.ARN{Partition: partition, Service: Service, Region: region, AccountID: account,
		Resource: Parameter + "/" + strings.TrimPrefix(name, "/")}.String()
}
