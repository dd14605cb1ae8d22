package awsfake_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

// TestAccountsAndRegions: one server, a separate store per account and
// region, chosen by the caller's access key and SigV4 scope.
func TestAccountsAndRegions(t *testing.T) {
	f := awsfake.StartTest(t)
	ctx := context.Background()
	type where struct{ account, region string }
	places := []where{
		{awsfake.DefaultAccount, "us-east-1"},
		{awsfake.DefaultAccount, "eu-west-1"},
		{consumer, "us-east-1"},
	}
	arns := map[where]string{}
	for _, w := range places {
		p, err := f.At(w.account, w.region).AddParameter(awsfake.Parameter{Name: "/app/" + w.region, Tier: awsfake.TierAdvanced})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p.ARN, ":"+w.region+":"+w.account+":") {
			t.Fatalf("ARN %s not in %v", p.ARN, w)
		}
		arns[w] = p.ARN
	}
	for _, w := range places {
		out, err := ssmAs(f, w.account, w.region, 1).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Parameters) != 1 || aws.ToString(out.Parameters[0].ARN) != arns[w] {
			t.Errorf("%v sees %+v, want only %s", w, out.Parameters, arns[w])
		}
		key, err := kms.NewFromConfig(as(f, w.account, w.region, 1)).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(awsfake.AWSManagedSSMAlias)})
		if err != nil {
			t.Fatal(err)
		}
		if want := "arn:aws:kms:" + w.region + ":" + w.account + ":key/"; !strings.HasPrefix(aws.ToString(key.KeyMetadata.Arn), want) {
			t.Errorf("%v: alias/aws/ssm is %s", w, aws.ToString(key.KeyMetadata.Arn))
		}
	}
	// Another account cannot write a policy on the home account's parameter,
	// nor can the home account reach it through another region's endpoint.
	home := arns[places[0]]
	for _, w := range []where{{consumer, "us-east-1"}, {awsfake.DefaultAccount, "eu-west-1"}} {
		_, err := ssmAs(f, w.account, w.region, 1).PutResourcePolicy(ctx, &ssm.PutResourcePolicyInput{ResourceArn: &home, Policy: aws.String(policyDoc)})
		if code := errorCode(err); code != "ResourceNotFoundException" {
			t.Errorf("%v writing %s: %v", w, home, err)
		}
	}
	last := f.Calls()[len(f.Calls())-1]
	if last.Account != awsfake.DefaultAccount || last.Region != "eu-west-1" || last.Service != "ssm" {
		t.Errorf("last call %+v", last)
	}
	if got := f.At(consumer, "us-east-1").OpsItemGroupARN(); got != "arn:aws:ssm:us-east-1:"+consumer+":opsitemgroup/default" {
		t.Errorf("OpsItemGroupARN %s", got)
	}
	if f.Home().Account() != awsfake.DefaultAccount || f.Home().Region() != awsfake.DefaultRegion {
		t.Errorf("home store %s/%s", f.Home().Account(), f.Home().Region())
	}
}

// TestSharingIsRegional: a share of us-east-1 is not seen by the consumer
// in another region; a wildcard principal is seen by any account.
func TestSharingIsRegional(t *testing.T) {
	f := awsfake.StartTest(t)
	named := sharedParameter(t, f, "/app/named", readOnly()...)
	wild, err := f.AddParameter(awsfake.Parameter{Name: "/app/wild", Tier: awsfake.TierAdvanced})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddPolicy(wild.ARN, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ssm:GetParameter","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	for _, sh := range f.Home().Shares() {
		if err := f.Home().PromoteShare(sh.ARN); err != nil {
			t.Fatal(err)
		}
	}
	if !consumerSees(t, f, consumer, named) || !consumerSees(t, f, outsider, wild.ARN) || consumerSees(t, f, outsider, named) {
		t.Fatal("visibility by principal is wrong")
	}
	out, err := ssmAs(f, consumer, "eu-west-1", 1).DescribeParameters(context.Background(), &ssm.DescribeParametersInput{Shared: aws.Bool(true)})
	if err != nil || len(out.Parameters) != 0 {
		t.Fatalf("consumer in eu-west-1: %v, %+v", err, out)
	}
	// Shared listings name the parameter by ARN and can be filtered.
	out, err = ssmAs(f, consumer, awsfake.DefaultRegion, 1).DescribeParameters(context.Background(), &ssm.DescribeParametersInput{
		Shared: aws.Bool(true), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Values: []string{named}}},
	})
	if err != nil || len(out.Parameters) != 1 || aws.ToString(out.Parameters[0].Name) != named {
		t.Fatalf("filtered shared listing: %v, %+v", err, out)
	}
}
