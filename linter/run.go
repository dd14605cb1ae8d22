package linter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
)

// MaxFileSize bounds the files read; anything larger is not a policy, manifest or template.
const MaxFileSize = 32 << 20

// RunOptions says what to check and how.
type RunOptions struct {
	// Paths are files, directories (walked) and "-" for standard input.
	Paths []string
	Stdin io.Reader
	// Reader reads the input files (it carries the context flags for raw policies).
	Reader *input.Reader
	// Workers is how many targets are checked at once; 0 means one per CPU.
	Workers int
	// Enrich are the stages run, in order, on each target whose policy could be read, before
	// its checks (the --live lookup); an error is a failure of the run for that target.
	Enrich []enrich.Stage
	// Ignores are the configuration's ignore entries; nil when there is no configuration.
	Ignores *config.Suppressor
	// Visit is called for every target with the findings kept after suppression (apply
	// decides from them what to send). It may be called concurrently.
	Visit func(t *input.Target, kept []finding.Finding)
	// Progress, when set, counts the files, targets and findings as the run goes.
	Progress *Progress
}

// job is one unit of work for a worker: a file to read, or a target a manifest declared.
type job struct {
	path   string // display path of a file to read
	src    []byte // content already read (standard input)
	target *input.Target
}

// Run checks everything opts names and returns the report. It never stops at the first bad
// file: what it cannot read is a failure in the report, and the rest is still checked.
func (e *Engine) Run(ctx context.Context, opts RunOptions) *finding.Report {
	rep := &finding.Report{}
	var mu sync.Mutex
	fail := func(f finding.Failure) {
		mu.Lock()
		rep.Failures = append(rep.Failures, f)
		mu.Unlock()
	}
	out := &collector{rep: rep, mu: &mu, pipe: pipeline.Standard(e.levels, opts.Ignores), visit: opts.Visit, progress: opts.Progress}
	files, stdin := expand(opts, fail)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	// Manifests first: the policy files they name are checked with their context, and not a
	// second time on their own when a directory walk also finds them.
	manifests, refs := e.readManifests(ctx, opts, files, workers, fail)
	mu.Lock()
	rep.Summary.Files += len(manifests)
	mu.Unlock()
	opts.Progress.add(len(manifests), 0, 0)

	jobs := make(chan job, workers*4)
	go func() {
		defer close(jobs)
		send := func(j job) bool {
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		if stdin != nil && !send(job{path: finding.StdinName, src: stdin}) {
			return
		}
		for _, m := range sortedManifests(manifests) {
			// Targets are read again here and go straight to the workers, one at a time, so
			// that memory does not grow with the number of policies a manifest names.
			_, err := opts.Reader.StreamManifest(m.file, func(t *input.Target) bool { return send(job{target: t}) })
			if err != nil {
				fail(finding.Failure{File: m.path, Message: err.Error()})
			}
			if ctx.Err() != nil {
				return
			}
		}
		for _, p := range files {
			if _, isManifest := manifests[p]; isManifest || refs[absPath(p)] {
				continue
			}
			if !send(job{path: p}) {
				return
			}
		}
	}()

	// Problems a manifest has outside its targets.
	for _, m := range sortedManifests(manifests) {
		e.fileProblems(ctx, m.res.Problems, out)
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				e.work(ctx, j, opts, out, fail)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		fail(finding.Failure{Message: "stopped: " + err.Error()})
	}
	out.pipe.Finish(rep)
	return rep
}

// manifest is what the first pass keeps of a manifest: the file, and the problems it has
// outside its targets. Its targets are read again when they are checked.
type manifest struct {
	path string
	file *jsonpos.File
	res  input.Result
}

func sortedManifests(m map[string]*manifest) []*manifest {
	out := make([]*manifest, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *manifest) int { return strings.Compare(a.path, b.path) })
	return out
}

