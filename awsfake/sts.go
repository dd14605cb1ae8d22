package awsfake

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// STS speaks awsQuery: a form-encoded POST / with Action=... and
// Version=2011-06-15, answered in XML.

// Session durations AssumeRole accepts: 15 minutes up to the role's maximum
// session duration, which is one hour unless the role says otherwise.
const (
	minSessionSeconds     = 900
	defaultSessionSeconds = 3600
	maxSessionSeconds     = 3600
)

// Markers in the temporary secrets AssumeRole issues, so that tests can grep
// their output for them.
const (
	TemporarySecretPrefix = "awsfake-TEMP-SECRET/"
	SessionTokenPrefix    = "awsfake-SESSION-TOKEN/"
)

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

type assumeRoleResult struct {
	XMLName         xml.Name `xml:"AssumeRoleResult"`
	Credentials     stsCredentials
	AssumedRoleUser struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string
	}
}

func errValidation(format string, args ...any) *apiError {
	return errBadRequest("ValidationError", format, args...)
}

func (s *Server) assumeRole(c *call) (any, *apiError) {
	roleARN, name := c.form.Get("RoleArn"), c.form.Get("RoleSessionName")
	account, roleName, ok := parseRoleARN(roleARN)
	if !ok {
		return nil, errValidation("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must be the ARN of an IAM role", roleARN)
	}
	if len(name) < 2 || len(name) > 64 || !onlyChars(name, "_+=,.@-") {
		return nil, errValidation("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]{2,64}", name)
	}
	duration := defaultSessionSeconds
	if d := c.form.Get("DurationSeconds"); d != "" {
		n, err := strconv.Atoi(d)
		switch {
		case err != nil || n < minSessionSeconds:
			return nil, errValidation("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", d, minSessionSeconds)
		case n > maxSessionSeconds:
			return nil, errValidation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
		duration = n
	}
	if !s.roles[roleARN] {
		return nil, &apiError{status: http.StatusForbidden, typ: "AccessDeniedException", msg: "User: " + c.id.arn +
			" is not authorized to perform: sts:AssumeRole on resource: " + roleARN}
	}
	id := strings.ToUpper(strings.ReplaceAll(s.newIDLocked("session"), "-", ""))
	key := "ASIA" + id[:16]
	sess := &session{
		account: account,
		token:   SessionTokenPrefix + s.hashLocked(key),
		arn:     "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + name,
		expires: s.now().Add(time.Duration(duration) * time.Second),
	}
	secret := TemporarySecretPrefix + s.hashLocked(sess.token)[:40]
	s.sessions[key] = sess
	s.addSecretLocked(secret)
	s.addSecretLocked(sess.token)

	var out assumeRoleResult
	out.Credentials = stsCredentials{
		AccessKeyID: key, SecretAccessKey: secret, SessionToken: sess.token,
		Expiration: sess.expires.UTC().Format(time.RFC3339),
	}
	out.AssumedRoleUser.AssumedRoleID = "AROA" + id[16:] + ":" + name
	out.AssumedRoleUser.Arn = sess.arn
	return out, nil
}

// parseRoleARN splits arn:aws:iam::ACCOUNT:role/[PATH/]NAME.
func parseRoleARN(arn string) (account, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", false
	}
	account, path, ok := strings.Cut(rest, ":role/")
	if !ok || !isAccountID(account) || path == "" || !onlyChars(path, "_+=,.@-/") {
		return "", "", false
	}
	return account, path[strings.LastIndex(path, "/")+1:], true
}

type callerIdentityResult struct {
	XMLName xml.Name `xml:"GetCallerIdentityResult"`
	Arn     string
	UserID  string `xml:"UserId"`
	Account string
}

func (s *Server) getCallerIdentity(c *call) (any, *apiError) {
	return callerIdentityResult{Arn: c.id.arn, UserID: c.id.accessKey, Account: c.id.account}, nil
}
