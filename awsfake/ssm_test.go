package awsfake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func TestParameterARN(t *testing.T) {
	tests := []struct{ name, want string }{
		{"/app/db", "arn:aws:ssm:us-east-1:111122223333:parameter/app/db"},
		{"x", "arn:aws:ssm:us-east-1:111122223333:parameter/x"},
	}
	for _, tt := range tests {
		if got := awsfake.ParameterARN("aws", "us-east-1", "111122223333", tt.name); got != tt.want {
			t.Errorf("ParameterARN(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestPolicyLifecycle walks create -> read -> update -> stale update ->
// delete through the SDK, checking ids, fresh hashes and typed errors.
func TestPolicyLifecycle(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	ctx := context.Background()

	created, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if aws.ToString(created.PolicyId) == "" || aws.ToString(created.PolicyHash) == "" {
		t.Fatalf("create returned id %q hash %q", aws.ToString(created.PolicyId), aws.ToString(created.PolicyHash))
	}

	got, err := sc.GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &arn})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if len(got.Policies) != 1 || aws.ToString(got.Policies[0].Policy) != policyDoc ||
		aws.ToString(got.Policies[0].PolicyHash) != aws.ToString(created.PolicyHash) {
		t.Fatalf("get returned %+v", got.Policies)
	}

	// Writing the same document again still gives a new hash.
	updated, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: created.PolicyId, PolicyHash: created.PolicyHash,
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if aws.ToString(updated.PolicyId) != aws.ToString(created.PolicyId) {
		t.Errorf("update changed the id: %s -> %s", aws.ToString(created.PolicyId), aws.ToString(updated.PolicyId))
	}
	if aws.ToString(updated.PolicyHash) == aws.ToString(created.PolicyHash) {
		t.Error("update kept the hash; want a new hash on every write")
	}

	// The old hash is stale now.
	_, err = sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
		ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: created.PolicyId, PolicyHash: created.PolicyHash,
	})
	var conflict *types.ResourcePolicyConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("stale update: got %v, want ResourcePolicyConflictException", err)
	}

	tests := []struct {
		name     string
		id, hash string
		wantCode string
	}{
		{"wrong id", "no-such-id", aws.ToString(updated.PolicyHash), "ResourcePolicyNotFoundException"},
		{"wrong hash", aws.ToString(updated.PolicyId), "stale", "ResourcePolicyConflictException"},
	}
	for _, tt := range tests {
		t.Run("delete "+tt.name, func(t *testing.T) {
			_, err := sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: &tt.id, PolicyHash: &tt.hash})
			if errorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	var nf *types.ResourcePolicyNotFoundException
	_, err = sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: aws.String("nope"), PolicyHash: updated.PolicyHash})
	if !errors.As(err, &nf) {
		t.Errorf("delete unknown id: got %v, want typed ResourcePolicyNotFoundException", err)
	}

	if _, err := sc.DeleteResourcePolicy(ctx, &ssm.DeleteResourcePolicyInput{ResourceArn: &arn, PolicyId: updated.PolicyId, PolicyHash: updated.PolicyHash}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if n := len(f.Policies(arn)); n != 0 {
		t.Fatalf("%d policies left after delete", n)
	}
}