// readManifests finds the manifests among files, and the policy files they name. Only files
// that mention "resources" are parsed here; the rest are read again, once, by the workers.
func (e *Engine) readManifests(ctx context.Context, opts RunOptions, files []string, workers int, fail func(finding.Failure)) (map[string]*manifest, map[string]bool) {
	var mu sync.Mutex
	found := map[string]*manifest{}
	refs := map[string]bool{}
	paths := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				src, err := readFile(p)
				if err != nil || !bytes.Contains(src, []byte("resources")) {
					continue // the worker reports read errors when it reads the file again
				}
				f := jsonpos.NewFile(p, src)
				res, err := opts.Reader.StreamManifest(f, func(*input.Target) bool { return true })
				if err != nil {
					fail(finding.Failure{File: p, Message: err.Error()})
					continue
				}
				if res.Kind != input.Manifest {
					continue
				}
				mu.Lock()
				found[p] = &manifest{path: p, file: f, res: res}
				for _, r := range res.Refs {
					refs[absPath(r)] = true
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range files {
		if ctx.Err() != nil {
			break
		}
		paths <- p
	}
	close(paths)
	wg.Wait()
	return found, refs
}

func (e *Engine) work(ctx context.Context, j job, opts RunOptions, out *collector, fail func(finding.Failure)) {
	rep, mu := out.rep, out.mu
	var targets []*input.Target
	files := 0
	if j.target != nil {
		t := j.target
		if t.PolicyRef != "" {
			err := input.LoadPolicy(t, readFile)
			if err != nil {
				loc := t.PolicyRefLoc
				pos := loc.File.Pos(loc.Span.Start)
				fail(finding.Failure{File: loc.File.Name, Start: &pos, Message: fmt.Sprintf("read policy %s: %v", t.PolicyRef, cleanErr(err))})
				return
			}
			files = 1
		}
		targets = []*input.Target{t}
	} else {
		src := j.src
		if src == nil {
			var err error
			if src, err = readFile(j.path); err != nil {
				fail(finding.Failure{File: j.path, Message: cleanErr(err).Error()})
				return
			}
		}
		files = 1
		res, err := opts.Reader.Read(jsonpos.NewFile(j.path, src))
		if err != nil {
			fail(finding.Failure{File: j.path, Message: err.Error()})
			return
		}
		if res.Skipped {
			mu.Lock()
			rep.Summary.Files++
			rep.Summary.Skipped++
			mu.Unlock()
			opts.Progress.add(1, 0, 0)
			return
		}
		targets = res.Targets
		e.fileProblems(ctx, res.Problems, out)
	}
	mu.Lock()
	rep.Summary.Files += files
	rep.Summary.Targets += len(targets)
	mu.Unlock()
	opts.Progress.add(files, 0, 0)
	for _, t := range targets {
		if t.Policy != nil {
			if err := enrich.Run(ctx, opts.Enrich, t); err != nil {
				fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
				continue
			}
		}
		found, err := e.Check(ctx, t)
		if err != nil {
			fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
		}
		out.add(t, found)
		opts.Progress.add(0, 1, 0)
	}
}

// fileProblems reports the problems a file has outside any target (a manifest's own schema
// violations and repeated keys): they carry no policy, so Check only places them, and the
// pipeline gives them their levels and applies the configuration's suppressions.
func (e *Engine) fileProblems(ctx context.Context, problems []input.Problem, out *collector) {
	if len(problems) == 0 {
		return
	}
	found, _ := e.Check(ctx, &input.Target{Problems: problems})
	out.add(nil, found)
}

func fileName(l input.Location) string {
	if l.File == nil {
		return ""
	}
	return l.File.Name
}

// collector takes the findings the workers make through the per-target stages of the
// findings pipeline into the report.
type collector struct {
	rep      *finding.Report
	mu       *sync.Mutex
	pipe     *pipeline.Pipeline
	visit    func(t *input.Target, kept []finding.Finding)
	progress *Progress
}

// add passes the findings of target t (nil for a file's problems outside any target) through
// the pipeline, shows apply what is kept, and adds them to the report.
func (c *collector) add(t *input.Target, found []finding.Finding) {
	b := &pipeline.Batch{Target: t, Findings: found}
	c.pipe.ProcessTarget(b)
	if t != nil && c.visit != nil {
		c.visit(t, b.Findings)
	}
	c.progress.add(0, 0, len(b.Findings))
	c.mu.Lock()
	c.rep.Findings = append(c.rep.Findings, b.Findings...)
	c.rep.Suppressed = append(c.rep.Suppressed, b.Suppressed...)
	c.mu.Unlock()
}
