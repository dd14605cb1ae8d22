package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// projects finds the project of each checked file and builds, once per configuration, what
// its files are checked with. The project of a file is the directory of the nearest
// .ssmpolicy.yaml above it, else the repository root, else (outside any repository, with no
// configuration above) the working directory's project; --config gives every file one
// configuration. Rules are compiled once per distinct set of custom rule directories; each
// configuration then gets a light engine of its own over them (its levels and allow-list).
// It is safe for concurrent use.
type projects struct {
	ctx   context.Context
	env   *Env
	flags *checkFlags
	warn  func(string)

	mu       sync.Mutex
	def      *linter.Project
	byDir    map[string]*linter.Project
	profiles map[string]*profile // by the configuration's absolute path; "" for none
	of       map[*linter.Profile]*profile
	compiled map[string]*compiled
}

// profile is one configuration ready to check with.
type profile struct {
	*linter.Profile
	cfg    *config.Config
	set    *rules.Set
	failOn finding.Level
}

// compiled is the rule set and compiled engine of one set of custom rule directories.
type compiled struct {
	set    *rules.Set
	engine *linter.Engine
}

func newProjects(ctx context.Context, env *Env, f *checkFlags, warn func(string)) *projects {
	return &projects{ctx: ctx, env: env, flags: f, warn: warn, byDir: map[string]*linter.Project{},
		profiles: map[string]*profile{}, of: map[*linter.Profile]*profile{}, compiled: map[string]*compiled{}}
}

// defaultProject is the working directory's project: the one of standard input without
// --stdin-filename, and of files outside any project.
func (p *projects) defaultProject() (*linter.Project, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.defaultLocked()
}

func (p *projects) defaultLocked() (*linter.Project, error) {
	if p.def != nil {
		return p.def, nil
	}
	place, ok := config.Locate(p.env.Dir)
	if !ok {
		place.Root = p.env.Dir
	}
	prof, err := p.profileLocked(place.File)
	if err != nil {
		return nil, err
	}
	p.def = &linter.Project{Root: place.Root, NoSearch: !ok, Profile: prof.Profile}
	return p.def, nil
}

// resolve returns the project of the file at path ("-" or finding.StdinName: standard input).
func (p *projects) resolve(path string) (*linter.Project, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if path == "-" || path == finding.StdinName {
		if p.flags.stdinFilename == "" {
			return p.defaultLocked()
		}
		path = p.flags.stdinFilename
	}
	dir := filepath.Dir(path)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(p.env.Dir, dir)
	}
	if pr, ok := p.byDir[dir]; ok {
		return pr, nil
	}
	place, ok := config.Locate(dir)
	if !ok {
		return p.defaultLocked()
	}
	prof, err := p.profileLocked(place.File)
	if err != nil {
		return nil, err
	}
	pr := &linter.Project{Root: place.Root, Profile: prof.Profile}
	p.byDir[dir] = pr
	return pr, nil
}

// failOn is the level at or above which a finding in file fails the check: --fail-on, else
// the fail_on of the file's configuration, else security-warning.
func (p *projects) failOn(file string) finding.Level {
	pr, err := p.resolve(file)
	if err != nil {
		return p.strictest()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prof, ok := p.of[pr.Profile]; ok {
		return prof.failOn
	}
	return p.strictestLocked()
}

// strictest is the lowest fail-on level of the configurations met so far: apply takes one
// threshold for all its targets, and never sends what a project's own check would fail.
func (p *projects) strictest() finding.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.strictestLocked()
}

func (p *projects) strictestLocked() finding.Level {
	lvl := finding.Error
	for _, prof := range p.profiles {
		lvl = min(lvl, prof.failOn)
	}
	return lvl
}

// fails reports whether any finding of rep is at or above its file's fail-on level.
func (p *projects) fails(rep *finding.Report) bool {
	return slices.ContainsFunc(rep.Findings, func(f finding.Finding) bool { return f.Level >= p.failOn(f.File) })
}

// profileLocked reads the configuration at file ("" for none, or --config when it is given)
// and prepares it, once.
func (p *projects) profileLocked(file string) (*profile, error) {
	if p.flags.config != "" {
		file = p.flags.config
	}
	key := file
	if key != "" {
		key = absIn(p.env.Dir, file)
	}
	if prof, ok := p.profiles[key]; ok {
		return prof, nil
	}
	cfg, err := readConfig(p.env, file)
	if err != nil {
		return nil, err
	}
	prof, err := p.build(cfg)
	if err != nil {
		return nil, err
	}
	p.profiles[key] = prof
	p.of[prof.Profile] = prof
	return prof, nil
}

