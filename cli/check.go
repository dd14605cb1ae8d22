package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/report"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/suggest"
)

// checkFlags are the flags check and apply share.
type checkFlags struct {
	// output is the format of the report on standard output, set by validate from out.
	output   string
	out      outputFlags
	config   string
	failOn   string
	ruleDirs []string
	disable  []string
	enable   []string
	workers  int
	timeout  time.Duration
	ctx      input.Context
}

func (f *checkFlags) register(fs *pflag.FlagSet) {
	f.out.register(fs)
	fs.StringVar(&f.config, "config", "", "configuration file (default: .ssmpolicy.yaml in the working directory or a parent)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings at or above this level: error, security-warning, warning, suggestion (default security-warning)")
	fs.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of extra Rego rules (repeatable)")
	fs.StringArrayVar(&f.disable, "disable", nil, "turn a rule off (repeatable)")
	fs.StringArrayVar(&f.enable, "enable", nil, "turn a rule on at its default level (repeatable)")
	fs.Var(positiveInt{&f.workers}, "workers", "targets checked at once (default: one per CPU)")
	f.timeout = linter.DefaultTimeout
	fs.Var(positiveDuration{&f.timeout}, "rule-timeout", "time limit for evaluating the rules on one target")
	fs.StringVar(&f.ctx.ARN, "resource-arn", "", "ARN of the resource a raw policy file is for")
	fs.StringVar(&f.ctx.Tier, "tier", "", "tier of the parameter a raw policy file is for: Standard, Advanced, Intelligent-Tiering")
	fs.StringVar(&f.ctx.Type, "type", "", "type of the parameter a raw policy file is for: String, StringList, SecureString")
	fs.StringVar(&f.ctx.KeyID, "key-id", "", "KMS key of a SecureString parameter: key id, key ARN, alias name or alias ARN")
}

func (f *checkFlags) validate() error {
	if err := f.out.validate(); err != nil {
		return err
	}
	f.output = f.out.stdout
	if f.failOn != "" {
		if _, err := finding.ParseLevel(f.failOn, false); err != nil {
			return usageError("--fail-on: %v", err)
		}
	}
	if f.ctx.Tier != "" && !slices.Contains([]string{"Standard", "Advanced", "Intelligent-Tiering"}, f.ctx.Tier) {
		return usageError("--tier %q: want Standard, Advanced or Intelligent-Tiering", f.ctx.Tier)
	}
	if f.ctx.Type != "" && !slices.Contains([]string{"String", "StringList", "SecureString"}, f.ctx.Type) {
		return usageError("--type %q: want String, StringList or SecureString", f.ctx.Type)
	}
	return nil
}

// setup is everything a check needs, built from the flags over the configuration.
type setup struct {
	set      *rules.Set
	engine   *linter.Engine
	reader   *input.Reader
	failOn   finding.Level
	reporter report.Reporter
	config   *config.Config
	// ignores are the configuration's ignore entries as of today.
	ignores *config.Suppressor
}

// loadConfig finds and reads the configuration: --config, else .ssmpolicy.yaml in the working
// directory or a parent, else none.
func loadConfig(env *Env, path string) (*config.Config, error) {
	if path == "" {
		path = config.Find(env.Dir)
		if path == "" {
			return &config.Config{}, nil
		}
		if rel, err := filepath.Rel(env.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			path = rel
		}
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return c, nil
}

// loadRules reads the built-in rules and the custom ones the configuration and --rules name,
// then checks the rule ids the configuration uses.
func loadRules(cfg *config.Config, dirs []string) (*rules.Set, error) {
	set, err := rules.Builtin()
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("load built-in rules: %w", err)}
	}
	for _, dir := range append(append([]string{}, cfg.CustomRules...), dirs...) {
		if err := set.AddDir(dir); err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("load custom rules:\n%w", err)}
		}
	}
	known := func(id string) bool { _, ok := set.Get(id); return ok }
	if err := cfg.CheckRules(known, set.IDs()); err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return set, nil
}

