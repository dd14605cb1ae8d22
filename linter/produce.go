package linter

import (
	"slices"
	"strings"
)

// produce sends the jobs: the targets of each manifest (standard input's first) as each is
// read, then the other files. Manifests come first so that the policy files they name are
// checked with their context, and not a second time on their own when a directory walk also
// finds them. Each job gets its place in the output order (see orderer): the jobs of the
// manifests, whose findings can be in any file, floor "".
func (r *runState) produce(jobs chan<- job, stdin []byte) {
	defer close(jobs)
	defer r.ord.sent()
	send := func(j job, floor string) bool {
		seq, ok := r.ord.reserve(floor)
		if !ok {
			return false
		}
		j.seq = seq
		select {
		case jobs <- j:
			return true
		case <-r.ctx.Done():
			return false
		}
	}
	manifestJob := func(j job) bool { return send(j, "") }
	set := &manifestSet{paths: map[string]bool{}, refs: newPathSet()}
	maybe := map[string]bool{} // files that mention "resources" and were not manifests
	for _, c := range r.candidates(stdin) {
		isManifest, ok := r.streamManifest(c, set, manifestJob)
		if !ok || r.ctx.Err() != nil {
			return
		}
		if !isManifest {
			maybe[c.path] = true
		}
	}
	if stdin != nil && !set.paths[r.stdinName] && !send(job{path: r.stdinName, src: stdin}, "") {
		return
	}
	plain := r.plainJobs(set, maybe)
	if len(plain) > 0 {
		r.ord.setFuture(plain[0].floor)
	}
	for _, p := range plain {
		if !send(job{path: p.path}, p.floor) {
			return
		}
	}
}

// plainFile is a file to check on its own, and the floor of its findings.
type plainFile struct{ path, floor string }

// plainJobs lists the files that are neither manifests nor named by one, in the order they
// are sent: first those whose findings can be anywhere (a file that mentions "resources" may
// be read as a manifest after all), floor "", then the others by floor. A file's floor is its
// name, or the name of a manifest of its project that names it when that sorts before (the
// context search puts the findings on the manifest entry's facts in the manifest).
func (r *runState) plainJobs(set *manifestSet, maybe map[string]bool) []plainFile {
	var first, rest []plainFile
	for _, p := range r.exp.Files {
		switch {
		case set.paths[p] || set.refs.has(absPath(p)):
		case maybe[p]:
			first = append(first, plainFile{path: p})
		default:
			rest = append(rest, plainFile{path: p, floor: r.floor(p)})
		}
	}
	slices.SortStableFunc(rest, func(a, b plainFile) int { return strings.Compare(a.floor, b.floor) })
	return append(first, rest...)
}

// floor is the lowest file name the findings of the file at path can be in.
func (r *runState) floor(path string) string {
	floor := path
	if r.search == nil {
		return floor
	}
	p, err := r.project(path)
	if err != nil || p.Root == "" || p.NoSearch {
		return floor
	}
	for _, e := range r.search.lookup(r.ctx, p.Root, path) {
		if name := fileName(e.target.Origin); name < floor {
			floor = name
		}
	}
	return floor
}
