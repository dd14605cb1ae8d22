package input

import (
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// readManifest reads a manifest: a `resources` list, each entry a resource ARN, optional
// parameter facts, and its policy as a path relative to the manifest or inline.
func (r *Reader) readManifest(f *jsonpos.File, parsed *jsonpos.Parsed) (Result, error) {
	res := Result{Kind: Manifest}
	root := parsed.Root
	// Duplicates inside an inline policy belong to that resource's target; the rest to the
	// manifest itself.
	var own []jsonpos.Duplicate
	byEntry := map[int][]jsonpos.Duplicate{}
	for _, d := range parsed.Duplicates {
		if len(d.Path) >= 3 && d.Path[0] == "resources" && d.Path[2] == "policy" {
			if i, ok := d.Path[1].(int); ok {
				byEntry[i] = append(byEntry[i], d)
				continue
			}
		}
		own = append(own, d)
	}
	res.Problems = append(res.Problems, DuplicateProblems(f, own, nil)...)
	for _, v := range r.manifest.Validate(root) {
		if len(v.Path) >= 3 && v.Path[0] == "resources" && v.Path[2] == "policy" && len(v.Path) > 3 {
			continue // an inline policy's grammar is the policy schema's business
		}
		res.Problems = append(res.Problems, SchemaProblem(f, root, nil, v))
	}
	list := root.Get("resources")
	if list == nil || list.Kind != jsonpos.Array {
		return res, nil
	}
	dir := filepath.Dir(f.Name)
	for i, entry := range list.Items {
		if entry.Kind != jsonpos.Object {
			continue
		}
		base := []any{"resources", i}
		t := &Target{Origin: Location{File: f, Span: entry.Span, Path: base}}
		t.ARN = factAt(f, entry, base, "arn")
		if p := entry.Get("parameter"); p != nil && p.Kind == jsonpos.Object {
			pbase := append(base[:2:2], "parameter")
			t.Tier = factAt(f, p, pbase, "tier")
			t.Type = factAt(f, p, pbase, "type")
			t.KeyID = factAt(f, p, pbase, "keyId")
		}
		if id := entry.Get("policyId"); id != nil && id.Kind == jsonpos.String {
			t.PolicyID = id.Text
		}
		if ig := entry.Get("ignore"); ig != nil && ig.Kind == jsonpos.Array {
			for k, it := range ig.Items {
				if it.Kind == jsonpos.String {
					t.Ignore = append(t.Ignore, IgnoreEntry{Rule: it.Text, Loc: Location{File: f, Span: it.Span, Path: append(base[:2:2], "ignore", k)}})
				}
			}
		}
		pol := entry.Get("policy")
		if pol == nil {
			continue // the schema violation says so
		}
		ppath := append(base[:2:2], "policy")
		t.PolicyLoc = Location{File: f, Span: pol.Span, Path: ppath}
		switch {
		case pol.Kind == jsonpos.Object:
			t.Policy, t.PolicyFile = pol, f
			t.Problems = append(t.Problems, DuplicateProblems(f, trimBase(byEntry[i], 3), ppath)...)
		case pol.Kind == jsonpos.String && strings.HasPrefix(strings.TrimSpace(pol.Text), "{"):
			// The policy as a JSON string: findings point inside the string.
			t.PolicyFile = f
			inner, err := jsonpos.ParseEmbedded(f, pol)
			if err != nil {
				if se, ok := err.(*jsonpos.SyntaxError); ok {
					t.Problems = append(t.Problems, SyntaxProblem(f, se, true))
				}
				break
			}
			t.Policy, t.PolicyText = inner.Root, []byte(pol.Text)
			t.Problems = append(t.Problems, DuplicateProblems(f, inner.Duplicates, nil)...)
		case pol.Kind == jsonpos.String && pol.Text != "":
			ref := pol.Text
			if !filepath.IsAbs(ref) {
				ref = filepath.Join(dir, ref)
			}
			t.PolicyRef = filepath.Clean(ref)
			t.PolicyRefLoc = t.PolicyLoc
			res.Refs = append(res.Refs, t.PolicyRef)
		}
		res.Targets = append(res.Targets, t)
	}
	return res, nil
}

// trimBase drops the first n steps of each duplicate's path: they locate the inline policy,
// which DuplicateProblems adds back as its base.
func trimBase(dups []jsonpos.Duplicate, n int) []jsonpos.Duplicate {
	out := make([]jsonpos.Duplicate, len(dups))
	for i, d := range dups {
		d.Path = d.Path[n:]
		out[i] = d
	}
	return out
}

// factAt reads the string at obj[key] as a fact with its place in the file.
func factAt(f *jsonpos.File, obj *jsonpos.Node, base []any, key string) Fact {
	m, ok := obj.Member(key)
	if !ok || m.Value.Kind != jsonpos.String {
		return Fact{}
	}
	return Fact{Value: m.Value.Text, Known: true, Loc: Location{File: f, Span: m.Value.Span, Path: append(base[:len(base):len(base)], key)}}
}