func (f *checkFlags) build(cmd *cobra.Command, env *Env) (*setup, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(env, f.config)
	if err != nil {
		return nil, err
	}
	set, err := loadRules(cfg, f.ruleDirs)
	if err != nil {
		return nil, err
	}
	// Levels: the rules' defaults, then the configuration, then --disable and --enable.
	levels := map[string]finding.Level{}
	for id, l := range cfg.Levels {
		levels[id] = l
	}
	for _, id := range f.disable {
		if _, ok := set.Get(id); !ok {
			return nil, usageError("--disable %s: %s", id, unknownRule(set, id))
		}
		levels[id] = finding.Ignore
	}
	for _, id := range f.enable {
		r, ok := set.Get(id)
		if !ok {
			return nil, usageError("--enable %s: %s", id, unknownRule(set, id))
		}
		if l, ok := cfg.Levels[id]; ok && l != finding.Ignore {
			levels[id] = l // enabled at the level the configuration gives it
		} else {
			levels[id] = r.Level
		}
	}
	engine, err := linter.New(cmd.Context(), set, linter.Config{Levels: levels, AccountsAllowed: cfg.AccountsAllowed, Timeout: f.timeout})
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("compile rules:\n%w", err)}
	}
	reader, err := input.NewReader(f.ctx)
	if err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	failOn := finding.SecurityWarning
	if cfg.FailOn != 0 {
		failOn = cfg.FailOn
	}
	if f.failOn != "" {
		failOn, _ = finding.ParseLevel(f.failOn, false)
	}
	rep, err := f.out.publisher(env, set)
	if err != nil {
		return nil, err
	}
	return &setup{set: set, engine: engine, reader: reader, failOn: failOn, reporter: rep, config: cfg,
		ignores: cfg.Suppressor(env.Now())}, nil
}

// run checks paths with the setup; more (Enrich, Visit) is filled in by apply and --live.
func (s *setup) run(cmd *cobra.Command, env *Env, paths []string, workers int, more linter.RunOptions) *finding.Report {
	opts := more
	opts.Paths, opts.Stdin, opts.Reader, opts.Workers, opts.Ignores = paths, env.Stdin, s.reader, workers, s.ignores
	return s.engine.Run(cmd.Context(), opts)
}

func unknownRule(set *rules.Set, id string) string {
	if best := suggest.Closest(id, set.IDs()); best != "" {
		return fmt.Sprintf("no such rule (did you mean %s?); `ssmpolicy rules` lists them", best)
	}
	return "no such rule; `ssmpolicy rules` lists them"
}

func newCheck(env *Env) *cobra.Command {
	var f checkFlags
	var live liveFlags
	var fx fixFlags
	cmd := &cobra.Command{
		Use:   "check [flags] [PATH ...]",
		Short: "Check policies, manifests, templates and plans (PATH: a file, a directory, or - for stdin)",
		Example: `  ssmpolicy check examples/
  ssmpolicy check --resource-arn arn:aws:ssm:us-east-1:111122223333:parameter/app/db --tier Advanced policy.json
  cat policy.json | ssmpolicy check -o json -
  ssmpolicy check -o github -o sarif=ssmpolicy.sarif infra/
  ssmpolicy check --fix --dry-run policies/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.build(cmd, env)
			if err == nil {
				err = fx.validate(&f.out, args)
			}
			if err != nil {
				return f.failEarly(env, err)
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			stages, err := live.checkStages(cmd, env)
			if err != nil {
				return err
			}
			rep, err := fx.checkFixing(env, s.set, f.out.quiet, func(visit visitor) *finding.Report {
				return s.run(cmd, env, args, f.workers, linter.RunOptions{Enrich: stages, Visit: visit})
			})
			if rep == nil {
				return err // the dry run printed its diff
			}
			if err := s.reporter.Publish(env.Stdout, rep); err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
			}
			switch {
			case len(rep.Failures) > 0:
				return &exitError{code: ExitError}
			case rep.Fails(s.failOn):
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	f.out.registerFiles(cmd.Flags())
	fx.register(cmd.Flags())
	live.register(cmd.Flags())
	return cmd
}

// failEarly reports an error that stopped the run before any file was read. In a machine
// format it is also written as a report holding only that failure, so that a pipeline reading
// the SARIF, JSON or JUnit file finds a valid document that says what went wrong.
func (f *checkFlags) failEarly(env *Env, err error) error {
	f.out.publishFailure(env, err)
	return err
}
