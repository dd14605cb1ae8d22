package input

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// readManifest reads a manifest parsed whole: a `resources` list, each entry a resource ARN,
// optional parameter facts, and its policy as a path relative to the manifest or inline.
func (r *Reader) readManifest(f *jsonpos.File, parsed *jsonpos.Parsed) (Result, error) {
	res := Result{Kind: Manifest}
	root := parsed.Root
	// Duplicates inside an entry belong to that entry; the rest to the manifest itself.
	var own []jsonpos.Duplicate
	byEntry := map[int][]jsonpos.Duplicate{}
	for _, d := range parsed.Duplicates {
		if len(d.Path) >= 2 && d.Path[0] == "resources" {
			if i, ok := d.Path[1].(int); ok {
				d.Path = d.Path[2:]
				byEntry[i] = append(byEntry[i], d)
				continue
			}
		}
		own = append(own, d)
	}
	res.Problems = append(res.Problems, DuplicateProblems(f, own, nil)...)
	for _, v := range r.manifest.Validate(root) {
		if !inlinePolicyPath(v.Path) {
			res.Problems = append(res.Problems, SchemaProblem(f, root, nil, v))
		}
	}
	list := root.Get("resources")
	if list == nil || list.Kind != jsonpos.Array {
		return res, nil
	}
	for i, entry := range list.Items {
		t, problems, ref := r.manifestEntry(f, entry, i, byEntry[i])
		res.Problems = append(res.Problems, problems...)
		if t != nil {
			res.Targets = append(res.Targets, t)
		}
		if ref != "" {
			res.Refs = append(res.Refs, ref)
		}
	}
	return res, nil
}

// inlinePolicyPath is a path inside an inline policy of a manifest: the policy schema's
// business, not the manifest schema's.
func inlinePolicyPath(path []any) bool {
	return len(path) > 3 && path[0] == "resources" && path[2] == "policy"
}

// StreamManifest reads a manifest and hands each target to emit as soon as it is read, so that
// a manifest naming a hundred thousand policies is never held whole: the items of a block-style
// `resources:` list are read one at a time (see manifestItems), and any other manifest is read
// whole. It stops early when emit returns false. The Result carries the manifest's own problems
// and the policy files it names, not its targets.
//
// Only the time spent reading counts against the reader's budget, not the time emit takes.
func (r *Reader) StreamManifest(f *jsonpos.File, emit func(*Target) bool) (Result, error) {
	return r.StreamTargets(f, func(t *Target, _ []Problem) bool { return emit(t) })
}

// StreamTargets is StreamManifest that also hands emit the problems found since its previous
// call (since the start for the first): every problem of the entry that declares t is among
// those given with t or before it, so that a caller reading the manifest once can give each
// target its entry's problems as it goes.
func (r *Reader) StreamTargets(f *jsonpos.File, emit func(t *Target, fresh []Problem) bool) (Result, error) {
	items, ok := manifestItems(f.Src)
	if !ok {
		return r.streamWhole(f, emit)
	}
	res := Result{Kind: Manifest}
	seen := 0 // problems already handed to emit
	budget := r.ReadBudget
	if budget <= 0 {
		budget = DefaultReadBudget
	}
	// Another tool's YAML can have a block list under `resources` too: it is a manifest only
	// when an item has a key of a manifest entry (see hasManifestEntry). Targets are emitted
	// only for items with a policy, which settles it before the first is sent.
	isManifest := false
	var spent time.Duration
	for i, it := range items {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), budget-spent)
		parsed, err := jsonpos.ParseYAMLRangeContext(ctx, f, it.Start, it.End)
		cancel()
		if spent += time.Since(start); spent >= budget && err == nil {
			err = context.DeadlineExceeded
		}
		if err != nil {
			var se *jsonpos.SyntaxError
			if !errors.As(err, &se) {
				return res, readError(f.Name, budget, err)
			}
			res.Problems = append(res.Problems, SyntaxProblem(f, se, false))
			continue
		}
		if parsed.Root.Kind != jsonpos.Array || len(parsed.Root.Items) != 1 {
			continue // manifestItems cut at each "- ": one item per piece
		}
		entry := parsed.Root.Items[0]
		isManifest = isManifest || hasManifestEntry(parsed.Root)
		// The piece is read as a list of one item: its paths start with that item's index 0.
		var dups []jsonpos.Duplicate
		for _, d := range parsed.Duplicates {
			if len(d.Path) >= 1 {
				d.Path = d.Path[1:]
				dups = append(dups, d)
			}
		}
		synthetic := &jsonpos.Node{Kind: jsonpos.Object, Members: []jsonpos.Member{{Key: "resources", Value: parsed.Root}}}
		for _, v := range r.manifest.Validate(synthetic) {
			if len(v.Path) >= 2 && v.Path[0] == "resources" {
				v.Path[1] = i
			}
			// In the one-item list, resources[0] can only be this item.
			v.Message = strings.Replace(v.Message, "resources[0]", fmt.Sprintf("resources[%d]", i), 1)
			if !inlinePolicyPath(v.Path) {
				res.Problems = append(res.Problems, SchemaProblem(f, entry, []any{"resources", i}, trimViolation(v, 2)))
			}
		}
		t, problems, ref := r.manifestEntry(f, entry, i, dups)
		res.Problems = append(res.Problems, problems...)
		if ref != "" {
			res.Refs = append(res.Refs, ref)
		}
		if t != nil {
			fresh := res.Problems[seen:]
			seen = len(res.Problems)
			if !emit(t, fresh) {
				break
			}
		}
	}
	if !isManifest {
		return Result{Kind: None, Skipped: true}, nil
	}
	return res, nil
}

