package awsfake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Access keys map to accounts as follows (the caller's account is never
// taken from anything else):
//
//   - AccessKeyID is the home account;
//   - AccessKeyFor(account), "AKIAFAKE" followed by the 12-digit account id,
//     is that account (no registration needed);
//   - a temporary key issued by AssumeRole is the role's account, valid only
//     with its session token and until it expires;
//   - any other key is the home account, or UnrecognizedClientException
//     under WithStrictAccessKeys.
//
// The region is the one in the SigV4 credential scope of the Authorization
// header, so one server holds a separate store per (account, region).
const accessKeyPrefix = "AKIAFAKE"

// AccessKeyFor returns the access key id that acts as account (a 12-digit
// id). Its secret can be anything: the fake does not verify signatures.
func AccessKeyFor(account string) string { return accessKeyPrefix + account }

func isAccountID(v string) bool {
	if len(v) != 12 {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// identity is who made a request, and where.
type identity struct {
	accessKey string
	account   string
	region    string
	arn       string // the caller's principal ARN
}

// session is a set of temporary credentials issued by AssumeRole.
type session struct {
	account string
	token   string
	arn     string // the assumed-role ARN
	expires time.Time
}

// parseAuthorization reads the access key id and region from a SigV4
// Authorization header: "AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/
// SERVICE/aws4_request, SignedHeaders=..., Signature=...".
func parseAuthorization(h string) (key, region string, ok bool) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return "", "", false
	}
	scope, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(scope), "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[4] != "aws4_request" {
		return "", "", false
	}
	return parts[0], parts[2], true
}

// authenticate resolves the caller of a signed request.
func (s *Server) authenticate(r *http.Request) (identity, *apiError) {
	key, region, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		// Real clients sign every request; an unsigned one means the client
		// under test was built without credentials.
		return identity{}, errBadRequest("MissingAuthenticationTokenException", "request is not signed with SigV4")
	}
	id := identity{accessKey: key, region: region}
	switch acct, isFake := strings.CutPrefix(key, accessKeyPrefix); {
	case key == AccessKeyID:
		id.account = s.account
	case isFake && isAccountID(acct):
		id.account = acct
	default:
		s.mu.Lock()
		sess := s.sessions[key]
		s.mu.Unlock()
		switch {
		case sess != nil && r.Header.Get("X-Amz-Security-Token") != sess.token:
			return id, errBadRequest("UnrecognizedClientException", "The security token included in the request is invalid.")
		case sess != nil && !s.now().Before(sess.expires):
			return id, errBadRequest("ExpiredTokenException", "The security token included in the request is expired")
		case sess != nil:
			id.account, id.arn = sess.account, sess.arn
			return id, nil
		case s.strictKeys:
			return id, errBadRequest("UnrecognizedClientException", "The security token included in the request is invalid.")
		}
		id.account = s.account
	}
	id.arn = fmt.Sprintf("arn:aws:iam::%s:user/awsfake", id.account)
	return id, nil
}

// AddRole makes arn:aws:iam::ACCOUNT:role/NAME assumable with AssumeRole by
// any caller, and returns that ARN. Roles are global, like IAM.
func (s *Server) AddRole(account, name string) string {
	arn := RoleARN(account, name)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[arn] = true
	return arn
}

// RoleARN builds the ARN of an IAM role.
func RoleARN(account, name string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", account, name)
}
