package linter

import (
	"fmt"

	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

func (r *runState) work(j job) {
	p, err := r.project(j.path)
	if err != nil {
		r.fail(finding.Failure{File: j.path, Message: err.Error()})
		return
	}
	if j.problems != nil {
		r.fileProblems(j.seq, p, j.problems)
		return
	}
	if j.target != nil {
		t := j.target
		files := 0
		if t.PolicyRef != "" {
			if !r.loadRef(p, j.path, t) {
				return
			}
			files = 1
		}
		r.count(files, 1, 0)
		r.check(j.seq, p, t, "")
		return
	}
	src := j.src
	if src == nil {
		if src, err = r.read(j.path); err != nil {
			r.input(j.path)
			r.fail(finding.Failure{File: j.path, Message: cleanErr(err).Error()})
			return
		}
	}
	res, err := r.opts.Reader.Read(jsonpos.NewFile(j.path, src))
	if err != nil {
		r.input(j.path)
		r.fail(finding.Failure{File: j.path, Message: err.Error()})
		return
	}
	if res.Skipped {
		r.count(1, 0, 1)
		return
	}
	r.input(j.path)
	if res.Kind == input.Policy && r.search != nil && p.Root != "" && !p.NoSearch {
		if entries := r.search.lookup(r.ctx, p.Root, j.path); len(entries) > 0 {
			r.checkInContext(j.seq, p, j.path, src, entries)
			return
		}
	}
	targets := res.Targets
	problems := res.Problems
	if res.Kind == input.Manifest {
		// A manifest the first pass did not take for one (it changed in between): its
		// targets are completed here as the first pass would have.
		declared := map[int]bool{}
		for _, t := range targets {
			declare(declared, t)
		}
		var byEntry map[int][]input.Problem
		problems, byEntry = splitEntryProblems(problems, declared)
		targets = nil
		for _, t := range res.Targets {
			attachEntryProblems(t, byEntry)
			if t.PolicyRef == "" || r.loadRef(p, j.path, t) {
				targets = append(targets, t)
			}
		}
	}
	r.count(1, len(targets), 0)
	r.fileProblems(j.seq, p, problems)
	for _, t := range targets {
		r.check(j.seq, p, t, "")
	}
}

// checkInContext checks the policy file at path as the target of each manifest entry that
// names it. Findings on the policy are in the policy file; findings on the entry's facts are
// where a check of the manifest puts them; all say which entry gave the context.
func (r *runState) checkInContext(seq int, p *Project, path string, src []byte, entries []contextEntry) {
	r.count(1, len(entries), 0)
	for _, c := range entries {
		t, err := c.forPolicy(path, src)
		if err != nil {
			r.fail(finding.Failure{File: path, Message: err.Error()})
			continue
		}
		r.check(seq, p, t, c.where)
	}
}

// loadRef reads the policy file a manifest (at manifestPath) names into t: only a regular
// file inside the manifest's project. It reports a failure at the manifest line otherwise.
func (r *runState) loadRef(p *Project, manifestPath string, t *input.Target) bool {
	bound := p.bound(manifestPath)
	err := input.LoadPolicy(t, func(ref string) ([]byte, error) {
		real, err := contain(bound, ref)
		if err != nil {
			return nil, err
		}
		return r.read(real)
	})
	if err != nil {
		loc := t.PolicyRefLoc
		pos := loc.File.Pos(loc.Span.Start)
		r.fail(finding.Failure{File: loc.File.Name, Start: &pos, Message: fmt.Sprintf("read policy %s: %v", t.PolicyRef, cleanErr(err))})
		return false
	}
	r.input(t.PolicyRef)
	return true
}

// check runs the checks on one target of project p; context names the manifest entry that
// gave a policy file its facts in the context search.
func (r *runState) check(seq int, p *Project, t *input.Target, context string) {
	if t.Policy != nil {
		if err := enrich.Run(r.ctx, r.opts.Enrich, t); err != nil {
			r.fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
			return
		}
	}
	found, err := p.Profile.Engine.Check(r.ctx, t)
	if err != nil {
		r.fail(finding.Failure{File: fileName(t.Origin), Message: err.Error()})
	}
	if context != "" {
		for i := range found {
			found[i].Context = context
		}
	}
	r.add(seq, p.Profile, t, found)
}

// fileProblems reports the problems a file has outside any target (a manifest's own schema
// violations and repeated keys): they carry no policy, so Check only places them, and the
// pipeline gives them their levels and applies the configuration's suppressions.
func (r *runState) fileProblems(seq int, p *Project, problems []input.Problem) {
	if len(problems) == 0 {
		return
	}
	found, _ := p.Profile.Engine.Check(r.ctx, &input.Target{Problems: problems})
	r.add(seq, p.Profile, nil, found)
}

func fileName(l input.Location) string {
	if l.File == nil {
		return ""
	}
	return l.File.Name
}
