package cli

import (
	"fmt"
	"path/filepath"
	"slices"
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
	output        string
	out           outputFlags
	config        string
	failOn        string
	ruleDirs      []string
	disable       []string
	enable        []string
	workers       int
	timeout       time.Duration
	memoryMiB     uint64
	ctx           input.Context
	stdinFilename string
	noProject     bool
	// promote, set by apply, says from the configuration whether the run promotes RAM shares,
	// which the rules see as input.options.promote.
	promote func(*config.Config) bool
}

func (f *checkFlags) register(fs *pflag.FlagSet) {
	f.out.register(fs)
	fs.StringVar(&f.config, "config", "", "configuration file for every file (default: each file's project's .ssmpolicy.yaml, the nearest above it up to the repository root)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings at or above this level: error, security-warning, warning, suggestion (default security-warning)")
	fs.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of extra Rego rules (repeatable)")
	fs.StringArrayVar(&f.disable, "disable", nil, "turn a rule off (repeatable)")
	fs.StringArrayVar(&f.enable, "enable", nil, "turn a rule on at its default level (repeatable)")
	fs.Var(positiveInt{&f.workers}, "workers", "targets checked at once (default: one per CPU)")
	f.timeout = linter.DefaultTimeout
	fs.Var(positiveDuration{&f.timeout}, "rule-timeout", "time limit for evaluating the rules on one target")
	fs.Uint64Var(&f.memoryMiB, "rule-memory", linter.DefaultMemoryLimit>>20, "heap size in MiB past which evaluating the rules on one target is stopped")
	fs.StringVar(&f.ctx.ARN, "resource-arn", "", "ARN of the resource a raw policy file is for")
	fs.StringVar(&f.ctx.Tier, "tier", "", "tier of the parameter a raw policy file is for: Standard, Advanced, Intelligent-Tiering")
	fs.StringVar(&f.ctx.Type, "type", "", "type of the parameter a raw policy file is for: String, StringList, SecureString")
	fs.StringVar(&f.ctx.KeyID, "key-id", "", "KMS key of a SecureString parameter: key id, key ARN, alias name or alias ARN")
	fs.StringVar(&f.stdinFilename, "stdin-filename", "", "the file standard input (-) stands for: findings, the configuration, a manifest's relative paths and the context search use it")
	fs.BoolVar(&f.noProject, "no-project", false, "check a policy file on its own even when a manifest of its project names it (no context search)")
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
	if f.memoryMiB == 0 || f.memoryMiB > 1<<24 {
		return usageError("--rule-memory %d: want a size in MiB from 1 to %d", f.memoryMiB, 1<<24)
	}
	if f.ctx.Tier != "" && !slices.Contains([]string{"Standard", "Advanced", "Intelligent-Tiering"}, f.ctx.Tier) {
		return usageError("--tier %q: want Standard, Advanced or Intelligent-Tiering", f.ctx.Tier)
	}
	if f.ctx.Type != "" && !slices.Contains([]string{"String", "StringList", "SecureString"}, f.ctx.Type) {
		return usageError("--type %q: want String, StringList or SecureString", f.ctx.Type)
	}
	return nil
}

// setup is everything a check needs, built from the flags over the configurations.
type setup struct {
	flags    *checkFlags
	set      *rules.Set
	reader   *input.Reader
	reporter report.Publisher
	projects *projects
	// failOn is the one threshold of apply: --fail-on, else the strictest fail_on of the
	// configurations of the run. check judges each finding by its own project's.
	failOn finding.Level
	// paths and exp are the paths the run was given and what they expand to: the projects
	// of those files are read before the run, so that a bad configuration stops it at once.
	paths []string
	exp   *linter.Expansion
	// progress shows a progress line on standard error while a long run goes on.
	progress bool
}

// loadConfig finds and reads the configuration of the working directory's project: --config,
// else the nearest .ssmpolicy.yaml above it up to the repository root, else none.
func loadConfig(env *Env, path string) (*config.Config, error) {
	if path == "" {
		path = config.Find(env.Dir)
	}
	return readConfig(env, path)
}

// loadRules reads the built-in rules and the custom ones the configuration and --rules name
// (each directory once), then checks the rule ids the configuration uses.
func loadRules(env *Env, cfg *config.Config, dirs []string) (*rules.Set, error) {
	set, err := ruleSet(customDirs(cfg, dirs, func(w string) { warn(env, w) }))
	if err != nil {
		return nil, err
	}
	known := func(id string) bool { _, ok := set.Get(id); return ok }
	if err := cfg.CheckRules(known, set.IDs()); err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return set, nil
}

// warn writes a warning on standard error.
func warn(env *Env, msg string) {
	fmt.Fprintf(env.Stderr, "ssmpolicy: warning: %s\n", msg)
}

// levels are the rule levels of a configuration: the rules' defaults, then the
// configuration, then --disable and --enable.
func (f *checkFlags) levels(cfg *config.Config, set *rules.Set) (map[string]finding.Level, error) {
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
	return levels, nil
}

