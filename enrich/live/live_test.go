package live_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/awsfake"
	"github.com/ssmpolicy/ssmpolicy/enrich/live"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// world is a fake AWS with seeded parameters and the clients that reach it.
type world struct {
	fake   *awsfake.Server
	c      *awsapi.Clients
	appKey awsfake.Key
	db     awsfake.Parameter // SecureString, Advanced, customer key alias/app-secrets
	web    awsfake.Parameter // String, Standard
	legacy awsfake.Parameter // SecureString, Advanced, AWS managed key behind alias/legacy
}

func newWorld(t *testing.T) *world {
	t.Helper()
	awsfake.Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.SecretAccessKey)
	w := &world{fake: awsfake.StartTest(t)}
	c, err := awsapi.NewClients(context.Background(), awsapi.Options{Region: awsfake.DefaultRegion, EndpointURL: w.fake.URL(),
		Timeout: 3 * time.Second, MaxAttempts: 2, MaxBackoff: time.Millisecond})
	must(t, err)
	w.c = c
	w.appKey, err = w.fake.AddKey(awsfake.Key{Aliases: []string{"alias/app-secrets"}})
	must(t, err)
	_, err = w.fake.AddKey(awsfake.Key{Manager: awsfake.KeyManagerAWS, Aliases: []string{"alias/legacy"}})
	must(t, err)
	w.db, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/db", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/app-secrets", Value: "secret-db"})
	must(t, err)
	w.web, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/web", Tier: awsfake.TierStandard, Value: "value-of-web"})
	must(t, err)
	w.legacy, err = w.fake.AddParameter(awsfake.Parameter{Name: "/app/legacy", Type: awsfake.TypeSecureString, Tier: awsfake.TierAdvanced, KeyID: "alias/legacy", Value: "secret-legacy"})
	must(t, err)
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// manifest reads a manifest of one entry, with the parameter facts given as YAML lines, and
// returns its target.
func manifest(t *testing.T, arn string, facts ...string) *input.Target {
	t.Helper()
	src := fmt.Sprintf("resources:\n  - arn: %s\n", arn)
	if len(facts) > 0 {
		src += "    parameter:\n      " + strings.Join(facts, "\n      ") + "\n"
	}
	src += fmt.Sprintf("    policy: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": \"ssm:GetParameter\", \"Resource\": \"%s\"}]}'\n", arn)
	r, err := input.NewReader(input.Context{})
	must(t, err)
	res, err := r.Read(jsonpos.NewFile("ssmpolicy.yaml", []byte(src)))
	must(t, err)
	if len(res.Targets) != 1 || len(res.Targets[0].Problems) != 0 || res.Targets[0].Policy == nil {
		t.Fatalf("manifest:\n%s\nread as %+v", src, res)
	}
	return res.Targets[0]
}

// line is the line of a location, 0 when it is not in a file.
func line(l input.Location) int {
	if l.File == nil {
		return 0
	}
	return l.File.Pos(l.Span.Start).Line
}

func TestLiveFactsWin(t *testing.T) {
	w := newWorld(t)
	stage := live.New(w.c)
	ctx := context.Background()

	// The manifest calls a Standard parameter Advanced: the mismatch is at the tier line, and
	// the checks get AWS's tier, still placed there.
	web := manifest(t, w.web.ARN, "tier: Advanced", "type: String")
	must(t, stage.Enrich(ctx, web))
	if len(web.Problems) != 1 || web.Problems[0].Rule != live.RuleContextMismatch || line(web.Problems[0].Loc) != 4 ||
		web.Problems[0].Message != "the manifest says tier Advanced, AWS says Standard: the checks used AWS's" {
		t.Fatalf("problems %+v, want one context-mismatch at line 4", web.Problems)
	}
	if web.Tier.Value != "Standard" || !web.Tier.Known || line(web.Tier.Loc) != 4 || web.Type.Value != "String" {
		t.Fatalf("facts tier %+v type %+v", web.Tier, web.Type)
	}

	// Facts the manifest leaves out are filled in, with no finding; KeyManager comes from KMS.
	legacy := manifest(t, w.legacy.ARN)
	must(t, stage.Enrich(ctx, legacy))
	if len(legacy.Problems) != 0 || legacy.Tier.Value != "Advanced" || legacy.Type.Value != "SecureString" ||
		legacy.KeyID.Value != "alias/legacy" || legacy.KeyManager.Value != "AWS" || !legacy.KeyManager.Known {
		t.Fatalf("legacy: problems %+v, facts %+v %+v %+v %+v", legacy.Problems, legacy.Tier, legacy.Type, legacy.KeyID, legacy.KeyManager)
	}

	// A key the input names for a parameter AWS says has none is moot.
	keyed := manifest(t, w.web.ARN, "tier: Standard", "keyId: alias/app-secrets")
	must(t, stage.Enrich(ctx, keyed))
	if len(keyed.Problems) != 0 || keyed.KeyID.Known || keyed.KeyManager.Known || line(keyed.KeyID.Loc) != 5 {
		t.Fatalf("a String parameter keeps a key: %+v %+v, problems %+v", keyed.KeyID, keyed.KeyManager, keyed.Problems)
	}

	// Facts given by flags have no place in a file: the mismatch names the flag and sits at
	// the target.
	flagged := manifest(t, w.web.ARN)
	flagged.Tier = input.Fact{Value: "Advanced", Known: true}
	must(t, stage.Enrich(ctx, flagged))
	if len(flagged.Problems) != 1 || flagged.Problems[0].Message != "--tier says tier Advanced, AWS says Standard: the checks used AWS's" ||
		line(flagged.Problems[0].Loc) != 2 {
		t.Fatalf("flag mismatch %+v", flagged.Problems)
	}
	// Intelligent-Tiering is either tier once written.
	it := manifest(t, w.web.ARN, "tier: Intelligent-Tiering")
	must(t, stage.Enrich(ctx, it))
	if len(it.Problems) != 0 {
		t.Fatalf("Intelligent-Tiering against Standard: %+v", it.Problems)
	}
	if n := w.fake.Count(awsfake.OpDescribeParameters); n != 2 {
		t.Fatalf("%d DescribeParameters for 2 parameters asked 5 times, want 2", n)
	}
}

