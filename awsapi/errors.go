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

// IsMalformed reports whether err is MalformedResourcePolicyDocumentException, which SSM
// answers both for a bad document and for too many policy writes at once.
func IsMalformed(err error) bool {
	var malformed *types.MalformedResourcePolicyDocumentException
	return errors.As(err, &malformed)
}

// ErrorCode is the AWS error code of err ("" when it is not an answer of AWS).
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// CredentialsError is a failure to get credentials: the request was never sent.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string { return "get AWS credentials: " + e.Err.Error() }
func (e *CredentialsError) Unwrap() error { return e.Err }

// credentialCodes are the codes AWS answers when it does not accept the credentials at all, so
// that every other call with them fails the same way.
var credentialCodes = map[string]string{
	"UnrecognizedClientException": "AWS does not recognise the access key",
	"InvalidClientTokenId":        "AWS does not recognise the access key",
	"ExpiredTokenException":       "the session token has expired",
	"ExpiredToken":                "the session token has expired",
	"InvalidSignatureException":   "the request signature does not match: check the secret access key",
	"SignatureDoesNotMatch":       "the request signature does not match: check the secret access key",
	"IncompleteSignature":         "the request signature is incomplete",
	"MissingAuthenticationToken":  "the request was not signed",
	"AuthFailure":                 "AWS did not accept the credentials",
}

// IsCredentials reports whether err means that the credentials cannot be used at all (none
// found, or refused by AWS), so that a run can say it once rather than once per target.
func IsCredentials(err error) bool {
	var ce *CredentialsError
	if errors.As(err, &ce) {
		return true
	}
	_, ok := credentialCodes[ErrorCode(err)]
	return ok
}

// IAMAction is the IAM action of the operation err is about ("ram:PromoteResourceShareCreatedFromPolicy"),
// or "" when err does not name an operation.
func IAMAction(err error) string {
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return ""
	}
	return strings.ToLower(oe.ServiceID) + ":" + oe.OperationName
}

// Explain turns an error of a call into the AWS error code and a short sentence for the user
// (what it means, what to do), scrubbed of credentials (see Scrub). Modeled SSM exceptions
// come first (errors.As on the typed error), then any other API error by code, then the error
// text. It uses codes and service messages only, never request contents.
func Explain(err error) string { return Scrub(err, explain(err)) }

func explain(err error) string {
	var (
		conflict   *types.ResourcePolicyConflictException
		notFound   *types.ResourcePolicyNotFoundException
		limit      *types.ResourcePolicyLimitExceededException
		invalid    *types.ResourcePolicyInvalidParameterException
		malformed  *types.MalformedResourcePolicyDocumentException
		noResource *types.ResourceNotFoundException
		internal   *types.InternalServerError
		timeout    *TimeoutError
		creds      *CredentialsError
		apiErr     smithy.APIError
	)
	switch {
	case errors.As(err, &conflict):
		return "ResourcePolicyConflictException: changed by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &notFound):
		return "ResourcePolicyNotFoundException: the policy it replaces was deleted by another writer since it was read; re-run to see the new plan"
	case errors.As(err, &limit):
		return "ResourcePolicyLimitExceededException: " + limitSentence(limit)
	case errors.As(err, &invalid):
		return fmt.Sprintf("ResourcePolicyInvalidParameterException: AWS rejected parameter(s) %s: %s", strings.Join(invalid.ParameterNames, ", "), invalid.ErrorMessage())
	case errors.As(err, &malformed):
		return "MalformedResourcePolicyDocumentException: SSM answers this both for a policy document it rejects and for too many policy writes at once; " +
			"AWS said: " + malformed.ErrorMessage()
	case errors.As(err, &noResource):
		return "ResourceNotFoundException: no such resource in this account and region: " + noResource.ErrorMessage()
	case errors.As(err, &internal):
		return "InternalServerError: SSM had an internal error: " + internal.ErrorMessage()
	case errors.As(err, &timeout):
		return timeout.Error()
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer before the deadline"
	case errors.As(err, &creds):
		return "no usable AWS credentials: " + creds.Err.Error()
	case errors.As(err, &apiErr):
		return explainCode(err, apiErr)
	}
	return err.Error()
}

