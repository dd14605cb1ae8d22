package awsfake_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func TestSeedDeterministic(t *testing.T) {
	seed := func(s uint64) awsfake.SeedReport {
		spec := awsfake.DefaultSeedSpec(300)
		spec.Seed = s
		rep, err := awsfake.New().Seed(spec)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a, b, c := seed(7), seed(7), seed(8)
	if !slices.Equal(a.Planted, b.Planted) || !slices.Equal(a.Clean, b.Clean) || a.Advanced != b.Advanced {
		t.Fatal("the same spec seeded different data")
	}
	if slices.Equal(a.Clean, c.Clean) {
		t.Fatal("another seed gave the same policies")
	}
	if _, err := awsfake.New().Seed(awsfake.SeedSpec{Parameters: -1}); err == nil {
		t.Fatal("a negative count was accepted")
	}
}

// pageAll pages DescribeParameters to the end and returns every parameter
// and the number of pages.
func pageAll(t *testing.T, sc *ssm.Client, in *ssm.DescribeParametersInput) ([]types.ParameterMetadata, int) {
	t.Helper()
	var all []types.ParameterMetadata
	pages := 0
	p := ssm.NewDescribeParametersPaginator(sc, in)
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, out.Parameters...)
	}
	return all, pages
}

// TestSeedAtScale seeds 10,000 parameters over two accounts and two
// regions and reads them back the way an audit does.
//
// Its clients may retry (3 attempts): smithy-go closes a request's body as
// soon as the response headers arrive, and when that beats net/http's
// check for extra body bytes, the transport takes the io.EOF the closed
// body returns for a write error and closes the connection while a
// response larger than its read buffer is still being read ("use of closed
// network connection"). Against a server as fast as this one that happens
// now and then; the SDK retries it as a connection error.
func TestSeedAtScale(t *testing.T) {
	f := awsfake.StartTest(t)
	spec := awsfake.DefaultSeedSpec(2500)
	spec.Accounts = []string{awsfake.DefaultAccount, "222233334444"}
	spec.Regions = []string{"us-east-1", "eu-west-1"}
	spec.Role = "ssmpolicy-audit"
	rep, err := f.Seed(spec)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Parameters != 10000 || rep.Advanced < 4500 || rep.Advanced > 5500 || rep.Policies < 2000 || rep.Policies > 3000 {
		t.Fatalf("report %d parameters, %d advanced, %d policies", rep.Parameters, rep.Advanced, rep.Policies)
	}
	kinds := map[string]int{}
	for _, p := range rep.Planted {
		kinds[p.Problem]++
	}
	for _, k := range []string{awsfake.ProblemWildcardPrincipal, awsfake.ProblemUnpromotedShare, awsfake.ProblemAWSManagedKey, awsfake.ProblemOutsideAccount} {
		if kinds[k] == 0 {
			t.Errorf("no %s planted: %v", k, kinds)
		}
	}
	if len(rep.Planted)+len(rep.Clean) != rep.Policies || rep.Promoted != rep.Policies-kinds[awsfake.ProblemUnpromotedShare] {
		t.Fatalf("report does not add up: %+v", kinds)
	}

	checkAdvancedListing(t, f, spec, rep)
	checkPlanted(t, f, rep)
	checkConsumerView(t, f, rep)
	// Each seeded account's role can be assumed.
	if _, err := assumed(f, awsfake.RoleARN("222233334444", "ssmpolicy-audit"), 1).Credentials.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// checkAdvancedListing: the Advanced filter over every page of every store
// finds exactly the Advanced parameters.
func checkAdvancedListing(t *testing.T, f *awsfake.Server, spec awsfake.SeedSpec, rep awsfake.SeedReport) {
	t.Helper()
	advanced := 0
	for _, account := range spec.Accounts {
		for _, region := range spec.Regions {
			got, pages := pageAll(t, ssmAs(f, account, region, 3), &ssm.DescribeParametersInput{
				MaxResults:       aws.Int32(50),
				ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Tier"), Option: aws.String("Equals"), Values: []string{"Advanced"}}},
			})
			if pages != 50 {
				t.Errorf("%s/%s: %d pages, want 2500/50", account, region, pages)
			}
			for _, md := range got {
				if md.Tier != types.ParameterTierAdvanced || !strings.Contains(aws.ToString(md.ARN), ":"+region+":"+account+":") {
					t.Fatalf("%s/%s listed %+v", account, region, md)
				}
			}
			advanced += len(got)
		}
	}
	if advanced != rep.Advanced {
		t.Fatalf("the Tier filter found %d Advanced parameters, the seed made %d", advanced, rep.Advanced)
	}
}

// checkPlanted: each kind of planted problem is there to be found.
func checkPlanted(t *testing.T, f *awsfake.Server, rep awsfake.SeedReport) {
	t.Helper()
	planted := func(kind string) awsfake.Planted {
		i := slices.IndexFunc(rep.Planted, func(p awsfake.Planted) bool { return p.Problem == kind })
		return rep.Planted[i]
	}
	ctx := context.Background()
	w := planted(awsfake.ProblemWildcardPrincipal)
	gp, err := ssmAs(f, w.Account, w.Region, 3).GetResourcePolicies(ctx, &ssm.GetResourcePoliciesInput{ResourceArn: &w.ARN})
	if err != nil || len(gp.Policies) != 1 || !strings.Contains(aws.ToString(gp.Policies[0].Policy), `"Principal":"*"`) {
		t.Fatalf("wildcard policy: %v %+v", err, gp)
	}
	u := planted(awsfake.ProblemUnpromotedShare)
	rc := ram.NewFromConfig(as(f, u.Account, u.Region, 3))
	lr, err := rc.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceArns: []string{u.ARN}})
	if err != nil || len(lr.Resources) != 1 {
		t.Fatalf("unpromoted share: %v %+v", err, lr)
	}
	gs, err := rc.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceShareArns: []string{aws.ToString(lr.Resources[0].ResourceShareArn)}})
	if err != nil || gs.ResourceShares[0].FeatureSet != ramtypes.ResourceShareFeatureSetCreatedFromPolicy {
		t.Fatalf("unpromoted share state: %v %+v", err, gs)
	}
	// The Name filter finds the AWS managed key's parameter on one page of
	// many, as AWS pages before it filters.
	k := planted(awsfake.ProblemAWSManagedKey)
	name := k.ARN[strings.Index(k.ARN, ":parameter")+len(":parameter"):]
	byName := []types.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{name}}}
	all, pages := pageAll(t, ssmAs(f, k.Account, k.Region, 3), &ssm.DescribeParametersInput{ParameterFilters: byName})
	if len(all) != 1 || aws.ToString(all[0].KeyId) != awsfake.AWSManagedSSMAlias || pages < 2 {
		t.Fatalf("AWS managed key parameter: %+v over %d pages", all, pages)
	}
	key, err := kms.NewFromConfig(as(f, k.Account, k.Region, 3)).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(awsfake.SeedKeyAlias)})
	if err != nil || key.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeCustomer {
		t.Fatalf("seed key: %v", err)
	}
}

