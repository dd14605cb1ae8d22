package awsfake_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// TestRAMErrors drives each RAM error path through the SDK and checks the
// typed error (or code) and the HTTP status it arrives with.
func TestRAMErrors(t *testing.T) {
	f := awsfake.StartTest(t)
	arn := sharedParameter(t, f, "/app/db", "ssm:GetParameter")
	rc := ramClient(f, awsfake.DefaultAccount, 1)
	ctx := context.Background()
	shareARN := findShare(t, rc, arn)
	cfp := permissionOf(t, rc, shareARN).Arn
	if _, err := f.Home().AddPermission("taken", "ssm:GetParameters"); err != nil {
		t.Fatal(err)
	}
	unknownShare := "arn:aws:ram:us-east-1:111122223333:resource-share/nope"

	promoteShare := func(a string) func() error {
		return func() error {
			_, err := rc.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: &a})
			return err
		}
	}
	promotePerm := func(a, name string) func() error {
		return func() error {
			_, err := rc.PromotePermissionCreatedFromPolicy(ctx, &ram.PromotePermissionCreatedFromPolicyInput{PermissionArn: &a, Name: &name})
			return err
		}
	}
	tests := []struct {
		name   string
		inject func()
		call   func() error
		code   string
		status int
	}{
		{"unmatched permission", nil, promoteShare(shareARN), "UnmatchedPolicyPermissionException", 400},
		{"unknown share", nil, promoteShare(unknownShare), "UnknownResourceException", 400},
		{"malformed share ARN", nil, promoteShare("not-an-arn"), "MalformedArnException", 400},
		{"promote an AWS managed permission", nil, promotePerm(awsfake.PermissionReadOnly, "x"), "OperationNotPermittedException", 400},
		{"bad permission name", nil, promotePerm(aws.ToString(cfp), "has space"), "InvalidParameterException", 400},
		{"name too long", nil, promotePerm(aws.ToString(cfp), strings.Repeat("n", 37)), "InvalidParameterException", 400},
		{"name taken", nil, promotePerm(aws.ToString(cfp), "taken"), "PermissionAlreadyExistsException", 409},
		{"unknown permission", nil, promotePerm("arn:aws:ram:us-east-1:111122223333:permission/nope", "x"), "UnknownResourceException", 400},
		{"bad maxResults", nil, func() error {
			_, err := rc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, MaxResults: aws.Int32(501)})
			return err
		}, "InvalidMaxResultsException", 400},
		{"bad nextToken", nil, func() error {
			_, err := rc.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, NextToken: aws.String("junk")})
			return err
		}, "InvalidNextTokenException", 400},
		{"permissions of an unknown share", nil, func() error {
			_, err := rc.ListResourceSharePermissions(ctx, &ram.ListResourceSharePermissionsInput{ResourceShareArn: &unknownShare})
			return err
		}, "UnknownResourceException", 400},
		{"access denied", func() { f.DenyAccess(awsfake.OpPromoteResourceShareCreatedFromPolicy, 1) },
			promoteShare(shareARN), "AccessDeniedException", 403},
		{"injected operation not permitted", func() {
			f.InjectError(awsfake.OpPromoteResourceShareCreatedFromPolicy, "OperationNotPermittedException", 1)
		}, promoteShare(shareARN), "OperationNotPermittedException", 400},
		{"injected service unavailable", func() {
			f.InjectError(awsfake.OpListResources, "ServiceUnavailableException", 1)
		}, func() error {
			_, err := rc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
			return err
		}, "ServiceUnavailableException", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.inject != nil {
				tt.inject()
			}
			err := tt.call()
			if code := errorCode(err); code != tt.code {
				t.Fatalf("got %v (code %q), want %s", err, code, tt.code)
			}
			if s := httpStatus(err); s != tt.status {
				t.Errorf("status %d, want %d", s, tt.status)
			}
		})
	}

	// The modeled errors arrive typed.
	var unmatched *ramtypes.UnmatchedPolicyPermissionException
	if err := promoteShare(shareARN)(); !errors.As(err, &unmatched) || unmatched.ErrorMessage() == "" {
		t.Errorf("not typed: %T %v", err, err)
	}
	f.InjectError(awsfake.OpPromoteResourceShareCreatedFromPolicy, "OperationNotPermittedException", 1)
	var onp *ramtypes.OperationNotPermittedException
	if err := promoteShare(shareARN)(); !errors.As(err, &onp) {
		t.Errorf("injected error not typed: %T %v", err, err)
	}
	// Access denied names the IAM action, so apply can tell the user which
	// permission is missing.
	f.DenyAccess(awsfake.OpListResourceSharePermissions, 1)
	_, err := rc.ListResourceSharePermissions(ctx, &ram.ListResourceSharePermissionsInput{ResourceShareArn: &shareARN})
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), "ram:ListResourceSharePermissions") ||
		!strings.Contains(ae.ErrorMessage(), "arn:aws:iam::111122223333:") {
		t.Errorf("access denied message %v", err)
	}
}

