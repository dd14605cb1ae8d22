package linter

import (
	"context"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// RunOptions says what to check and how.
type RunOptions struct {
	// Paths are files, directories (walked) and "-" for standard input.
	Paths []string
	// Expanded is Paths already expanded (Expand); nil expands them here.
	Expanded *Expansion
	Stdin    io.Reader
	// StdinName is the file standard input stands for (--stdin-filename): findings, the
	// project and the context search use it, and a manifest's relative paths are relative
	// to its directory. "" is finding.StdinName, whose paths are relative to the working
	// directory.
	StdinName string
	// Reader reads the input files (it carries the context flags for raw policies).
	Reader *input.Reader
	// Workers is how many targets are checked at once; 0 means one per CPU.
	Workers int
	// Enrich are the stages run, in order, on each target whose policy could be read, before
	// its checks (the --live lookup); an error is a failure of the run for that target.
	Enrich []enrich.Stage
	// Project gives the project of a file: its root and its configuration. Nil checks every
	// file with this engine and Ignores, with no project root.
	Project func(path string) (*Project, error)
	// Ignores are the configuration's ignore entries when Project is nil; nil when there is
	// no configuration.
	Ignores *config.Suppressor
	// Search turns the context search on: a policy file that no manifest of the run names is
	// checked as the target of each manifest of its project naming it. It is off when a
	// context flag (Reader.Context) says what the policy is for.
	Search bool
	// Warn receives what the run has to say that is not a finding: a named directory with
	// nothing to check.
	Warn func(string)
	// Visit is called for every target with the findings kept after suppression (apply
	// decides from them what to send). It may be called concurrently, never after Run
	// returned.
	Visit func(t *input.Target, kept []finding.Finding)
	// Progress, when set, counts the files, targets and findings as the run goes.
	Progress *Progress
}

// job is one unit of work for a worker: a file to read, a target a manifest declared, or the
// problems a manifest has outside its targets.
type job struct {
	path     string // display path of a file to read, or of the manifest declaring target
	src      []byte // content already read (standard input)
	target   *input.Target
	problems []input.Problem
}

// Run checks everything opts names and returns the report. It never stops at the first bad
// file: what it cannot read is a failure in the report, and the rest is still checked. When
// ctx ends (Ctrl-C, SIGTERM) it returns at once, whatever read, parse or evaluation is under
// way, with what was checked so far and a failure that says the run stopped.
func (e *Engine) Run(ctx context.Context, opts RunOptions) *finding.Report {
	r := e.newRun(ctx, opts)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.checkAll()
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return r.finish()
}

// runState is the state of one Run. Everything the workers report goes through its methods, which
// drop it once the run has returned.
type runState struct {
	ctx       context.Context
	opts      RunOptions
	exp       *Expansion
	def       *Project
	stdinName string
	search    *searcher
	workers   int

	mu     sync.Mutex
	closed bool
	rep    *finding.Report
	pipes  map[*Profile]*pipeline.Pipeline
	inputs map[string]bool // absolute paths of the files that held something to check
}

func (e *Engine) newRun(ctx context.Context, opts RunOptions) *runState {
	r := &runState{ctx: ctx, opts: opts, exp: opts.Expanded, stdinName: opts.StdinName, workers: opts.Workers,
		def:   &Project{Profile: &Profile{Engine: e, Ignores: opts.Ignores}},
		rep:   &finding.Report{},
		pipes: map[*Profile]*pipeline.Pipeline{}, inputs: map[string]bool{}}
	if r.exp == nil {
		r.exp = Expand(opts.Paths)
	}
	if r.stdinName == "" {
		r.stdinName = finding.StdinName
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	if opts.Search && opts.Project != nil && opts.Reader.Context == (input.Context{}) {
		r.search = newSearcher(opts.Reader)
	}
	return r
}

func (r *runState) project(path string) (*Project, error) {
	if r.opts.Project == nil {
		return r.def, nil
	}
	return r.opts.Project(path)
}

func (r *runState) fail(f finding.Failure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.rep.Failures = append(r.rep.Failures, f)
	}
}

// count adds to the summary's counts of files, targets and skipped files.
func (r *runState) count(files, targets, skipped int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.rep.Summary.Files += files
		r.rep.Summary.Targets += targets
		r.rep.Summary.Skipped += skipped
	}
	r.opts.Progress.add(files, 0, 0)
}