// build reads the configurations of the files the command names (its arguments, "." when
// there are none) and prepares everything the check needs.
func (f *checkFlags) build(cmd *cobra.Command, env *Env) (*setup, error) {
	paths := cmd.Flags().Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return f.buildFor(cmd, env, paths)
}

// buildFor is build for the given paths; with none (audit, which reads no files) only the
// working directory's project is read.
func (f *checkFlags) buildFor(cmd *cobra.Command, env *Env, paths []string) (*setup, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	pr := newProjects(cmd.Context(), env, f, func(w string) { warn(env, w) })
	def, err := pr.defaultProject()
	if err != nil {
		return nil, err
	}
	s := &setup{flags: f, projects: pr, paths: paths, progress: f.output == "text" && env.stderrIsTerminal()}
	s.exp = linter.Expand(s.paths)
	for _, file := range s.exp.Files {
		if _, err := pr.resolve(file); err != nil {
			return nil, err
		}
	}
	if s.exp.Stdin {
		if _, err := pr.resolve("-"); err != nil {
			return nil, err
		}
	}
	s.set = pr.of[def.Profile].set
	if s.reader, err = input.NewReader(f.ctx); err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	s.failOn = pr.strictest()
	s.reporter, err = f.out.publisher(env, s.set)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// run checks paths with the setup; more (Enrich, Visit) is filled in by apply and --live.
func (s *setup) run(cmd *cobra.Command, env *Env, paths []string, workers int, more linter.RunOptions) *finding.Report {
	opts, stop := s.options(env, paths, workers, more)
	defer stop()
	def, _ := s.projects.defaultProject() // read by build already
	return def.Profile.Engine.Run(cmd.Context(), opts)
}

// options are the run options of a check of paths, and what stops its progress line.
func (s *setup) options(env *Env, paths []string, workers int, more linter.RunOptions) (linter.RunOptions, func()) {
	opts := more
	opts.Paths, opts.Stdin, opts.Reader, opts.Workers = paths, env.Stdin, s.reader, workers
	if slices.Equal(paths, s.paths) {
		opts.Expanded = s.exp
	}
	opts.Project = s.projects.resolve
	opts.Search = !s.flags.noProject
	if s.flags.stdinFilename != "" {
		opts.StdinName = filepath.Clean(s.flags.stdinFilename)
	}
	opts.Warn = func(w string) { warn(env, w) }
	if !s.progress {
		return opts, func() {}
	}
	p := startProgress(env.Stderr)
	opts.Progress = p.counts
	return opts, p.stop
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
		Long: `check reads each PATH — a file, a directory (walked for *.json, *.yaml, *.yml and *.template),
or - for standard input — and reports every finding at its line and column. With no PATH it
walks the working directory (.).

Each file is checked with the configuration of its project: the nearest .ssmpolicy.yaml above
it, up to the repository root (--config gives every file one configuration). A policy file
checked without the manifest that names it is checked with that manifest's facts, found in its
project (--no-project turns this off).`,
		Example: `  ssmpolicy check examples/
  ssmpolicy check --resource-arn arn:aws:ssm:us-east-1:111122223333:parameter/app/db --tier Advanced policy.json
  cat policy.json | ssmpolicy check -o json -
  ssmpolicy check -o github -o sarif=ssmpolicy.sarif infra/
  ssmpolicy check --fix --dry-run policies/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.build(cmd, env) // its paths are the arguments, or "."
			if err == nil {
				err = fx.validate(&f.out, args)
			}
			if err != nil {
				return f.failEarly(env, err)
			}
			stages, err := live.checkStages(cmd, env)
			if err != nil {
				return err
			}
			var rep *finding.Report
			var fails bool
			if pub, ok := s.reporter.(*publisher); ok && !fx.fix && !s.progress {
				// The report is written as the targets are checked. With --fix, or a progress
				// line on the terminal the text goes to, it is written whole at the end.
				if rep, fails, err = s.streamCheck(cmd, env, pub, linter.RunOptions{Enrich: stages}); rep == nil || err != nil {
					return writeError(err)
				}
			} else {
				rep, err = fx.checkFixing(env, s.set, f.out.quiet, func(visit visitor) *finding.Report {
					return s.run(cmd, env, s.paths, f.workers, linter.RunOptions{Enrich: stages, Visit: visit})
				})
				if rep == nil {
					return err // the dry run printed its diff
				}
				if err := s.reporter.Publish(env.Stdout, rep); err != nil {
					return writeError(err)
				}
				fails = s.projects.fails(rep)
			}
			// What could not be checked is the tool's failure, not a finding: standard error,
			// in every format (machine formats also carry it in their document).
			_ = report.WriteFailures(env.Stderr, rep.Failures)
			switch {
			case len(rep.Failures) > 0:
				return &exitError{code: ExitError}
			case fails:
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

// writeError is the exit of a check whose report could not be written.
func writeError(err error) error {
	return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
}

// failEarly reports an error that stopped the run before any file was read. In a machine
// format it is also written as a report holding only that failure, so that a pipeline reading
// the SARIF, JSON or JUnit file finds a valid document that says what went wrong.
func (f *checkFlags) failEarly(env *Env, err error) error {
	f.out.publishFailure(env, err)
	return err
}
