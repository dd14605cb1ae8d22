package awsapi

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Redacted replaces a credential in error text.
const Redacted = "<redacted>"

// An endpoint's error message is text the tool does not control: a proxy or a misconfigured
// endpoint can echo the request's headers into it, and with them the session token. Every error
// of a call is therefore wrapped (see call) in a redactedError, and Explain, Describe and Error
// scrub their text of the credentials the profile signed with and of anything shaped like a
// credential, before anyone prints it.

// credentialShapes match credentials whatever their value: the signing headers and query
// parameters, and access key ids.
var credentialShapes = []*regexp.Regexp{
	// Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=... runs to
	// the end of the line or of the quoted value.
	regexp.MustCompile(`(?i)(authorization"?\s*[:=]\s*"?)[^"\r\n]+`),
	regexp.MustCompile(`(?i)(x-amz-security-token"?\s*[:=]\s*"?)[^\s"&,;]+`),
	regexp.MustCompile(`(?i)((?:x-amz-)?credential=)[^\s"&,;]+`),
	regexp.MustCompile(`(?i)((?:x-amz-)?signature=)[0-9a-f]+`),
	regexp.MustCompile(`()\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b`),
}

// secrets are the credentials the clients of one profile retrieved, kept to be scrubbed from
// error text. They are never printed.
type secrets struct {
	mu     sync.Mutex
	values []string
}

func (s *secrets) add(c aws.Credentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range []string{c.AccessKeyID, c.SecretAccessKey, c.SessionToken} {
		// A value this short would scrub ordinary words; no real credential is.
		if len(v) >= 8 && !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
		}
	}
}

func (s *secrets) list() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.values)
}

// recordingProvider passes the SDK's credentials through and remembers them.
type recordingProvider struct {
	inner   aws.CredentialsProvider
	secrets *secrets
}

func (p *recordingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.inner.Retrieve(ctx)
	if err != nil {
		return c, &CredentialsError{Err: err}
	}
	p.secrets.add(c)
	return c, nil
}

// redactedError is an error of a call whose text is scrubbed of the profile's credentials.
type redactedError struct {
	err     error
	secrets *secrets
}

func (e *redactedError) Error() string { return redact(e.err.Error(), e.secrets.list()) }
func (e *redactedError) Unwrap() error { return e.err }

// Scrub removes from text the credentials err's profile signed with and anything shaped like a
// credential. Explain and Describe call it; a caller that prints other text made from err calls
// it too.
func Scrub(err error, text string) string {
	var re *redactedError
	if errors.As(err, &re) {
		return redact(text, re.secrets.list())
	}
	return redact(text, nil)
}

func redact(text string, known []string) string {
	// Longest first, so that a token holding the key id is replaced whole.
	slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) })
	for _, v := range known {
		text = strings.ReplaceAll(text, v, Redacted)
	}
	for _, re := range credentialShapes {
		text = re.ReplaceAllString(text, "${1}"+Redacted)
	}
	return text
}