// input records that the file at path held something to check.
func (r *runState) input(path string) {
	r.mu.Lock()
	r.inputs[absPath(path)] = true
	r.mu.Unlock()
}

func (r *runState) pipe(p *Profile) *pipeline.Pipeline {
	r.mu.Lock()
	defer r.mu.Unlock()
	pp := r.pipes[p]
	if pp == nil {
		pp = pipeline.Standard(p.Engine.levels, p.Ignores)
		r.pipes[p] = pp
	}
	return pp
}

// add passes the findings of target t (nil for a file's problems outside any target) through
// the per-target stages of its project's pipeline, shows apply what is kept, and adds them
// to the report.
func (r *runState) add(p *Profile, t *input.Target, found []finding.Finding) {
	b := &pipeline.Batch{Target: t, Findings: found}
	r.pipe(p).ProcessTarget(b)
	if t != nil {
		r.opts.Progress.add(0, 1, len(b.Findings))
	} else {
		r.opts.Progress.add(0, 0, len(b.Findings))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return // the run was stopped and has returned: nothing more is reported or sent
	}
	if t != nil && r.opts.Visit != nil {
		r.opts.Visit(t, b.Findings)
	}
	r.rep.Findings = append(r.rep.Findings, b.Findings...)
	r.rep.Suppressed = append(r.rep.Suppressed, b.Suppressed...)
}

// finish closes the run and completes its report: the per-run stages of each configuration's
// pipeline, the configurations used, and a failure when the run was stopped.
func (r *runState) finish() *finding.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	rep := r.rep
	stopped := r.ctx.Err() != nil
	if stopped {
		rep.Failures = append(rep.Failures, finding.Failure{Message: "stopped: " + context.Cause(r.ctx).Error()})
	}
	profiles := make([]*Profile, 0, len(r.pipes))
	for p := range r.pipes {
		profiles = append(profiles, p)
	}
	slices.SortFunc(profiles, func(a, b *Profile) int { return strings.Compare(a.Config, b.Config) })
	off := map[string]bool{}
	for _, p := range profiles {
		r.pipes[p].Finish(rep)
		if p.Config != "" {
			rep.Config = append(rep.Config, finding.ConfigUsed{File: p.Config, Disabled: append([]string{}, p.Disabled...)})
			for _, id := range p.Disabled {
				off[id] = true
			}
		}
	}
	rep.Summarize()
	rep.Summary.Disabled = len(off)
	if !stopped && r.opts.Warn != nil {
		for i, dir := range r.exp.Dirs {
			if !slices.ContainsFunc(r.exp.DirFiles[i], func(f string) bool { return r.inputs[absPath(f)] }) {
				r.opts.Warn(noInputWarning(dir))
			}
		}
	}
	return rep
}

// checkAll checks every file and target of the run.
func (r *runState) checkAll() {
	for _, f := range r.exp.Failures {
		r.fail(f)
	}
	var stdin []byte
	if r.exp.Stdin && r.opts.Stdin != nil {
		b, err := safefile.ReadAll(r.opts.Stdin, MaxFileSize)
		if err != nil {
			r.fail(finding.Failure{File: r.stdinName, Message: "standard input: " + err.Error()})
		} else {
			stdin = b
		}
	}

	jobs := make(chan job, r.workers*4)
	go r.produce(jobs, stdin)

	var wg sync.WaitGroup
	for range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r.work(j)
			}
		}()
	}
	wg.Wait()
}

// produce sends the jobs: the targets of each manifest (standard input's first) as each is
// read, then standard input when it is not a manifest, then the files that are neither
// manifests nor named by one. Manifests come first so that the policy files they name are
// checked with their context, and not a second time on their own when a directory walk also
// finds them.
func (r *runState) produce(jobs chan<- job, stdin []byte) {
	defer close(jobs)
	send := func(j job) bool {
		select {
		case jobs <- j:
			return true
		case <-r.ctx.Done():
			return false
		}
	}
	set := &manifestSet{paths: map[string]bool{}, refs: map[string]bool{}}
	for _, c := range r.candidates(stdin) {
		if _, ok := r.streamManifest(c, set, send); !ok || r.ctx.Err() != nil {
			return
		}
	}
	if stdin != nil && !set.paths[r.stdinName] && !send(job{path: r.stdinName, src: stdin}) {
		return
	}
	for _, p := range r.exp.Files {
		if set.paths[p] || set.refs[absPath(p)] {
			continue
		}
		if !send(job{path: p}) {
			return
		}
	}
}
