package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/input"
)

// Rule ids the --live lookup reports. They extend PRODUCT.md's catalogue.
const (
	ruleContextMismatch  = "context-mismatch"
	ruleResourceNotFound = "resource-not-found"
)

// liveFlags are --live and the AWS connection flags that check and apply share.
type liveFlags struct {
	live        bool
	profile     string
	region      string
	endpointURL string
	debug       bool
}

func (l *liveFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&l.live, "live", false, "look the parameters' tier, type and KMS key up in AWS instead of trusting the files (DescribeParameters, kms:DescribeKey)")
	fs.StringVar(&l.profile, "profile", "", "AWS profile of the shared config files (default: AWS_PROFILE or the default profile)")
	fs.StringVar(&l.region, "region", "", "AWS region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&l.endpointURL, "endpoint-url", "", "send SSM and KMS calls to this URL instead of AWS's (beats AWS_ENDPOINT_URL_SSM/_KMS)")
	fs.BoolVar(&l.debug, "debug", false, "print each AWS call with its status and duration to stderr (never headers, bodies or credentials)")
}

// clients builds the SSM and KMS clients the flags describe, from the standard SDK chain.
// Building them makes no call: credentials are resolved on the first request.
func (l *liveFlags) clients(ctx context.Context, env *Env) (*awsapi.Clients, error) {
	o := awsapi.Options{Profile: l.profile, Region: l.region, EndpointURL: l.endpointURL}
	if l.debug {
		o.Trace = env.Stderr
	}
	c, err := awsapi.NewClients(ctx, o)
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("AWS: %w", err)}
	}
	return c, nil
}

// prepare returns the linter.RunOptions.Prepare hook of check for --live, or nil without
// --live. The clients are built here, so that a missing region or a bad --endpoint-url is one
// error (exit 2) rather than one per target.
func (l *liveFlags) prepare(cmd *cobra.Command, env *Env) (func(context.Context, *input.Target) error, error) {
	if !l.live {
		return nil, nil
	}
	c, err := l.clients(cmd.Context(), env)
	if err != nil {
		return nil, err
	}
	return newLiveLookup(c).prepare, nil
}

// liveLookup fills targets' facts from AWS. One lookup per parameter ARN and one DescribeKey
// per key within a run, however many targets name them and however many workers ask at once.
type liveLookup struct {
	c      *awsapi.Clients
	lookup *awsapi.Lookup
}

func newLiveLookup(c *awsapi.Clients) *liveLookup {
	return &liveLookup{c: c, lookup: awsapi.NewLookup(c)}
}

// prepare is linter.RunOptions.Prepare: for a target whose ARN is a parameter ARN with no
// part left unknown, it asks AWS for the tier, type and key and makes them the target's facts.
// Where the input said otherwise, a context-mismatch finding says so at the place it was
// written (the checks use AWS's value); a parameter AWS does not have is a resource-not-found
// finding. An AWS call that fails is an error: the run cannot vouch for that target.
func (l *liveLookup) prepare(ctx context.Context, t *input.Target) error {
	arn, ok := parameterARN(t)
	if !ok {
		return nil
	}
	if err := l.c.CheckRegion(arn); err != nil {
		return fmt.Errorf("%s: --live: %w", targetName(t), err)
	}
	facts, err := l.lookup.Parameter(ctx, arn)
	if err != nil {
		return fmt.Errorf("%s: --live lookup: %s", targetName(t), awsapi.Describe(err))
	}
	if !facts.Exists {
		t.Problems = append(t.Problems, input.Problem{
			Rule: ruleResourceNotFound,
			Message: fmt.Sprintf("AWS has no parameter %s in region %s for these credentials (DescribeParameters found none): create it before sharing it, or correct the ARN (or the account the credentials belong to)",
				facts.Name, l.c.Region),
			Loc: factLoc(t, t.ARN),
		})
		return nil
	}

	who := inputKind(t)
	mismatch := func(fact input.Fact, what, flag, live string) {
		src := who
		if !fact.Loc.Known() {
			src = flag
		}
		t.Problems = append(t.Problems, input.Problem{
			Rule:    ruleContextMismatch,
			Message: fmt.Sprintf("%s says %s %s, AWS says %s: the checks used AWS's", src, what, shown(fact.Value), shown(live)),
			Loc:     factLoc(t, fact),
		})
	}
	if t.Tier.Known && !sameTier(t.Tier.Value, facts.Tier) {
		mismatch(t.Tier, "tier", "--tier", facts.Tier)
	}
	if t.Type.Known && t.Type.Value != facts.Type {
		mismatch(t.Type, "type", "--type", facts.Type)
	}
	if facts.Type == "SecureString" && t.KeyID.Known && t.KeyID.Value != "" {
		same, err := l.sameKey(ctx, t.KeyID.Value, facts)
		if err != nil {
			return fmt.Errorf("%s: --live lookup: %s", targetName(t), awsapi.Describe(err))
		}
		if !same {
			mismatch(t.KeyID, "key", "--key-id", facts.KeyID)
		}
	}

	// Live facts win; each keeps the place the input wrote it, so that a finding about the
	// tier still points at the manifest's `tier:` line.
	t.Tier = input.Fact{Value: facts.Tier, Known: true, Loc: t.Tier.Loc}
	t.Type = input.Fact{Value: facts.Type, Known: true, Loc: t.Type.Loc}
	if facts.Type == "SecureString" {
		t.KeyID = input.Fact{Value: facts.KeyID, Known: true, Loc: t.KeyID.Loc}
		t.KeyManager = input.Fact{Value: facts.KeyManager, Known: facts.KeyManager != "", Loc: t.KeyID.Loc}
	} else {
		// AWS says the parameter has no key: a key the input names is moot.
		t.KeyID, t.KeyManager = input.Fact{Loc: t.KeyID.Loc}, input.Fact{}
	}
	return nil
}

