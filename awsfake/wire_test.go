package awsfake_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func TestListensOnLoopbackOnly(t *testing.T) {
	f := awsfake.StartTest(t)
	u, err := url.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" {
		t.Fatalf("URL %s: want http://127.0.0.1:<port>", f.URL())
	}
	if err := f.Listen(0); err == nil {
		t.Fatal("second Listen succeeded; want an error")
	}
}

func TestWireProtocol(t *testing.T) {
	f, arn := seeded(t)
	const ct = "application/x-amz-json-1.1"
	tests := []struct {
		name        string
		method      string
		target, ct  string
		signed      bool
		body        string
		wantStatus  int
		wantType    string
		wantContain string
	}{
		{"ok", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, true, `{"ResourceArn":"` + arn + `"}`, 200, "", `"Policies":[]`},
		{"GET", http.MethodGet, "AmazonSSM.GetResourcePolicies", ct, true, ``, 405, "UnknownOperationException", ""},
		{"unsigned", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, false, `{}`, 400, "MissingAuthenticationTokenException", ""},
		{"wrong content type", http.MethodPost, "AmazonSSM.GetResourcePolicies", "application/json", true, `{}`, 400, "SerializationException", ""},
		{"unknown operation", http.MethodPost, "AmazonSSM.PutParameter", ct, true, `{"Name":"/app/db","Value":"` + secretValue + `"}`, 400, "UnknownOperationException", ""},
		{"not JSON", http.MethodPost, "AmazonSSM.GetResourcePolicies", ct, true, `{`, 400, "SerializationException", ""},
		{"delete missing members", http.MethodPost, "AmazonSSM.DeleteResourcePolicy", ct, true, `{"ResourceArn":"` + arn + `"}`, 400, "ResourcePolicyInvalidParameterException", `"ParameterNames":["PolicyHash","PolicyId"]`},
		{"put missing policy", http.MethodPost, "AmazonSSM.PutResourcePolicy", ct, true, `{"ResourceArn":"` + arn + `"}`, 400, "ResourcePolicyInvalidParameterException", `"Policy"`},
		{"describe key without id", http.MethodPost, "TrentService.DescribeKey", ct, true, `{}`, 400, "ValidationException", ""},
		{"old-style filters", http.MethodPost, "AmazonSSM.DescribeParameters", ct, true, `{"Filters":[{"Key":"Name","Values":["x"]}]}`, 400, "InvalidFilter", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawCall(t, f, tt.method, tt.target, tt.ct, tt.signed, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", status, tt.wantStatus, body)
			}
			if tt.wantType != "" && !strings.Contains(body, `"__type":"`+tt.wantType+`"`) {
				t.Errorf("body %s lacks __type %s", body, tt.wantType)
			}
			if !strings.Contains(body, tt.wantContain) {
				t.Errorf("body %s lacks %s", body, tt.wantContain)
			}
			if strings.Contains(body, secretValue) {
				t.Errorf("response leaks the secret value: %s", body)
			}
		})
	}
}

// TestCallLogAndSecrets checks that the call log records operations and
// bodies, and that no response or log entry ever holds a secret value.
func TestCallLogAndSecrets(t *testing.T) {
	f, arn := seeded(t)
	sc, kc := clients(t, f, 1)
	ctx := context.Background()

	var captured bytes.Buffer
	if _, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)}); err != nil {
		t.Fatal(err)
	}
	dp, err := sc.DescribeParameters(ctx, &ssm.DescribeParametersInput{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&captured, "%+v\n", dp.Parameters)
	for _, md := range dp.Parameters {
		fmt.Fprintf(&captured, "%s %s %s %s %s\n", aws.ToString(md.Name), aws.ToString(md.ARN), md.Type, md.Tier, aws.ToString(md.KeyId))
	}
	if _, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(awsfake.AWSManagedSSMAlias)}); err != nil {
		t.Fatal(err)
	}
	// A client that sends a value to an operation the fake does not know.
	_, body := rawCall(t, f, http.MethodPost, "AmazonSSM.PutParameter", "application/x-amz-json-1.1", true, `{"Name":"/app/db","Value":"`+secretValue+`"}`)
	captured.WriteString(body)

	calls := f.Calls()
	wantOps := []string{awsfake.OpPutResourcePolicy, awsfake.OpDescribeParameters, awsfake.OpDescribeKey, "AmazonSSM.PutParameter"}
	if len(calls) != len(wantOps) {
		t.Fatalf("%d calls logged, want %d: %+v", len(calls), len(wantOps), calls)
	}
	for i, c := range calls {
		if c.Operation != wantOps[i] || c.Seq != i+1 {
			t.Errorf("call %d: %+v, want operation %s", i, c, wantOps[i])
		}
		fmt.Fprintf(&captured, "%+v\n", c)
	}
	if !strings.Contains(calls[0].Body, `"ResourceArn":"`+arn+`"`) || calls[0].Status != 200 {
		t.Errorf("put body not logged: %+v", calls[0])
	}
	if calls[3].ErrorType != "UnknownOperationException" {
		t.Errorf("unknown operation logged as %+v", calls[3])
	}
	if f.Count(awsfake.OpPutResourcePolicy) != 1 || f.CountOK(awsfake.AnyOperation) != 3 {
		t.Errorf("Count(Put)=%d CountOK(any)=%d, want 1 and 3", f.Count(awsfake.OpPutResourcePolicy), f.CountOK(awsfake.AnyOperation))
	}
	if s := captured.String(); strings.Contains(s, secretValue) || strings.Contains(s, awsfake.SecretAccessKey) {
		t.Fatalf("secret found in captured output:\n%s", s)
	}
	if !strings.Contains(captured.String(), "/app/db") {
		t.Fatal("captured output is missing the parameter: the grep above proves nothing")
	}
	f.ResetCalls()
	if len(f.Calls()) != 0 {
		t.Error("ResetCalls left entries")
	}
}

func TestAWSConfigAndOptions(t *testing.T) {
	f := awsfake.StartTest(t, awsfake.WithRegion("eu-west-1"), awsfake.WithAccount("444455556666"))
	if f.Region() != "eu-west-1" || f.Account() != "444455556666" {
		t.Fatalf("region %s account %s", f.Region(), f.Account())
	}
	p, err := f.AddParameter(awsfake.Parameter{Name: "x", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if p.ARN != "arn:aws:ssm:eu-west-1:444455556666:parameter/x" {
		t.Fatalf("ARN %s", p.ARN)
	}
	sc := ssm.NewFromConfig(f.AWSConfig())
	f.Throttle(awsfake.OpPutResourcePolicy, 1)
	out, err := sc.PutResourcePolicy(context.Background(), &ssm.PutResourcePolicyInput{ResourceArn: &p.ARN, Policy: aws.String(policyDoc)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.PolicyId) == "" || f.Count(awsfake.OpPutResourcePolicy) != 2 {
		t.Fatalf("id %q after %d calls; want an id after 2", aws.ToString(out.PolicyId), f.Count(awsfake.OpPutResourcePolicy))
	}
	// The default group of the configured account accepts a policy.
	if _, err := f.AddPolicy("arn:aws:ssm:eu-west-1:444455556666:opsitemgroup/default", policyDoc); err != nil {
		t.Fatal(err)
	}
	other := "arn:aws:ssm:us-west-2:444455556666:opsitemgroup/default"
	if _, err := f.AddPolicy(other, policyDoc); err == nil {
		t.Fatal("policy on an unseeded resource accepted")
	}
	f.AddResource(other)
	if _, err := f.AddPolicy(other, policyDoc); err != nil {
		t.Fatalf("after AddResource: %v", err)
	}
}
