package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/audit"
	"github.com/ssmpolicy/ssmpolicy/awsapi"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/report"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// auditFlags are audit's own flags; the output, configuration and rule flags are check's.
type auditFlags struct {
	check       checkFlags
	profiles    []string
	regions     []string
	endpointURL string
	debug       bool
	roleARN     string
	accounts    string
	sessionName string
	concurrency int
	parallel    int
	callTimeout time.Duration
	against     []string
}

// sharedCheckFlags are the flags of check that mean the same for audit. The context flags
// (--resource-arn, --tier ...) do not: audit takes every fact from AWS.
var sharedCheckFlags = []string{"output", "config", "fail-on", "rules", "disable", "enable", "no-color", "rule-timeout", "rule-memory"}

func (a *auditFlags) register(fs *pflag.FlagSet) {
	all := pflag.NewFlagSet("check", pflag.ContinueOnError)
	a.check.register(all)
	for _, name := range sharedCheckFlags {
		fs.AddFlag(all.Lookup(name))
	}
	fs.StringArrayVar(&a.profiles, "profile", nil, "AWS profile to audit (repeatable: one account each; default: AWS_PROFILE or the default profile)")
	fs.StringArrayVar(&a.regions, "region", nil, "region to audit (repeatable; default: AWS_REGION or the profile's region)")
	fs.StringVar(&a.endpointURL, "endpoint-url", "", "send every AWS call to this URL instead of AWS's (a local stand-in)")
	fs.BoolVar(&a.debug, "debug", false, "print each AWS call with its status and duration to stderr (never headers, bodies or credentials)")
	fs.StringVar(&a.roleARN, "role-arn", "", "assume this role in each account (arn:aws:iam::{account}:role/NAME, {account} taken from --accounts)")
	fs.StringVar(&a.accounts, "accounts", "", "`FILE` of the accounts to audit with --role-arn: one id a line, or the JSON that aws organizations list-accounts prints")
	fs.StringVar(&a.sessionName, "session-name", "ssmpolicy-audit", "role session name with --role-arn (shown in the role's CloudTrail entries)")
	fs.IntVar(&a.concurrency, "concurrency", audit.DefaultConcurrency, "AWS reads in flight at once in each account and region")
	fs.IntVar(&a.parallel, "parallel", audit.DefaultParallel, "accounts and regions audited at once")
	fs.DurationVar(&a.callTimeout, "call-timeout", awsapi.DefaultTimeout, "time limit for each AWS call, its retries included")
	fs.StringArrayVar(&a.against, "against", nil, "repository path (file or directory, repeatable) whose manifests, templates and plans should describe every deployed policy: share-outside-repo, share-drift")
}