// TestRAMReads covers the read operations' filters and paging.
func TestRAMReads(t *testing.T) {
	f := awsfake.StartTest(t)
	ctx := context.Background()
	var arns []string
	for i := range 7 {
		arns = append(arns, sharedParameter(t, f, fmt.Sprintf("/app/p%d", i), readOnly()...))
	}
	rc := ramClient(f, awsfake.DefaultAccount, 1)

	var got []string
	p := ram.NewListResourcesPaginator(rc, &ram.ListResourcesInput{
		ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceType: aws.String("ssm:Parameter"), MaxResults: aws.Int32(3),
	})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Resources {
			got = append(got, aws.ToString(r.Arn))
		}
	}
	if pages != 3 || strings.Join(got, ",") != strings.Join(arns, ",") {
		t.Fatalf("%d pages: %v; want 3 pages of %v", pages, got, arns)
	}
	for _, tt := range []struct {
		name string
		in   ram.ListResourcesInput
		want int
	}{
		{"other type", ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceType: aws.String("ec2:Subnet")}, 0},
		{"by principal", ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, Principal: aws.String(consumer)}, 7},
		{"other principal", ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, Principal: aws.String(outsider)}, 0},
		{"global scope", ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceRegionScope: ramtypes.ResourceRegionScopeFilterGlobal}, 0},
		{"not yet promoted, seen by the consumer", ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts}, 0},
	} {
		cl := rc
		if tt.in.ResourceOwner == ramtypes.ResourceOwnerOtherAccounts {
			cl = ramClient(f, consumer, 1)
		}
		out, err := cl.ListResources(ctx, &tt.in)
		if err != nil || len(out.Resources) != tt.want {
			t.Errorf("%s: %v, %d resources; want %d", tt.name, err, len(out.Resources), tt.want)
		}
	}

	// Once promoted, the consumer sees the share and its resource.
	shares := f.Home().Shares()
	if err := f.Home().PromoteShare(shares[0].ARN); err != nil {
		t.Fatal(err)
	}
	cc := ramClient(f, consumer, 1)
	lr, err := cc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(lr.Resources) != 1 || aws.ToString(lr.Resources[0].Arn) != arns[0] {
		t.Fatalf("consumer's ListResources: %v %+v", err, lr)
	}
	gs, err := cc.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(gs.ResourceShares) != 1 || gs.ResourceShares[0].FeatureSet != ramtypes.ResourceShareFeatureSetStandard {
		t.Fatalf("consumer's GetResourceShares: %v %+v", err, gs)
	}

	// The permission library: both AWS managed permissions, and the
	// customer managed ones of the account.
	if _, err := f.Home().AddPermission("mine", "ssm:GetParameter"); err != nil {
		t.Fatal(err)
	}
	lp, err := rc.ListPermissions(ctx, &ram.ListPermissionsInput{ResourceType: aws.String("ssm:parameter")})
	if err != nil || len(lp.Permissions) != 3 {
		t.Fatalf("ListPermissions: %v, %+v", err, lp)
	}
	lp, err = rc.ListPermissions(ctx, &ram.ListPermissionsInput{PermissionType: ramtypes.PermissionTypeFilterAwsManaged})
	if err != nil || len(lp.Permissions) != 2 {
		t.Fatalf("AWS managed: %v, %+v", err, lp)
	}
	gp, err := rc.GetPermission(ctx, &ram.GetPermissionInput{PermissionArn: aws.String(awsfake.PermissionReadOnlyWithHistory)})
	if err != nil {
		t.Fatal(err)
	}
	if doc := aws.ToString(gp.Permission.Permission); !strings.Contains(doc, "ssm:GetParameterHistory") || gp.Permission.PermissionType != ramtypes.PermissionTypeAwsManaged {
		t.Fatalf("GetPermission: %s %+v", doc, gp.Permission)
	}
}

// TestRAMWire checks the restJson1 envelope below the SDK.
func TestRAMWire(t *testing.T) {
	f := awsfake.StartTest(t)
	post := func(method, path, body string, signed bool) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, f.URL()+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if signed {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+awsfake.AccessKeyID+"/20260101/us-east-1/ram/aws4_request, SignedHeaders=host, Signature=0")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	tests := []struct {
		name, method, path, body string
		signed                   bool
		status                   int
		errType, contains        string
	}{
		{"ok", "POST", "/listresources", `{"resourceOwner":"SELF"}`, true, 200, "", `"resources":[]`},
		{"missing owner", "POST", "/listresources", `{}`, true, 400, "MissingRequiredParameterException", `"message":`},
		{"bad owner", "POST", "/getresourceshares", `{"resourceOwner":"ME"}`, true, 400, "InvalidParameterException", ""},
		{"share ARN missing from the query", "POST", "/promoteresourcesharecreatedfrompolicy", ``, true, 400, "MissingRequiredParameterException", ""},
		{"unknown path", "POST", "/createresourceshare", `{}`, true, 404, "UnknownOperationException", ""},
		{"GET", "GET", "/listresources", ``, true, 405, "UnknownOperationException", ""},
		{"unsigned", "POST", "/listresources", `{"resourceOwner":"SELF"}`, false, 403, "MissingAuthenticationTokenException", ""},
		{"not JSON", "POST", "/listresources", `{`, true, 400, "SerializationException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(tt.method, tt.path, tt.body, tt.signed)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tt.errType {
				t.Errorf("X-Amzn-ErrorType %q, want %q", got, tt.errType)
			}
			if strings.Contains(body, "__type") || !strings.Contains(body, tt.contains) {
				t.Errorf("body %s", body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	calls := f.Calls()
	if c := calls[0]; c.Service != "ram" || c.Operation != awsfake.OpListResources || c.Path != "/listresources" || c.Account != awsfake.DefaultAccount {
		t.Errorf("call log entry %+v", c)
	}
	if c := calls[4]; c.Operation != "/createresourceshare" || c.Body != "[not recorded: unknown operation]" {
		t.Errorf("unknown path logged as %+v", c)
	}
}
