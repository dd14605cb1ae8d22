package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestCredentialsRedacted: an endpoint whose errors echo the request's signing headers cannot
// get the session token, the access key id or the signature printed, in any output of apply or
// of check --live.
func TestCredentialsRedacted(t *testing.T) {
	w := newWorld(t)
	const (
		keyID   = "ASIAREDACTTEST000001"
		session = "FwoGZXIvYXdzRedactTestSessionToken-never-print-1b2c"
	)
	t.Setenv("AWS_ACCESS_KEY_ID", keyID)
	t.Setenv("AWS_SESSION_TOKEN", session)
	echo := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		msg := fmt.Sprintf("denied; request headers: Authorization: %s X-Amz-Security-Token: %s",
			r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token"))
		rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
		rw.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(rw).Encode(map[string]string{"__type": "EchoHeadersException", "Message": msg})
	}))
	t.Cleanup(echo.Close)
	m := w.manifest("ssmpolicy.yaml", w.dbEntry())
	for _, args := range [][]string{
		{"apply", "--yes", m},
		{"apply", "--yes", "-o", "json", m},
		{"apply", "--yes", "-o", "github", m},
		{"apply", "--yes", "-o", "jsonl", m},
		{"apply", "--dry-run", "--promote", m},
		{"check", "--live", m},
		{"check", "--live", "-o", "json", m},
	} {
		env, out, errb := testEnv(w.dir, "")
		full := append([]string{args[0], "--endpoint-url", echo.URL}, args[1:]...)
		code := RunEnv(context.Background(), full, env)
		all := out.String() + errb.String()
		if code != ExitError || !strings.Contains(all, "EchoHeadersException") {
			t.Fatalf("%v: exit %d, the echoed error not reported:\n%s", args, code, all)
		}
		for _, secret := range []string{keyID, session, awsfake.SecretAccessKey, "Signature="} {
			if strings.Contains(all, secret) {
				t.Errorf("%v prints %.10s...:\n%s", args, secret, all)
			}
		}
		if !strings.Contains(all, "<redacted>") {
			t.Errorf("%v: no redaction shown:\n%s", args, all)
		}
	}
}
