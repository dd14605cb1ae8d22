package linter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
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
	// Prepare runs on each target before its checks (the --live lookup); an error is a
	// failure of the run for that target.
	Prepare func(ctx context.Context, t *input.Target) error
	// Suppress decides whether the configuration silences a finding.
	Suppress func(f finding.Finding) (finding.Suppressed, bool)
	// Visit is called for every target with the findings kept after suppression (apply
	// decides from them what to send). It may be called concurrently.
	Visit func(t *input.Target, kept []finding.Finding)
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
		e.fileProblems(ctx, m.res.Problems, rep, &mu, opts)
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				e.work(ctx, j, opts, rep, &mu, fail)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		fail(finding.Failure{Message: "stopped: " + err.Error()})
	}
	rep.Finish()
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

func (e *Engine) work(ctx context.Context, j job, opts RunOptions, rep *finding.Report, mu *sync.Mutex, fail func(finding.Failure)) {
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
			return
		}
		targets = res.Targets
		e.fileProblems(ctx, res.Problems, rep, mu, opts)
	}
	mu.Lock()
	rep.Summary.Files += files
	rep.Summary.Targets += len(targets)
	mu.Unlock()
	for _, t := range targets {
		if opts.Prepare != nil && t.Policy != nil {
			if err := opts.Prepare(ctx, t); err != nil {
				fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
				continue
			}
		}
		found, err := e.Check(ctx, t)
		if err != nil {
			fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
		}
		e.collect(rep, mu, t, found, opts)
	}
}

// fileProblems reports the problems a file has outside any target (a manifest's own schema
// violations and repeated keys): they carry no policy, so Check only places them and applies
// levels, and the configuration's suppressions still apply.
func (e *Engine) fileProblems(ctx context.Context, problems []input.Problem, rep *finding.Report, mu *sync.Mutex, opts RunOptions) {
	if len(problems) == 0 {
		return
	}
	kept, _ := e.Check(ctx, &input.Target{Problems: problems})
	e.collect(rep, mu, nil, kept, opts)
}

func fileName(l input.Location) string {
	if l.File == nil {
		return ""
	}
	return l.File.Name
}

// collect applies the target's own ignores and the configuration's suppressions, then adds
// the findings to the report.
func (e *Engine) collect(rep *finding.Report, mu *sync.Mutex, t *input.Target, found []finding.Finding, opts RunOptions) {
	var kept []finding.Finding
	var suppressed []finding.Suppressed
	for _, f := range found {
		if s, ok := targetIgnore(t, f); ok {
			suppressed = append(suppressed, s)
			continue
		}
		if opts.Suppress != nil {
			if s, ok := opts.Suppress(f); ok {
				suppressed = append(suppressed, s)
				continue
			}
		}
		kept = append(kept, f)
	}
	if t != nil && opts.Visit != nil {
		opts.Visit(t, kept)
	}
	mu.Lock()
	rep.Findings = append(rep.Findings, kept...)
	rep.Suppressed = append(rep.Suppressed, suppressed...)
	mu.Unlock()
}

// targetIgnore applies an ignore list written with the target (a manifest's `ignore`, a
// template resource's Metadata).
func targetIgnore(t *input.Target, f finding.Finding) (finding.Suppressed, bool) {
	if t == nil {
		return finding.Suppressed{}, false
	}
	for _, ig := range t.Ignore {
		if ig.Rule != f.Rule {
			continue
		}
		by := ""
		if ig.Loc.File != nil {
			p := ig.Loc.File.Pos(ig.Loc.Span.Start)
			by = fmt.Sprintf("%s:%d", ig.Loc.File.Name, p.Line)
		}
		return f.Suppress("ignored for this resource where it is declared", by), true
	}
	return finding.Suppressed{}, false
}

// expand turns the paths into the files to read, in a stable order, and reads standard input
// when "-" is among them.
func expand(opts RunOptions, fail func(finding.Failure)) ([]string, []byte) {
	var files []string
	var stdin []byte
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range opts.Paths {
		if p == "-" {
			if stdin != nil || opts.Stdin == nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(opts.Stdin, MaxFileSize+1))
			if err != nil {
				fail(finding.Failure{File: finding.StdinName, Message: err.Error()})
				continue
			}
			stdin = b
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			fail(finding.Failure{File: p, Message: cleanErr(err).Error()})
			continue
		}
		if !info.IsDir() {
			add(filepath.Clean(p))
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(finding.Failure{File: path, Message: cleanErr(err).Error()})
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "vendor", "node_modules":
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && walkedExt(path) {
				add(path)
			}
			return nil
		})
		if err != nil {
			fail(finding.Failure{File: p, Message: err.Error()})
		}
	}
	return files, stdin
}

func walkedExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json", ".yaml", ".yml", ".template":
		return true
	}
	return false
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB: not a policy, manifest or template", MaxFileSize>>20)
	}
	return b, nil
}

// cleanErr drops the path an *fs.PathError repeats, since failures name the file already.
func cleanErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