// checkConsumerView: the consumer finds in us-east-1 exactly the promoted
// shares that grant it (or everyone).
func checkConsumerView(t *testing.T, f *awsfake.Server, rep awsfake.SeedReport) {
	t.Helper()
	want := 0
	for _, p := range rep.Planted {
		if p.Region == "us-east-1" && (p.Problem == awsfake.ProblemWildcardPrincipal || p.Problem == awsfake.ProblemAWSManagedKey) {
			want++
		}
	}
	for _, arn := range rep.Clean {
		if strings.Contains(arn, ":us-east-1:") {
			want++
		}
	}
	shared, _ := pageAll(t, ssmAs(f, "444455556666", "us-east-1", 3), &ssm.DescribeParametersInput{Shared: aws.Bool(true), MaxResults: aws.Int32(50)})
	if len(shared) != want {
		t.Fatalf("the consumer sees %d shared parameters, want %d", len(shared), want)
	}
}

// BenchmarkSeed measures seeding 10,000 parameters in one store.
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		if _, err := awsfake.New().Seed(awsfake.DefaultSeedSpec(10000)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDescribeParametersPage measures one 50-parameter page of a
// 10,000-parameter store through the SDK, the unit of an audit's listing.
func BenchmarkDescribeParametersPage(b *testing.B) {
	f := awsfake.StartTest(b)
	if _, err := f.Seed(awsfake.DefaultSeedSpec(10000)); err != nil {
		b.Fatal(err)
	}
	sc := ssmAs(f, awsfake.DefaultAccount, awsfake.DefaultRegion, 3)
	var token *string
	for b.Loop() {
		out, err := sc.DescribeParameters(context.Background(), &ssm.DescribeParametersInput{MaxResults: aws.Int32(50), NextToken: token})
		if err != nil {
			b.Fatal(err)
		}
		token = out.NextToken
	}
}