// explainCode says what an API error without a modeled SSM type means, by its code.
func explainCode(err error, apiErr smithy.APIError) string {
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	if sentence, ok := credentialCodes[code]; ok {
		return fmt.Sprintf("%s: %s (AWS said: %s)", code, sentence, msg)
	}
	if sentence := ramSentence(code); sentence != "" {
		return fmt.Sprintf("%s: %s (AWS said: %s)", code, sentence, msg)
	}
	switch code {
	case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
		action := IAMAction(err)
		if action == "" {
			return fmt.Sprintf("%s: the credentials are not allowed this call: %s", code, msg)
		}
		return fmt.Sprintf("%s: the credentials are not allowed %s: add it to the IAM policy of the identity ssmpolicy runs as (AWS said: %s)", code, action, msg)
	case "ThrottlingException", "Throttling", "TooManyRequestsException":
		return fmt.Sprintf("%s: AWS throttled the calls, still after retries: run again later or with fewer targets (AWS said: %s)", code, msg)
	case "ServerInternalException", "ServiceUnavailableException", "InternalFailure", "ServiceUnavailable":
		return fmt.Sprintf("%s: the service had an internal error: %s", code, msg)
	}
	return code + ": " + msg
}

// ramSentence says what a RAM error of promotion means and what to do; "" for other codes.
func ramSentence(code string) string {
	switch code {
	case "UnmatchedPolicyPermissionException":
		return "the share's permission matches no managed permission, so RAM cannot promote the share; " +
			"its permission has to be promoted first (PromotePermissionCreatedFromPolicy), which apply --promote does when RAM lists it as CREATED_FROM_POLICY"
	case "InvalidStateTransitionException":
		return "the share is not in a state it can be promoted from (it is already being promoted, or RAM is still updating it after a policy change); " +
			"wait a minute and run apply --promote again"
	case "OperationNotPermittedException":
		return "RAM does not allow this operation on this share or permission (only a CREATED_FROM_POLICY permission or share can be promoted, " +
			"and not every policy can become a customer managed permission); see docs/apply.md, \"Promotion\""
	case "PermissionAlreadyExistsException":
		return "a customer managed permission of that name already exists in this region"
	case "IdempotentParameterMismatchException":
		return "the client token was used before with other parameters"
	case "UnknownResourceException":
		return "RAM has no such share or permission (it may have been replaced since it was read): run apply --promote again"
	case "MalformedArnException", "InvalidParameterException", "MissingRequiredParameterException":
		return "RAM rejected the request"
	}
	return ""
}

// limitSentence says which limit a ResourcePolicyLimitExceededException is about. SSM uses it
// for the policy size and for the single policy an OpsItemGroup holds.
func limitSentence(limit *types.ResourcePolicyLimitExceededException) string {
	kind := strings.ToLower(aws.ToString(limit.LimitType) + " " + limit.ErrorMessage())
	detail := limit.ErrorMessage()
	if limit.Limit != 0 || limit.LimitType != nil {
		detail += fmt.Sprintf(" (limit %d, %s)", limit.Limit, aws.ToString(limit.LimitType))
	}
	switch {
	case strings.Contains(kind, "size") || strings.Contains(kind, "byte"):
		return "the policy is larger than SSM accepts (1024 bytes, compacted to one line): shorten it or split the grants over several policies; AWS said: " + detail
	case strings.Contains(kind, "opsitemgroup") || strings.Contains(kind, "one policy"):
		return "an OpsItemGroup holds only one policy, and it has one: update that policy instead (record its PolicyId); AWS said: " + detail
	}
	return "a limit on resource policies was reached; AWS said: " + detail
}

// Describe shortens an error of a lookup to the context it was given, the service's code and
// its message; the SDK's own text repeats request ids and retry counts. The text is scrubbed of
// credentials (see Scrub).
func Describe(err error) string { return Scrub(err, describe(err)) }

func describe(err error) string {
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
	var ce *CredentialsError
	if errors.As(err, &ce) {
		return "no usable AWS credentials: " + ce.Err.Error()
	}
	return err.Error()
}
