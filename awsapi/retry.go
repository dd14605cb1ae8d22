package awsapi

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// newRetryer is the retryer of every client of a profile: the SDK's standard retryer (jittered
// exponential backoff on throttling, 5xx and connection errors), or with AdaptiveRetry its
// adaptive mode, which also spaces the client's own attempts out once the service has
// throttled it, so that a long run of reads settles at the rate the account allows instead
// of spending its attempts on throttled calls.
//
// In adaptive mode the standard retryer's retry quota (a client-wide budget of retries that
// a burst of throttled calls empties, after which every failed call fails at once with
// "retry quota exceeded") is turned off: the adaptive rate limit already keeps the retries
// in check, and an audit must not give up on a resource because its neighbours were
// throttled.
func newRetryer(o Options) aws.Retryer {
	standard := func(so *retry.StandardOptions) {
		so.MaxAttempts = o.MaxAttempts
		so.MaxBackoff = o.MaxBackoff
	}
	if !o.AdaptiveRetry {
		return retry.NewStandard(standard)
	}
	return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
		ao.StandardOptions = append(ao.StandardOptions, standard, func(so *retry.StandardOptions) {
			so.RateLimiter = ratelimit.None
		})
	})
}