func TestPutResourcePolicyErrors(t *testing.T) {
	f, arn := seeded(t)
	group := f.OpsItemGroupARN()
	if _, err := f.AddPolicy(group, policyDoc); err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 1)

	big := `{"Statement":[{"Sid":"` + strings.Repeat("A", awsfake.MaxPolicyBytes) + `"}]}`
	tests := []struct {
		name     string
		in       ssm.PutResourcePolicyInput
		wantCode string
		check    func(t *testing.T, err error)
	}{
		{
			name: "over 1024 bytes", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: &big},
			wantCode: "ResourcePolicyLimitExceededException",
			check: func(t *testing.T, err error) {
				var le *types.ResourcePolicyLimitExceededException
				if !errors.As(err, &le) {
					t.Fatalf("not typed: %T", err)
				}
				if le.Limit != awsfake.MaxPolicyBytes || aws.ToString(le.LimitType) == "" || le.ErrorMessage() == "" {
					t.Errorf("limit %d type %q message %q", le.Limit, aws.ToString(le.LimitType), le.ErrorMessage())
				}
			},
		},
		{name: "multi-line", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("{\n\"Statement\":[]}")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "carriage return", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("{\"Statement\":[]}\r")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "blank", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("  \t ")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "empty", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "not JSON", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String("Statement")}, wantCode: "MalformedResourcePolicyDocumentException"},
		{name: "unknown resource", in: ssm.PutResourcePolicyInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:111122223333:parameter/nope"), Policy: aws.String(policyDoc)}, wantCode: "ResourceNotFoundException"},
		{name: "other account's group", in: ssm.PutResourcePolicyInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:999999999999:opsitemgroup/default"), Policy: aws.String(policyDoc)}, wantCode: "ResourceNotFoundException"},
		{
			name: "second policy on opsitemgroup", in: ssm.PutResourcePolicyInput{ResourceArn: &group, Policy: aws.String(policyDoc)},
			wantCode: "ResourcePolicyLimitExceededException",
			check: func(t *testing.T, err error) {
				var le *types.ResourcePolicyLimitExceededException
				if !errors.As(err, &le) || le.Limit != 1 {
					t.Errorf("got %v, want limit 1", err)
				}
			},
		},
		{
			name: "id without hash", in: ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc), PolicyId: aws.String("x")},
			wantCode: "ResourcePolicyInvalidParameterException",
			check: func(t *testing.T, err error) {
				var ip *types.ResourcePolicyInvalidParameterException
				if !errors.As(err, &ip) || len(ip.ParameterNames) == 0 {
					t.Errorf("got %v, want ParameterNames", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.PutResourcePolicy(context.Background(), &tt.in)
			if code := errorCode(err); code != tt.wantCode {
				t.Fatalf("got %v (code %q), want %s", err, code, tt.wantCode)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
	if n := len(f.Policies(arn)); n != 0 {
		t.Errorf("rejected puts stored %d policies", n)
	}
	if n := len(f.Policies(group)); n != 1 {
		t.Errorf("opsitemgroup has %d policies, want 1", n)
	}
}

func TestGetResourcePoliciesPagination(t *testing.T) {
	f, arn := seeded(t)
	const total = 23
	want := map[string]bool{}
	for i := range total {
		p, err := f.AddPolicy(arn, fmt.Sprintf(`{"Statement":[{"Sid":"S%d"}]}`, i))
		if err != nil {
			t.Fatal(err)
		}
		want[p.ID] = true
	}
	sc, _ := clients(t, f, 1)

	got := map[string]bool{}
	pages := 0
	p := ssm.NewGetResourcePoliciesPaginator(sc, &ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Policies) > 10 {
			t.Errorf("page of %d > MaxResults", len(out.Policies))
		}
		for _, e := range out.Policies {
			got[aws.ToString(e.PolicyId)] = true
		}
	}
	if pages != 3 || len(got) != total {
		t.Fatalf("%d pages, %d distinct policies; want 3 pages, %d policies", pages, len(got), total)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("policy %s missing from the pages", id)
		}
	}

	bad := []struct {
		name string
		in   ssm.GetResourcePoliciesInput
		code string
	}{
		{"max 0", ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(0)}, "ValidationException"},
		{"max 51", ssm.GetResourcePoliciesInput{ResourceArn: &arn, MaxResults: aws.Int32(51)}, "ValidationException"},
		{"bad token", ssm.GetResourcePoliciesInput{ResourceArn: &arn, NextToken: aws.String("garbage")}, "ResourcePolicyInvalidParameterException"},
		{"unknown resource", ssm.GetResourcePoliciesInput{ResourceArn: aws.String("arn:aws:ssm:us-east-1:111122223333:parameter/nope")}, "ResourceNotFoundException"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.GetResourcePolicies(context.Background(), &tt.in)
			if code := errorCode(err); code != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestDescribeParameters(t *testing.T) {
	f := awsfake.StartTest(t)
	if _, err := f.AddKey(awsfake.Key{Aliases: []string{"alias/app"}}); err != nil {
		t.Fatal(err)
	}
	// 25 parameters: with a page size of 10 the target sits on page 3, and
	// pages 1 and 2 of a filtered call come back empty but with a NextToken.
	for i := range 24 {
		if _, err := f.AddParameter(awsfake.Parameter{Name: fmt.Sprintf("/a/p%02d", i), Value: secretValue}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.AddParameter(awsfake.Parameter{Name: "/z/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app", Value: secretValue}); err != nil {
		t.Fatal(err)
	}
	sc, _ := clients(t, f, 1)

	var found []types.ParameterMetadata
	pages := 0
	p := ssm.NewDescribeParametersPaginator(sc, &ssm.DescribeParametersInput{
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{"/z/db"}}},
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		found = append(found, out.Parameters...)
	}
	if pages != 3 || len(found) != 1 {
		t.Fatalf("%d pages, %d matches; want 3 pages, 1 match", pages, len(found))
	}
	md := found[0]
	if aws.ToString(md.Name) != "/z/db" || md.Type != types.ParameterTypeSecureString || md.Tier != types.ParameterTierAdvanced ||
		aws.ToString(md.KeyId) != "alias/app" || aws.ToString(md.ARN) != "arn:aws:ssm:us-east-1:111122223333:parameter/z/db" {
		t.Fatalf("metadata %+v", md)
	}

	out, err := sc.DescribeParameters(context.Background(), &ssm.DescribeParametersInput{
		MaxResults:       aws.Int32(50),
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("BeginsWith"), Values: []string{"/a/"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 24 || out.NextToken != nil {
		t.Fatalf("BeginsWith /a/: %d parameters, token %v; want 24, none", len(out.Parameters), out.NextToken)
	}
	if out.Parameters[0].KeyId != nil {
		t.Errorf("a String parameter has KeyId %q", aws.ToString(out.Parameters[0].KeyId))
	}

	bad := []struct {
		name string
		in   ssm.DescribeParametersInput
		want error
	}{
		{"unknown key", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Colour"), Values: []string{"x"}}}}, &types.InvalidFilterKey{}},
		{"bad option", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Option: aws.String("BeginsWith"), Values: []string{"x"}}}}, &types.InvalidFilterOption{}},
		{"no values", ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name")}}}, &types.InvalidFilterValue{}},
		{"bad token", ssm.DescribeParametersInput{NextToken: aws.String("Z3JwOjE")}, &types.InvalidNextToken{}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sc.DescribeParameters(context.Background(), &tt.in)
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.want.(smithy.APIError).ErrorCode() {
				t.Fatalf("got %v, want %s", err, tt.want.(smithy.APIError).ErrorCode())
			}
		})
	}
}

// TestConcurrency hammers one policy from many goroutines: every create
// succeeds with a distinct id, and of many updates with the same hash
// exactly one wins.
func TestConcurrency(t *testing.T) {
	f, arn := seeded(t)
	sc, _ := clients(t, f, 1)
	ctx := context.Background()
	const n = 16

	var wg sync.WaitGroup
	ids := make(chan string, n)
	for range n {
		wg.Go(func() {
			out, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &arn, Policy: aws.String(policyDoc)})
			if err != nil {
				t.Error(err)
				return
			}
			ids <- aws.ToString(out.PolicyId)
		})
	}
	wg.Wait()
	close(ids)
	distinct := map[string]bool{}
	for id := range ids {
		distinct[id] = true
	}
	if len(distinct) != n || len(f.Policies(arn)) != n {
		t.Fatalf("%d distinct ids, %d stored; want %d", len(distinct), len(f.Policies(arn)), n)
	}

	target := f.Policies(arn)[0]
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range n {
		wg.Go(func() {
			_, err := sc.PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{
				ResourceArn: &arn, Policy: aws.String(fmt.Sprintf(`{"Statement":[{"Sid":"W%d"}]}`, i)),
				PolicyId: &target.ID, PolicyHash: &target.Hash,
			})
			mu.Lock()
			defer mu.Unlock()
			var conflict *types.ResourcePolicyConflictException
			switch {
			case err == nil:
				wins++
			case errors.As(err, &conflict):
				conflicts++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Fatalf("%d wins, %d conflicts; want 1 and %d", wins, conflicts, n-1)
	}
}

func TestRemovePolicy(t *testing.T) {
	f, arn := seeded(t)
	keep, err := f.AddPolicy(arn, `{"Statement":[{"Sid":"Keep"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	drop, err := f.AddPolicy(arn, `{"Statement":[{"Sid":"Drop"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.RemovePolicy(arn, drop.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.Policies(arn); len(got) != 1 || got[0].ID != keep.ID {
		t.Fatalf("after RemovePolicy: %+v, want only %s", got, keep.ID)
	}
}