// streamWhole is StreamTargets for a manifest that is not a block-style list: read whole, its
// problems all handed with the first target.
func (r *Reader) streamWhole(f *jsonpos.File, emit func(*Target, []Problem) bool) (Result, error) {
	ctx, cancel, budget := r.budget()
	parsed, _, err := parse(ctx, f)
	cancel()
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) {
			// Not known to be a manifest: Read decides whether it was meant to be an input.
			return Result{Kind: None}, nil
		}
		return Result{}, readError(f.Name, budget, err)
	}
	if Detect(parsed.Root) != Manifest {
		return Result{Kind: Detect(parsed.Root), Skipped: true}, nil
	}
	res, err := r.readManifest(f, parsed)
	if err != nil {
		return res, err
	}
	fresh := res.Problems
	for _, t := range res.Targets {
		if !emit(t, fresh) {
			break
		}
		fresh = nil
	}
	res.Targets = nil
	return res, nil
}

// trimViolation drops the first n steps of a violation's path (they are added back as the base
// of SchemaProblem).
func trimViolation(v schema.Violation, n int) schema.Violation {
	if len(v.Path) >= n {
		v.Path = v.Path[n:]
	}
	return v
}

// manifestItems finds, by their text, the items of a manifest written the usual way: comments,
// `resources:` at the top, then a block list whose items all start with "- " at one
// indentation. It says no (and the manifest is read whole) for anything else: flow style,
// other top-level keys, anchors and aliases, several documents.
func manifestItems(src []byte) ([]jsonpos.Span, bool) {
	if anchorish.Match(src) {
		return nil, false
	}
	var items []jsonpos.Span
	header, indent := false, -1
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		line := bytes.TrimRight(src[off:end], "\r\n")
		body := bytes.TrimLeft(line, " ")
		lineIndent := len(line) - len(body)
		switch {
		case len(body) == 0 || body[0] == '#':
			// blank lines and comments belong to the item they are in
		case !header:
			if string(bytes.TrimRight(stripComment(body), " ")) != "resources:" || lineIndent != 0 {
				if string(body) == "---" && len(items) == 0 {
					break
				}
				return nil, false
			}
			header = true
		case body[0] == '\t':
			return nil, false // YAML does not indent with tabs: let the reader say so
		case lineIndent == 0 && (bytes.HasPrefix(body, []byte("---")) || bytes.HasPrefix(body, []byte("..."))):
			return nil, false // another document
		case indent < 0:
			if !isItemStart(body) {
				return nil, false
			}
			indent = lineIndent
			items = append(items, jsonpos.Span{Start: off, End: end})
		case lineIndent == indent && isItemStart(body):
			items = append(items, jsonpos.Span{Start: off, End: end})
		case lineIndent > indent:
			// the item goes on
		default:
			return nil, false // a line outside the list: read the manifest whole
		}
		off = end
	}
	if !header || len(items) == 0 {
		return nil, false
	}
	// Each item runs to the start of the next, comments and blank lines included.
	for i := 0; i+1 < len(items); i++ {
		items[i].End = items[i+1].Start
	}
	items[len(items)-1].End = len(src)
	return items, true
}

// anchorish finds what looks like a YAML anchor (an alias needs one); such a manifest is read
// whole, since an item may refer to another.
var anchorish = regexp.MustCompile(`(^|[\s\[{,:-])&[A-Za-z0-9_]`)