func newAudit(env *Env) *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit [flags]",
		Short: "Read what an account shares now (SSM resource policies and their RAM shares) and check it with the same rules",
		Long: `audit lists the Advanced-tier parameters of each account and region, reads their resource
policies and opsitemgroup/default's, and the account's RAM shares of SSM parameters, and checks
every deployed policy with the rules, configuration and suppressions of check, using the tier,
type and KMS key AWS reports. It only reads: no call it makes changes anything.`,
		Example: `  ssmpolicy audit --region us-east-1 --region eu-west-1
  ssmpolicy audit --profile prod --profile staging -o json > inventory.json
  ssmpolicy audit --role-arn 'arn:aws:iam::{account}:role/SsmPolicyAudit' --accounts accounts.txt --region us-east-1
  ssmpolicy audit --against infra/ -o markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.run(cmd, env)
		},
	}
	f.register(cmd.Flags())
	return cmd
}

func (f *auditFlags) run(cmd *cobra.Command, env *Env) error {
	s, err := f.check.buildFor(cmd, env, nil)
	if err == nil {
		err = f.validate()
	}
	if err != nil {
		return f.check.failEarly(env, err)
	}
	scopes, err := f.scopes(cmd.Context(), env)
	if err != nil {
		return f.check.failEarly(env, err)
	}
	def, err := s.projects.defaultProject() // read by buildFor already
	if err != nil {
		return f.check.failEarly(env, err)
	}
	opts := audit.Options{Engine: def.Profile.Engine, Ignores: def.Profile.Ignores, Concurrency: f.concurrency, Parallel: f.parallel, Now: env.Now}
	var againstFailures []finding.Failure
	if len(f.against) > 0 {
		opts.Against, againstFailures = audit.LoadIndex(s.reader, f.against)
	}
	res := audit.Run(cmd.Context(), scopes, opts)
	res.Report.Failures = append(againstFailures, res.Report.Failures...)
	_ = report.WriteFailures(env.Stderr, res.Report.Failures) // as check does: tool failures on standard error

	switch f.check.output {
	case "text":
		err = audit.WriteText(env.Stdout, res, s.reporter)
	case "json":
		err = audit.WriteJSON(env.Stdout, res)
	case "markdown":
		err = audit.WriteMarkdown(env.Stdout, res, s.reporter)
	default:
		err = s.reporter.Publish(env.Stdout, res.Report)
	}
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
	}
	switch {
	case len(res.Report.Failures) > 0:
		return &exitError{code: ExitError}
	case res.Report.Fails(s.failOn):
		return &exitError{code: ExitFindings}
	}
	return nil
}

// The patterns of --role-arn and --session-name (STS AssumeRole's RoleSessionName) are
// compiled when an audit is asked for, not at every start: the role's {1,512} alone makes a
// program of some 400 KB.
const (
	roleARNPattern     = `^arn:[a-z0-9-]+:iam::(\{account\}|[0-9]{12}):role/[\w+=,.@/-]{1,512}$`
	sessionNamePattern = `^[\w+=,.@-]{2,64}$`
)

func (f *auditFlags) validate() error {
	matches := func(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
	switch {
	case f.concurrency < 1:
		return usageError("--concurrency %d: want at least 1", f.concurrency)
	case f.parallel < 1:
		return usageError("--parallel %d: want at least 1", f.parallel)
	case f.callTimeout <= 0:
		return usageError("--call-timeout %s: want a positive duration", f.callTimeout)
	case f.accounts != "" && f.roleARN == "":
		return usageError("--accounts needs --role-arn: the role to assume in each account")
	case f.roleARN == "":
		return nil
	case !matches(sessionNamePattern, f.sessionName):
		return usageError("--session-name %q: want 2 to 64 of letters, digits and +=,.@_-", f.sessionName)
	case !matches(roleARNPattern, f.roleARN):
		return usageError("--role-arn %q: want arn:aws:iam::{account}:role/NAME (or a 12-digit account id in place of {account})", f.roleARN)
	case strings.Contains(f.roleARN, "{account}") && f.accounts == "":
		return usageError("--role-arn with {account} needs --accounts FILE: the accounts to audit")
	case len(f.profiles) > 1:
		return usageError("--role-arn takes at most one --profile: the credentials that assume the role")
	}
	return nil
}

// scopes builds one audit.Scope per account and region: each --profile (or the default
// chain), or each account of --accounts through --role-arn, times each --region.
func (f *auditFlags) scopes(ctx context.Context, env *Env) ([]audit.Scope, error) {
	o := awsapi.Options{EndpointURL: f.endpointURL, Timeout: f.callTimeout, MaxAttempts: auditMaxAttempts, AdaptiveRetry: true}
	if f.debug {
		o.Trace = env.Stderr
	}
	load := func(profile string) (*awsapi.Profile, error) {
		o := o
		o.Profile = profile
		p, err := awsapi.LoadProfile(ctx, o)
		if err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("AWS: %w", err)}
		}
		return p, nil
	}
	regions := func(p *awsapi.Profile) ([]string, error) {
		if len(f.regions) > 0 {
			return f.regions, nil
		}
		if r := p.Region(); r != "" {
			return []string{r}, nil
		}
		return nil, usageError("no AWS region: pass --region (repeatable), set AWS_REGION, or use a profile with a region")
	}
	var out []audit.Scope
	if f.roleARN == "" {
		names := f.profiles
		if len(names) == 0 {
			names = []string{""}
		}
		for _, name := range names {
			p, err := load(name)
			if err != nil {
				return nil, err
			}
			rs, err := regions(p)
			if err != nil {
				return nil, err
			}
			via := "profile " + name
			if name == "" {
				via = "default credentials"
			}
			for _, r := range rs {
				out = append(out, audit.Scope{Via: via, Profile: p, Region: r})
			}
		}
		return out, nil
	}
	return f.roleScopes(load, regions)
}

// auditMaxAttempts is the retry budget of each audit call: more than apply's, because an
// audit makes thousands of calls in a row and must ride out throttling rather than give up.
const auditMaxAttempts = 10

func (f *auditFlags) roleScopes(load func(string) (*awsapi.Profile, error), regions func(*awsapi.Profile) ([]string, error)) ([]audit.Scope, error) {
	base := ""
	if len(f.profiles) == 1 {
		base = f.profiles[0]
	}
	p, err := load(base)
	if err != nil {
		return nil, err
	}
	rs, err := regions(p)
	if err != nil {
		return nil, err
	}
	accounts := []audit.Account{{}}
	if f.accounts != "" {
		src, err := safefile.Read(f.accounts, safefile.Limit)
		if err != nil {
			return nil, usageError("--accounts: %v", err)
		}
		if accounts, err = audit.ParseAccounts(f.accounts, src); err != nil {
			return nil, usageError("--accounts: %v", err)
		}
	}
	var out []audit.Scope
	for _, acct := range accounts {
		role := f.roleARN
		if acct.ID != "" {
			role = strings.ReplaceAll(role, "{account}", acct.ID)
		}
		id := acct.ID
		if id == "" {
			id = strings.Split(role, ":")[4]
		}
		assumed, err := p.AssumeRole(role, f.sessionName, rs[0])
		if err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("AWS: %w", err)}
		}
		via := "role " + role
		if acct.Name != "" {
			via += ", " + acct.Name
		}
		for _, r := range rs {
			out = append(out, audit.Scope{Via: via, Profile: assumed, Region: r, Account: id})
		}
	}
	return out, nil
}
