package linter

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// candidate is a file that may be a manifest (it mentions "resources"), with its content.
type candidate struct {
	path string
	src  []byte
}

// candidates reads the files of the run and returns, standard input first and then in path
// order, those that may be manifests. Their content is kept, so that each manifest is read
// and parsed once, as its targets are sent; the other files are read again, once, by the
// workers.
func (r *runState) candidates(stdin []byte) []candidate {
	var out []candidate
	if stdin != nil && bytes.Contains(stdin, []byte("resources")) {
		out = append(out, candidate{path: r.stdinName, src: stdin})
	}
	var mu sync.Mutex
	var found []candidate
	paths := make(chan string)
	var wg sync.WaitGroup
	for range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				src, err := r.read(p)
				if err != nil || !bytes.Contains(src, []byte("resources")) {
					continue // a worker reports read errors when it reads the file again
				}
				mu.Lock()
				found = append(found, candidate{path: p, src: src})
				mu.Unlock()
			}
		}()
	}
	for _, p := range r.exp.Files {
		if r.ctx.Err() != nil {
			break
		}
		paths <- p
	}
	close(paths)
	wg.Wait()
	slices.SortFunc(found, func(a, b candidate) int { return strings.Compare(a.path, b.path) })
	return append(out, found...)
}

// manifestSet is what the manifests of a run tell the rest of it: which files they are, and
// the policy files they name (absolute paths), which are checked as their targets and not a
// second time on their own.
type manifestSet struct {
	paths map[string]bool
	refs  *pathSet
}

// streamManifest reads candidate c once: when it is a manifest, each target goes to the
// workers (with the problems of the entry declaring it) as soon as it is read, then the
// manifest's own problems. It reports whether c was taken as a manifest, and false when the
// run was stopped (send failed).
func (r *runState) streamManifest(c candidate, set *manifestSet, send func(job) bool) (isManifest, ok bool) {
	f := jsonpos.NewFile(c.path, c.src)
	byEntry := map[int][]input.Problem{}
	declared := map[int]bool{}
	sent, stopped := false, false
	res, err := r.opts.Reader.StreamTargets(f, func(t *input.Target, fresh []input.Problem) bool {
		for _, p := range fresh {
			if i, ok := entryIndex(p.Loc.Path); ok {
				byEntry[i] = append(byEntry[i], p)
			}
		}
		// Only entries with problems need to be remembered as declaring a target: the
		// manifest's own problems are told apart from theirs at the end.
		if i, ok := entryIndex(t.Origin.Path); ok && len(byEntry[i]) > 0 {
			declared[i] = true
		}
		attachEntryProblems(t, byEntry)
		sent = true
		stopped = !send(job{path: c.path, target: t})
		return !stopped
	})
	if err != nil {
		r.fail(finding.Failure{File: c.path, Message: err.Error()})
		// Nothing sent: the file is read again as any other, as before the manifests were
		// read once.
		return sent, !stopped
	}
	if stopped || res.Kind != input.Manifest {
		return false, !stopped
	}
	r.input(c.path)
	r.count(1, 0, 0)
	set.paths[c.path] = true
	for _, ref := range res.Refs {
		set.refs.add(absPath(ref))
	}
	own, _ := splitEntryProblems(res.Problems, declared)
	if len(own) > 0 && !send(job{path: c.path, problems: own}) {
		return true, false
	}
	return true, true
}