func TestLiveKeySpellings(t *testing.T) {
	w := newWorld(t)
	other, err := w.fake.AddKey(awsfake.Key{Aliases: []string{"alias/other"}})
	must(t, err)
	stage := live.New(w.c)
	for _, tt := range []struct {
		key      string
		mismatch bool
	}{
		{"alias/app-secrets", false},
		{w.appKey.ARN, false},
		{w.appKey.KeyID, false},
		{"alias/other", true},
		{other.ARN, true},
		{"alias/none", true},
	} {
		target := manifest(t, w.db.ARN, "keyId: "+tt.key)
		must(t, stage.Enrich(context.Background(), target))
		if got := len(target.Problems) == 1; got != tt.mismatch {
			t.Errorf("key %s: problems %+v, want a mismatch: %v", tt.key, target.Problems, tt.mismatch)
			continue
		}
		if tt.mismatch && (line(target.Problems[0].Loc) != 4 ||
			target.Problems[0].Message != fmt.Sprintf("the manifest says key %s, AWS says alias/app-secrets: the checks used AWS's", tt.key)) {
			t.Errorf("key %s: %+v", tt.key, target.Problems[0])
		}
		if target.KeyID.Value != "alias/app-secrets" || target.KeyManager.Value != "CUSTOMER" {
			t.Errorf("key %s: the checks get %+v %+v, want AWS's key", tt.key, target.KeyID, target.KeyManager)
		}
	}
	// The parameter's key once, then each spelling that is not the parameter's key id or key
	// ARN once: the key id, alias/other, other's ARN, alias/none.
	if n := w.fake.Count(awsfake.OpDescribeKey); n != 5 {
		t.Fatalf("%d DescribeKey, want 5", n)
	}
}

func TestLiveMissingParameter(t *testing.T) {
	w := newWorld(t)
	arn := awsfake.ParameterARN("aws", awsfake.DefaultRegion, awsfake.DefaultAccount, "/app/nope")
	target := manifest(t, arn, "tier: Advanced")
	must(t, live.New(w.c).Enrich(context.Background(), target))
	if len(target.Problems) != 1 || target.Problems[0].Rule != live.RuleResourceNotFound || line(target.Problems[0].Loc) != 2 ||
		!strings.HasPrefix(target.Problems[0].Message, "AWS has no parameter /app/nope in region us-east-1 for these credentials") {
		t.Fatalf("problems %+v, want one resource-not-found at the arn line", target.Problems)
	}
	if target.Tier.Value != "Advanced" {
		t.Fatalf("the facts of a parameter AWS does not have changed: %+v", target.Tier)
	}
}

// TestLiveNotLookedUp: targets that name no parameter, or one with parts known only at deploy
// time, are left as they are, without a call.
func TestLiveNotLookedUp(t *testing.T) {
	w := newWorld(t)
	stage := live.New(w.c)
	for _, arn := range []string{
		w.fake.OpsItemGroupARN(),
		"arn:aws:ssm:us-east-1:111122223333:parameter//app/db",
		"arn:aws:ssm:us-east-1:111122223333:document/x",
	} {
		target := manifest(t, arn, "tier: Advanced")
		must(t, stage.Enrich(context.Background(), target))
		if len(target.Problems) != 0 || target.Tier.Value != "Advanced" {
			t.Errorf("%s: %+v %+v", arn, target.Problems, target.Tier)
		}
	}
	unknown := manifest(t, w.db.ARN)
	unknown.ARN.Value = strings.Replace(unknown.ARN.Value, "111122223333", input.Unknown, 1)
	must(t, stage.Enrich(context.Background(), unknown))
	noARN := manifest(t, w.db.ARN)
	noARN.ARN = input.Fact{}
	must(t, stage.Enrich(context.Background(), noARN))
	if n := w.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d calls for targets that name no parameter", n)
	}
}