func isItemStart(body []byte) bool {
	return len(body) == 1 && body[0] == '-' || len(body) > 1 && body[0] == '-' && (body[1] == ' ' || body[1] == '\t')
}

func stripComment(b []byte) []byte {
	if i := bytes.Index(b, []byte(" #")); i >= 0 {
		return b[:i]
	}
	return b
}

// manifestEntry reads one entry of a manifest's resources list (index i) into a target, with
// the repeated keys found inside it (paths relative to the entry). It returns the target (nil
// for an entry that is not a mapping), problems of the entry itself, and the policy file it
// names ("" for an inline policy).
func (r *Reader) manifestEntry(f *jsonpos.File, entry *jsonpos.Node, i int, dups []jsonpos.Duplicate) (*Target, []Problem, string) {
	base := jsonpos.Path{"resources", i}
	var policyDups, own []jsonpos.Duplicate
	for _, d := range dups {
		if len(d.Path) >= 1 && d.Path[0] == "policy" {
			d.Path = d.Path[1:]
			policyDups = append(policyDups, d)
			continue
		}
		own = append(own, d)
	}
	problems := DuplicateProblems(f, own, base)
	if entry.Kind != jsonpos.Object {
		return nil, problems, ""
	}
	t := &Target{Kind: Manifest, Origin: Location{File: f, Span: entry.Span, Path: base}}
	t.ARN = factAt(f, entry, base, "arn")
	if p := entry.Get("parameter"); p != nil && p.Kind == jsonpos.Object {
		pbase := base.Append("parameter")
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
				t.Ignore = append(t.Ignore, IgnoreEntry{Rule: it.Text, Loc: Location{File: f, Span: it.Span, Path: base.Append("ignore", k)}})
			}
		}
	}
	pol := entry.Get("policy")
	if pol == nil {
		return nil, problems, "" // the schema violation says so
	}
	ppath := base.Append("policy")
	t.PolicyLoc = Location{File: f, Span: pol.Span, Path: ppath}
	ref := ""
	switch {
	case pol.Kind == jsonpos.Object:
		t.Policy, t.PolicyFile = pol, f
		t.Problems = append(t.Problems, DuplicateProblems(f, policyDups, ppath)...)
	case pol.Kind == jsonpos.String && policyText(pol.Text):
		// The policy as a JSON string: findings point inside the string.
		t.PolicyFile = f
		inner, err := jsonpos.ParseEmbedded(f, pol)
		if err != nil {
			var se *jsonpos.SyntaxError
			if errors.As(err, &se) {
				t.Problems = append(t.Problems, SyntaxProblem(f, se, true))
			}
			break
		}
		t.Policy, t.PolicyText = inner.Root, []byte(pol.Text)
		t.Problems = append(t.Problems, DuplicateProblems(f, inner.Duplicates, nil)...)
	case pol.Kind == jsonpos.String && pol.Text != "":
		ref = pol.Text
		if !filepath.IsAbs(ref) {
			ref = filepath.Join(filepath.Dir(f.Name), ref)
		}
		ref = filepath.Clean(ref)
		t.PolicyRef, t.PolicyRefLoc, t.policyRefNode = ref, t.PolicyLoc, pol
	}
	return t, problems, ref
}

// policyText tells whether a manifest's policy string is the policy itself rather than the path
// of a policy file: any string that parses as JSON (a number or a list too: the schema then
// says what a policy must be), and one that starts like a JSON object or list. Any other
// string is a path (see LoadPolicy for one that names no file).
func policyText(s string) bool {
	trimmed := strings.TrimSpace(s)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		return true
	}
	_, err := jsonpos.ParseJSON([]byte(s))
	return err == nil
}

// pathLike is a string that may name a file: a single word, or one with a slash or an
// extension.
func pathLike(s string) bool {
	if !strings.ContainsAny(s, " \t\r\n") {
		return true
	}
	ext := filepath.Ext(s)
	return strings.Contains(s, "/") || len(ext) > 1 && !strings.ContainsAny(ext, " \t\r\n")
}

// factAt reads the string at obj[key] as a fact with its place in the file.
func factAt(f *jsonpos.File, obj *jsonpos.Node, base jsonpos.Path, key string) Fact {
	m, ok := obj.Member(key)
	if !ok || m.Value.Kind != jsonpos.String {
		return Fact{}
	}
	return Fact{Value: m.Value.Text, Known: true, Loc: Location{File: f, Span: m.Value.Span, Path: base.Append(key)}}
}
