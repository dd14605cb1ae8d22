// Package fix makes the edits `check --fix` applies: for the findings of rules whose fix is
// certain, edits at the finding's bytes that leave the rest of the file as it was written
// (indentation, key order, YAML comments). Every file's edits are verified before they are
// kept: the edited file must parse, and read as the old one with exactly the intended change.
//
// Only policies written as themselves are edited: policy files, and the policies written
// inline in a manifest as a mapping. A policy held in a string (a manifest's JSON string, a
// CloudFormation template, a Terraform plan) would need its edit escaped for that string and
// is left alone.
package fix

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// Edit replaces the bytes [Start, End) of a file with New.
type Edit = udiff.Edit

// fixer returns the edits that fix finding f of target t, and the same change made to the
// policy's value (for verification); ok is false when no fix is certain.
type fixer func(t *input.Target, f finding.Finding) (edits []Edit, change func(policy any) any, ok bool)

// fixers are the fixes, by rule id. A rule is fixable when its METADATA says custom.fixable
// and it has an entry here; a test keeps the two lists the same.
func fixers() map[string]fixer {
	return map[string]fixer{
		"version":               fixVersion,
		"action-not-promotable": fixActions,
	}
}

// Rules lists the ids of the rules that have a fix, sorted.
func Rules() []string {
	ids := make([]string, 0, len(fixers()))
	for id := range fixers() {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Fix is the fix of one finding.
type Fix struct {
	Finding finding.Finding
	file    *jsonpos.File
	// path is where the policy is in the file's document (nil: the document is the policy).
	path   jsonpos.Path
	edits  []Edit
	change func(policy any) any
}

// Plan collects the fixes of a run's findings. Visit may be called concurrently.
type Plan struct {
	set   *rules.Set
	fix   map[string]fixer
	mu    sync.Mutex
	fixes map[string][]Fix // by the name of the file they edit, in the order they came
	// elsewhere counts findings of fixable rules in policies --fix does not edit.
	elsewhere int
}

// NewPlan returns an empty plan for the rules of set.
func NewPlan(set *rules.Set) *Plan {
	return &Plan{set: set, fix: fixers(), fixes: map[string][]Fix{}}
}

// Visit takes the findings kept for target t (the linter's RunOptions.Visit).
func (p *Plan) Visit(t *input.Target, kept []finding.Finding) {
	for _, f := range kept {
		r, ok := p.set.Get(f.Rule)
		fx, has := p.fix[f.Rule]
		if !ok || !r.Fixable || !has {
			continue
		}
		if !Editable(t) {
			p.mu.Lock()
			p.elsewhere++
			p.mu.Unlock()
			continue
		}
		edits, change, ok := fx(t, f)
		if !ok || !within(t.PolicyFile.Src, edits, t.PolicyLoc.Span) {
			continue
		}
		p.mu.Lock()
		name := t.PolicyFile.Name
		p.fixes[name] = append(p.fixes[name], Fix{Finding: f, file: t.PolicyFile, path: t.PolicyLoc.Path, edits: edits, change: change})
		p.mu.Unlock()
	}
}

// Elsewhere is how many findings of fixable rules are in policies --fix does not edit
// (templates, plans, policies written as JSON strings, standard input).
func (p *Plan) Elsewhere() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.elsewhere
}

// Editable reports whether t's policy is written where --fix edits: a policy file (given, or
// named by a manifest), or a manifest's inline mapping. Not standard input, which has no file
// to write, nor a policy in a string.
func Editable(t *input.Target) bool {
	if t.Policy == nil || t.PolicyFile == nil || t.PolicyFile.Name == finding.StdinName || t.PolicyLoc.File != t.PolicyFile {
		return false
	}
	switch t.Kind {
	case input.Policy:
		return true
	case input.Manifest:
		// A policy file the manifest names, or a mapping in the manifest; not a JSON string.
		return t.PolicyRef != "" || t.PolicyText == nil
	}
	return false
}

// within reports whether every edit is inside span, or an insertion at the end of its last
// line (a new item of a YAML block sequence): a fix changes its own policy only. (A YAML alias
// could otherwise lead an edit elsewhere; verification would catch that too.)
func within(src []byte, edits []Edit, span jsonpos.Span) bool {
	lineEnd := len(src)
	if i := bytes.IndexByte(src[span.End:], '\n'); i >= 0 {
		lineEnd = span.End + i + 1
	}
	for _, e := range edits {
		inside := e.Start >= span.Start && e.End <= span.End
		after := e.Start == e.End && e.Start > span.End && e.Start <= lineEnd
		if !inside && !after {
			return false
		}
	}
	return len(edits) > 0
}

// File is the outcome of the fixes in one file.
type File struct {
	Name     string
	Old, New []byte
	// Fixed are the findings whose fixes New holds.
	Fixed []finding.Finding
	// Dropped says why a fix was not kept, one line each.
	Dropped []string
}

// Diff is the file's change as a unified diff, "" when there is none.
func (f File) Diff() string {
	if f.New == nil {
		return ""
	}
	return udiff.Unified("a/"+f.Name, "b/"+f.Name, string(f.Old), string(f.New))
}

// Files resolves the plan: per file, the fixes whose edits do not overlap and whose result
// verifies. Files with nothing to fix are left out; the order is by name.
func (p *Plan) Files() []File {
	p.mu.Lock()
	names := make([]string, 0, len(p.fixes))
	for name := range p.fixes {
		names = append(names, name)
	}
	p.mu.Unlock()
	sort.Strings(names)
	var out []File
	for _, name := range names {
		if f := p.file(name, false); len(f.Fixed) > 0 || len(f.Dropped) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// Take is the outcome of the fixes in the file name, as Files gives it, and forgets them: a
// check that writes its findings file by file marks those of each file as it goes, without
// holding every file's fixes. The fixes of a file are in the plan once every target whose
// policy is in it has been visited.
func (p *Plan) Take(name string) File {
	return p.file(name, true)
}

func (p *Plan) file(name string, forget bool) File {
	p.mu.Lock()
	fixes := p.fixes[name]
	if forget {
		delete(p.fixes, name)
	}
	p.mu.Unlock()
	if len(fixes) == 0 {
		return File{Name: name}
	}
	return resolve(slices.Clone(fixes))
}

// maxOneByOne bounds the fixes of one file verified one by one when together they fail.
const maxOneByOne = 32

// resolve keeps the fixes of one file that can be made together.
func resolve(fixes []Fix) File {
	slices.SortStableFunc(fixes, func(a, b Fix) int {
		return cmp.Or(cmp.Compare(a.edits[0].Start, b.edits[0].Start), finding.Compare(a.Finding, b.Finding))
	})
	file := fixes[0].file
	out := File{Name: file.Name, Old: file.Src}
	var kept []Fix
	for _, fx := range fixes {
		if conflicts(kept, fx) {
			out.Dropped = append(out.Dropped, dropped(fx, "its edit overlaps another fix's; run --fix again"))
			continue
		}
		kept = append(kept, fx)
	}
	if len(kept) == 0 {
		return out
	}
	if src, err := verify(file, kept); err == nil {
		return finish(out, src, kept)
	}
	// Together they do not verify: keep each fix that verifies with those kept before it. That
	// reads the file once per fix, so a file with very many is left for the user instead.
	if len(kept) > maxOneByOne {
		for _, fx := range kept {
			out.Dropped = append(out.Dropped, dropped(fx, "the fixes of this file do not verify together"))
		}
		return out
	}
	var good []Fix
	for _, fx := range kept {
		if _, err := verify(file, append(slices.Clone(good), fx)); err != nil {
			out.Dropped = append(out.Dropped, dropped(fx, err.Error()))
			continue
		}
		good = append(good, fx)
	}
	if len(good) == 0 {
		return out
	}
	src, _ := verify(file, good)
	return finish(out, src, good)
}

func finish(out File, src []byte, fixes []Fix) File {
	out.New = src
	for _, fx := range fixes {
		out.Fixed = append(out.Fixed, fx.Finding)
	}
	return out
}

func dropped(fx Fix, why string) string {
	f := fx.Finding
	return fmt.Sprintf("%s:%d:%d: %s not fixed: %s", f.File, f.Start.Line, f.Start.Column, f.Rule, why)
}

// conflicts reports whether fx's edits overlap those of the fixes kept. The same edit made for
// two findings (a policy two targets share) is made once, and is no conflict.
func conflicts(kept []Fix, fx Fix) bool {
	for _, k := range kept {
		for _, a := range k.edits {
			for _, b := range fx.edits {
				if a == b {
					continue
				}
				if a.Start < b.End && b.Start < a.End || a.Start == b.Start {
					return true
				}
			}
		}
	}
	return false
}

// verify applies the fixes' edits to the file and checks the result: it parses as the
// original did, has no new repeated key, and reads as the original with each fix's change
// made to its policy, and nothing else.
func verify(file *jsonpos.File, fixes []Fix) ([]byte, error) {
	var edits []Edit
	for _, fx := range fixes {
		for _, e := range fx.edits {
			if !slices.Contains(edits, e) {
				edits = append(edits, e)
			}
		}
	}
	udiff.SortEdits(edits)
	src, err := udiff.ApplyBytes(file.Src, edits)
	if err != nil {
		return nil, fmt.Errorf("the edits do not apply: %w", err)
	}
	oldDoc, oldJSON, err := input.Parse(file)
	if err != nil {
		return nil, fmt.Errorf("the file no longer parses: %w", err)
	}
	newDoc, newJSON, err := input.Parse(jsonpos.NewFile(file.Name, src))
	if err != nil {
		return nil, fmt.Errorf("the edited file would not parse: %w", err)
	}
	if oldJSON != newJSON || len(newDoc.Duplicates) != len(oldDoc.Duplicates) {
		return nil, fmt.Errorf("the edited file would read differently")
	}
	want := oldDoc.Root.Value()
	done := map[string]bool{}
	for _, fx := range fixes {
		key := fmt.Sprint(fx.path) + "\x00" + fx.Finding.Rule
		if done[key] {
			continue // the same change for two findings: made once
		}
		done[key] = true
		var ok bool
		if want, ok = update(want, fx.path, fx.change); !ok {
			return nil, fmt.Errorf("the policy is not where the file says")
		}
	}
	if !reflect.DeepEqual(newDoc.Root.Value(), want) {
		return nil, fmt.Errorf("the edited file would not read as the fix intends")
	}
	return src, nil
}

// update replaces the value at path in v with change(value), and returns v.
func update(v any, path jsonpos.Path, change func(any) any) (any, bool) {
	if len(path) == 0 {
		return change(v), true
	}
	switch step := path[0].(type) {
	case string:
		m, ok := v.(map[string]any)
		if !ok {
			return v, false
		}
		child, ok := m[step]
		if !ok {
			return v, false
		}
		m[step], ok = update(child, path[1:], change)
		return m, ok
	case int:
		l, ok := v.([]any)
		if !ok || step < 0 || step >= len(l) {
			return v, false
		}
		l[step], ok = update(l[step], path[1:], change)
		return l, ok
	}
	return v, false
}