// TestLiveErrors: a failing call and a target of another region are errors that name the
// target; the run cannot vouch for it.
func TestLiveErrors(t *testing.T) {
	w := newWorld(t)
	stage := live.New(w.c)
	w.fake.FailInternal(awsfake.OpDescribeParameters, 2)
	err := stage.Enrich(context.Background(), manifest(t, w.web.ARN))
	want := fmt.Sprintf("%s (ssmpolicy.yaml:2): --live lookup: describe parameter /app/web: InternalServerError: ", w.web.ARN)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want it to start with %q", err, want)
	}

	w.fake.ResetCalls()
	eu := awsfake.ParameterARN("aws", "eu-west-1", awsfake.DefaultAccount, "/app/eu")
	err = stage.Enrich(context.Background(), manifest(t, eu))
	if err == nil || err.Error() != eu+" (ssmpolicy.yaml:2): --live: the ARN is in region eu-west-1 but the AWS clients use us-east-1" {
		t.Fatalf("error %v", err)
	}
	if n := w.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d calls for a target of another region", n)
	}

	// A key that cannot be resolved is an error too.
	w.fake.FailInternal(awsfake.OpDescribeKey, 2)
	err = live.New(w.c).Enrich(context.Background(), manifest(t, w.web.ARN))
	if err != nil {
		t.Fatalf("a String parameter needs no key: %v", err)
	}
	w.fake.ClearFaults()
	l := live.New(w.c)
	must(t, l.Enrich(context.Background(), manifest(t, w.db.ARN))) // the parameter's own key, resolved
	w.fake.FailInternal(awsfake.OpDescribeKey, 2)
	err = l.Enrich(context.Background(), manifest(t, w.db.ARN, "keyId: alias/other"))
	if err == nil || !strings.Contains(err.Error(), "--live lookup: describe key alias/other: InternalServerError") {
		t.Fatalf("error %v", err)
	}
}

// TestLiveRegions: over a profile's Regions, each target is looked up in the region its ARN
// names, with no --region.
func TestLiveRegions(t *testing.T) {
	w := newWorld(t)
	p, err := awsapi.LoadProfile(context.Background(), awsapi.Options{EndpointURL: w.fake.URL(), Timeout: 3 * time.Second, MaxAttempts: 2})
	must(t, err)
	eu, err := w.fake.At(awsfake.DefaultAccount, "eu-west-1").AddParameter(awsfake.Parameter{Name: "/app/eu", Tier: awsfake.TierAdvanced, Value: "v"})
	must(t, err)
	stage := live.New(p.Regions())
	for _, arn := range []string{eu.ARN, w.web.ARN} {
		target := manifest(t, arn, "tier: Standard")
		must(t, stage.Enrich(context.Background(), target))
		want := map[string]string{eu.ARN: "Advanced", w.web.ARN: "Standard"}[arn]
		if target.Tier.Value != want {
			t.Errorf("%s: tier %q, want AWS's %q", arn, target.Tier.Value, want)
		}
	}
	regions := map[string]bool{}
	for _, c := range w.fake.Calls() {
		regions[c.Region] = true
	}
	if !regions["eu-west-1"] || !regions[awsfake.DefaultRegion] {
		t.Fatalf("calls went to %v, want both regions", regions)
	}
}

// TestLiveCredentialsOnce: when the credentials do not work, the first target says why and the
// others refer to it, with no call of their own.
func TestLiveCredentialsOnce(t *testing.T) {
	w := newWorld(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	c, err := awsapi.NewClients(context.Background(), awsapi.Options{Region: awsfake.DefaultRegion, EndpointURL: w.fake.URL(), MaxAttempts: 1})
	must(t, err)
	stage := live.New(c)
	first := stage.Enrich(context.Background(), manifest(t, w.web.ARN))
	second := stage.Enrich(context.Background(), manifest(t, w.db.ARN))
	if first == nil || !strings.Contains(first.Error(), "no usable AWS credentials") {
		t.Fatalf("first: %v", first)
	}
	if second == nil || !strings.HasSuffix(second.Error(), "--live lookup not made: the AWS credentials did not work (said once, above)") {
		t.Fatalf("second: %v", second)
	}
	if n := w.fake.Count(awsfake.AnyOperation); n != 0 {
		t.Fatalf("%d calls without credentials", n)
	}
}