// build prepares a configuration: its rules (compiled once per set of custom rule
// directories), levels with --disable and --enable over them, and its ignore entries.
func (p *projects) build(cfg *config.Config) (*profile, error) {
	dirs := customDirs(cfg, p.flags.ruleDirs, p.warn)
	key := strings.Join(dirKeys(dirs), "\x00")
	c, ok := p.compiled[key]
	if !ok {
		set, err := ruleSet(dirs)
		if err != nil {
			return nil, err
		}
		engine, err := linter.New(p.ctx, set, linter.Config{Timeout: p.flags.timeout, MemoryLimit: p.flags.memoryMiB << 20})
		if err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("compile rules:\n%w", err)}
		}
		if p.env.Compiled != nil {
			p.env.Compiled()
		}
		c = &compiled{set: set, engine: engine}
		p.compiled[key] = c
	}
	known := func(id string) bool { _, ok := c.set.Get(id); return ok }
	if err := cfg.CheckRules(known, c.set.IDs()); err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("invalid configuration:\n%w", err)}
	}
	levels, err := p.flags.levels(cfg, c.set)
	if err != nil {
		return nil, err
	}
	engine, err := c.engine.WithConfig(linter.Config{Levels: levels, AccountsAllowed: cfg.AccountsAllowed, Timeout: p.flags.timeout, MemoryLimit: p.flags.memoryMiB << 20,
		Promote: p.flags.promote != nil && p.flags.promote(cfg)})
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("compile rules:\n%w", err)}
	}
	prof := &profile{cfg: cfg, set: c.set, failOn: finding.SecurityWarning,
		Profile: &linter.Profile{Engine: engine, Ignores: cfg.Suppressor(p.env.Now()), Config: cfg.File}}
	for id, l := range cfg.Levels {
		if l == finding.Ignore {
			prof.Disabled = append(prof.Disabled, id)
		}
	}
	slices.Sort(prof.Disabled)
	if cfg.FailOn != 0 {
		prof.failOn = cfg.FailOn
	}
	if p.flags.failOn != "" {
		prof.failOn, _ = finding.ParseLevel(p.flags.failOn, false)
	}
	return prof, nil
}

// readConfig reads the configuration at path ("" for none), named in the report relative
// to the working directory when it is under it.
func readConfig(env *Env, path string) (*config.Config, error) {
	if path == "" {
		return &config.Config{}, nil
	}
	if filepath.IsAbs(path) {
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

// customDirs is the set of custom rule directories of a configuration and the command line:
// each directory once however it is named (relative or absolute, through a symbolic link).
// A directory of the configuration that holds no rule is a warning, not an error: the
// configuration may name a directory before its first rule is written.
func customDirs(cfg *config.Config, extra []string, warn func(string)) []string {
	var out []string
	seen := map[string]bool{}
	add := func(d string, fromConfig bool) {
		key := dirKey(d)
		if seen[key] {
			return
		}
		seen[key] = true
		if fromConfig && isEmptyRuleDir(d) {
			if warn != nil {
				warn(fmt.Sprintf("custom rules %s (named in %s): no .rego files, no rule loaded from it", d, cfg.File))
			}
			return
		}
		out = append(out, d)
	}
	for _, d := range cfg.CustomRules {
		add(d, true)
	}
	for _, d := range extra {
		add(d, false)
	}
	return out
}

// uniqueDirs keeps each directory once, in order, however it is named.
func uniqueDirs(dirs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		if k := dirKey(d); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

func dirKeys(dirs []string) []string {
	keys := make([]string, len(dirs))
	for i, d := range dirs {
		keys[i] = dirKey(d)
	}
	slices.Sort(keys)
	return keys
}

// dirKey is what a directory is, whatever its spelling: absolute, symbolic links followed.
func dirKey(d string) string {
	abs, err := filepath.Abs(d)
	if err != nil {
		return d
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// isEmptyRuleDir reports whether d is a directory with no rule file (.rego, tests aside).
// A directory that does not exist is not empty: loading it says what is wrong.
func isEmptyRuleDir(d string) bool {
	if info, err := os.Stat(d); err != nil || !info.IsDir() {
		return false
	}
	empty := true
	_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".rego") && !strings.HasSuffix(p, "_test.rego") {
			empty = false
			return filepath.SkipAll
		}
		return nil
	})
	return empty
}

// ruleSet reads the built-in rules and the custom ones of dirs.
func ruleSet(dirs []string) (*rules.Set, error) {
	set, err := rules.Builtin()
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("load built-in rules: %w", err)}
	}
	for _, dir := range dirs {
		if err := set.AddDir(dir); err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("load custom rules:\n%w", err)}
		}
	}
	return set, nil
}

func absIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}