// sameKey reports whether key, as the input wrote it, names the key SSM recorded for the
// parameter. The same key has four spellings (key id, key ARN, alias name, alias ARN), so
// text that differs is resolved with DescribeKey before it is called a mismatch.
func (l *liveLookup) sameKey(ctx context.Context, key string, facts awsapi.Facts) (bool, error) {
	if key == facts.KeyID || (facts.KeyARN != "" && key == facts.KeyARN) {
		return true, nil
	}
	arn, err := l.lookup.KeyARN(ctx, key)
	if err != nil {
		return false, err
	}
	return arn != "" && arn == facts.KeyARN, nil
}

// sameTier compares tiers. Intelligent-Tiering is a choice SSM makes at each write, so a
// parameter created with it is either Standard or Advanced, and neither contradicts it.
func sameTier(written, live string) bool {
	return written == live || (written == "Intelligent-Tiering" && (live == "Standard" || live == "Advanced"))
}

// parameterARN returns the target's ARN when it names a parameter and has no part known only
// at deploy time. A malformed parameter ARN is not looked up: resource-format reports it.
func parameterARN(t *input.Target) (string, bool) {
	if !t.ARN.Known || strings.Contains(t.ARN.Value, input.Unknown) {
		return "", false
	}
	arn := t.ARN.Value
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ssm" || !strings.HasPrefix(parts[5], "parameter/") {
		return "", false
	}
	if _, err := awsapi.ParameterName(arn); err != nil {
		return "", false
	}
	return arn, true
}

// factLoc is where a finding about fact goes: where the input wrote it, else where the
// target is declared.
func factLoc(t *input.Target, fact input.Fact) input.Location {
	if fact.Loc.Known() {
		return fact.Loc
	}
	return t.Origin
}

// inputKind names the kind of input that declared t, for messages.
func inputKind(t *input.Target) string {
	if len(t.Origin.Path) > 0 {
		switch t.Origin.Path[0] {
		case "resources":
			return "the manifest"
		case "Resources":
			return "the template"
		case "resource_changes", "planned_values", "configuration":
			return "the plan"
		}
	}
	return "the input"
}

// targetName names a target in errors: its ARN and where it is declared.
func targetName(t *input.Target) string {
	name := t.ARN.Value
	if !t.ARN.Known {
		name = "the policy"
	}
	if l := targetLabel(t); l != "" {
		return fmt.Sprintf("%s (%s)", shown(name), l)
	}
	return shown(name)
}

// targetLabel is "file:line" of where a target is declared, or "".
func targetLabel(t *input.Target) string {
	if t.Origin.File == nil {
		return ""
	}
	p := t.Origin.File.Pos(t.Origin.Span.Start)
	return fmt.Sprintf("%s:%d", t.Origin.File.Name, p.Line)
}

// shown makes an input-derived string safe to print: the deploy-time marker as ${...}, control
// characters quoted.
func shown(s string) string {
	s = strings.ReplaceAll(s, input.Unknown, "${...}")
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("%q", s)
	}
	return s
}
