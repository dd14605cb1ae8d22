package awsapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
)

const (
	echoKeyID   = "ASIAECHOTEST00000001"
	echoSecret  = "echo-secret-access-key-DO-NOT-PRINT-0c7e"
	echoSession = "FwoGZXIvYXdzEchoSessionToken-DO-NOT-PRINT-55d1"
)

// echoServer answers every request with an error whose message repeats the request's signing
// headers, and the secret key besides, as a misconfigured proxy might.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := fmt.Sprintf("bad request; headers were Authorization: %s\nX-Amz-Security-Token: %s; and the key %s",
			r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token"), echoSecret)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", "EchoException")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": "EchoException", "Message": msg})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRedaction: an endpoint that echoes the request's credentials into its error cannot get
// them printed: Explain, Describe and the error's own text are scrubbed.
func TestRedaction(t *testing.T) {
	isolateEnv(t)
	srv := echoServer(t)
	c, err := awsapi.NewClients(context.Background(), awsapi.Options{
		Region: "us-east-1", EndpointURL: srv.URL, MaxAttempts: 1, Timeout: 2 * time.Second,
		Credentials: credentials.NewStaticCredentialsProvider(echoKeyID, echoSecret, echoSession),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = awsapi.ResourcePolicies(context.Background(), c.SSM, "arn:aws:ssm:us-east-1:111122223333:parameter/app/db")
	if err == nil {
		t.Fatal("the echo server's error was not returned")
	}
	wrapped := fmt.Errorf("read policies: %w", err)
	for name, text := range map[string]string{
		"Explain": awsapi.Explain(err), "Describe": awsapi.Describe(err), "Error": err.Error(), "wrapped": wrapped.Error(),
		"Scrub": awsapi.Scrub(err, "the key was "+echoKeyID),
	} {
		for _, secret := range []string{echoKeyID, echoSecret, echoSession, "Signature=", "Credential="} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %.12s...: %s", name, secret, text)
			}
		}
		if !strings.Contains(text, awsapi.Redacted) {
			t.Errorf("%s shows no redaction: %s", name, text)
		}
	}
	if got := awsapi.Explain(err); !strings.HasPrefix(got, "EchoException: bad request; headers were Authorization: "+awsapi.Redacted) {
		t.Errorf("Explain = %q: the code and the rest of the message should stay", got)
	}
}

// TestRedactShapes: credentials are scrubbed by their shape too, for text no profile signed.
func TestRedactShapes(t *testing.T) {
	for in, want := range map[string]string{
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/20240101/us-east-1/ssm/aws4_request, Signature=abc\nnext": "Authorization: <redacted>\nnext",
		`{"X-Amz-Security-Token":"IQoJb3JpZ2luX2Vj"}`:            `{"X-Amz-Security-Token":"<redacted>"}`,
		"url?X-Amz-Credential=AKIAX%2F2024&X-Amz-Signature=0a1b": "url?X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>",
		"key AKIAIOSFODNN7EXAMPLE used":                          "key <redacted> used",
		"nothing to hide":                                        "nothing to hide",
	} {
		if got := awsapi.Scrub(errors.New("x"), in); got != want {
			t.Errorf("Scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
