package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
)

// IsConflict reports whether err says that another writer acted between a read of a
// resource's policies and a write that relied on it: ResourcePolicyConflictException (the
// PolicyHash sent is no longer the policy's) or ResourcePolicyNotFoundException (the policy the
// write replaces is gone).
func IsConflict(err error) bool {
	var conflict *types.ResourcePolicyConflictException
	var notFound *types.ResourcePolicyNotFoundException
	return errors.As(err, &conflict) || errors.As(err, &notFound)
}

// IsTimeout reports whether err is a call that got no answer in time, so that the outcome of
// a write is unknown.
func IsTimeout(err error) bool {
	var te *TimeoutError
	return errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded)
}

// Explain turns an error of a resource-policy read or write into a short sentence for the
// user: modeled SSM exceptions first (errors.As on the typed error), then any other API error
// by code, then the error text. It uses codes and service messages only, never request
// contents.
func Explain(err error) string {
	var (
		conflict   *types.ResourcePolicyConflictException
		notFound   *types.ResourcePolicyNotFoundException
		limit      *types.ResourcePolicyLimitExceededException
		invalid    *types.ResourcePolicyInvalidParameterException
		malformed  *types.MalformedResourcePolicyDocumentException
		noResource *types.ResourceNotFoundException
		internal   *types.InternalServerError
		timeout    *TimeoutError
		apiErr     smithy.APIError
	)
	switch {
	case errors.As(err, &conflict):
		return "changed by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &notFound):
		return "the policy it replaces was deleted by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &limit):
		msg := "limit exceeded: " + limit.ErrorMessage()
		if limit.Limit != 0 || limit.LimitType != nil {
			msg += fmt.Sprintf(" (limit %d, %s)", limit.Limit, aws.ToString(limit.LimitType))
		}
		return msg
	case errors.As(err, &invalid):
		return fmt.Sprintf("AWS rejected parameter(s) %s: %s", strings.Join(invalid.ParameterNames, ", "), invalid.ErrorMessage())
	case errors.As(err, &malformed):
		// SSM also uses this exception for too many Put/Delete calls.
		return "AWS rejected the policy document (or too many policy writes at once): " + malformed.ErrorMessage()
	case errors.As(err, &noResource):
		return "no such resource in this account and region: " + noResource.ErrorMessage()
	case errors.As(err, &internal):
		return "SSM internal error, still failing after retries: " + internal.ErrorMessage()
	case errors.As(err, &timeout):
		return timeout.Error()
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer before the deadline"
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	return err.Error()
}

// Describe shortens an error of a lookup to the context it was given, the service's code and
// its message; the SDK's own text repeats request ids and retry counts. It never holds
// credentials: the SDK does not put them in errors.
func Describe(err error) string {
	var te *TimeoutError
	if errors.As(err, &te) {
		return te.Error()
	}
	var oe *smithy.OperationError
	var ae smithy.APIError
	if errors.As(err, &oe) && errors.As(err, &ae) {
		// Keep the context the caller added ("describe parameter /x"), else name the
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
