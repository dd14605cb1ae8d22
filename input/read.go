package input

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// Context is what the command line says about the resource of a raw policy file.
type Context struct {
	ARN, Tier, Type, KeyID string
}

// DefaultReadBudget is the time one file may take to read (parse and resolve), unless the
// Reader says otherwise. Reading is linear in the file's size and a 32 MiB file reads in a
// few seconds; the budget is there so that input nobody foresaw ends in an error naming the
// file rather than a job that never ends.
const DefaultReadBudget = 30 * time.Second

// Reader reads input files. It is safe for concurrent use.
type Reader struct {
	Context Context
	// ReadBudget is the time one file may take to read; zero means DefaultReadBudget.
	ReadBudget time.Duration
	manifest   *schema.Schema
}

// NewReader prepares a reader; ctx applies to raw policy files.
func NewReader(ctx Context) (*Reader, error) {
	m, err := schema.Load("manifest")
	if err != nil {
		return nil, err
	}
	return &Reader{Context: ctx, manifest: m}, nil
}

// Result is what one file held.
type Result struct {
	Kind    Kind
	Targets []*Target
	// Problems found in the file outside any target's policy (a manifest's own duplicate
	// keys or schema violations).
	Problems []Problem
	// Skipped is set for a file that is none of the formats.
	Skipped bool
	// Refs are the policy files a manifest names, cleaned, so that a directory walk does not
	// check them a second time without their context.
	Refs []string
}

// Parse reads a document as JSON when it looks like JSON, else as YAML. A file that is not
// named .json and fails as JSON is tried as YAML (YAML flow style looks like JSON).
func Parse(f *jsonpos.File) (p *jsonpos.Parsed, isJSON bool, err error) {
	return parse(context.Background(), f)
}

func parse(ctx context.Context, f *jsonpos.File) (p *jsonpos.Parsed, isJSON bool, err error) {
	if looksJSON(f.Src) {
		p, err := jsonpos.ParseJSONContext(ctx, f.Src)
		if err == nil || strings.EqualFold(filepath.Ext(f.Name), ".json") || !isSyntax(err) {
			return p, true, err
		}
		if py, yerr := jsonpos.ParseYAMLContext(ctx, f); yerr == nil {
			return py, false, nil
		} else if !isSyntax(yerr) {
			return nil, false, yerr
		}
		return nil, true, err
	}
	p, err = jsonpos.ParseYAMLContext(ctx, f)
	return p, false, err
}

func isSyntax(err error) bool {
	var se *jsonpos.SyntaxError
	return errors.As(err, &se)
}

// budget is the context a file is read under: done when the reader's time budget is spent.
func (r *Reader) budget() (context.Context, context.CancelFunc, time.Duration) {
	d := r.ReadBudget
	if d <= 0 {
		d = DefaultReadBudget
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return ctx, cancel, d
}

// readError wraps what kept file name from being read; a spent budget says so in words.
func readError(name string, budget time.Duration, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("read %s: gave up after %s, the time one file may take to read (%v)", name, budget, err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

func looksJSON(src []byte) bool {
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src = src[3:]
	}
	for _, c := range src {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// Read reads one file. An error is returned only for what keeps the file from being read at
// all (or a file that takes longer than the reader's budget); a document that does not parse is
// a finding (when it was meant to be an input) or a skipped file.
func (r *Reader) Read(f *jsonpos.File) (Result, error) {
	ctx, cancel, budget := r.budget()
	defer cancel()
	res, err := r.read(ctx, f)
	if err != nil {
		return Result{}, readError(f.Name, budget, err)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, readError(f.Name, budget, err)
	}
	return res, nil
}

func (r *Reader) read(ctx context.Context, f *jsonpos.File) (Result, error) {
	if p, bad := encodingProblem(f); bad {
		if !LooksIntended(f.Src) {
			return Result{Skipped: true}, nil
		}
		t := r.contextTarget(f)
		t.Problems = append(t.Problems, p)
		return Result{Kind: Policy, Targets: []*Target{t}}, nil
	}
	parsed, isJSON, err := parse(ctx, f)
	if err != nil {
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			return Result{}, err
		}
		if !LooksIntended(f.Src) {
			return Result{Skipped: true}, nil
		}
		t := r.contextTarget(f)
		if !isJSON && policyOnly(f.Src) {
			// Meant as a policy, which must be JSON: the JSON error is the one to fix.
			if _, jerr := jsonpos.ParseJSON(f.Src); errors.As(jerr, &se) {
				t.Problems = append(t.Problems, jsonRequired(SyntaxProblem(f, se, true)))
				return Result{Kind: Policy, Targets: []*Target{t}}, nil
			}
		}
		t.Problems = append(t.Problems, SyntaxProblem(f, se, isJSON))
		return Result{Kind: Policy, Targets: []*Target{t}}, nil
	}
	kind := Detect(parsed.Root)
	switch kind {
	case Policy:
		if !isJSON {
			return Result{Kind: kind, Targets: []*Target{r.yamlPolicy(f)}}, nil
		}
		t := r.rawPolicy(f, parsed, isJSON)
		return Result{Kind: kind, Targets: []*Target{t}}, nil
	case Manifest:
		return r.readManifest(f, parsed)
	case CloudFormation:
		return r.readCloudFormation(ctx, f, parsed)
	case Terraform:
		return r.readTerraform(ctx, f, parsed)
	}
	return Result{Kind: kind, Skipped: true}, nil
}

// yamlPolicy is the target of a policy file written as YAML. AWS takes a policy as the JSON
// text it is sent (`aws ssm put-resource-policy --policy file://...` sends the file as
// written), so a policy file must be JSON: it is invalid-json at its first byte that is not,
// and it is not checked further. Policies written inline in a manifest or a template are
// mappings of those files and are read as such.
func (r *Reader) yamlPolicy(f *jsonpos.File) *Target {
	t := r.contextTarget(f)
	var se *jsonpos.SyntaxError
	if _, err := jsonpos.ParseJSON(f.Src); !errors.As(err, &se) {
		// Cannot be: YAML is read only when the text is not JSON. Said at the start rather
		// than passed.
		se = &jsonpos.SyntaxError{Offset: 0, Msg: "the document is not JSON"}
	}
	t.Problems = append(t.Problems, jsonRequired(SyntaxProblem(f, se, true)))
	return t
}

// jsonRequired says why a policy file that is not JSON is a finding.
func jsonRequired(p Problem) Problem {
	p.Message += " (a policy file must be JSON: AWS takes the policy as the text it is sent)"
	return p
}

// policyOnly tells a file meant as a policy from one meant as another format: it mentions a
// Statement and none of the words of a template, a manifest or a plan.
func policyOnly(src []byte) bool {
	if !bytes.Contains(src, []byte("Statement")) {
		return false
	}
	for _, w := range intentWords {
		if !bytes.Equal(w, []byte("Statement")) && bytes.Contains(src, w) {
			return false
		}
	}
	return !resourcesList.Match(src) && !bytes.Contains(src, []byte("AWS::"))
}

// contextTarget is the target of a policy file whose policy could not be read: the command
// line's facts still apply to it.
func (r *Reader) contextTarget(f *jsonpos.File) *Target {
	t := &Target{Kind: Policy, Origin: Location{File: f}, PolicyFile: f}
	r.applyContext(t)
	return t
}

// encodingProblem is the invalid-json finding for a file that is not UTF-8 text, at its start:
// neither JSON nor YAML is the word for what is wrong with it.
func encodingProblem(f *jsonpos.File) (Problem, bool) {
	var se *jsonpos.SyntaxError
	if !errors.As(jsonpos.EncodingError(f.Src), &se) {
		return Problem{}, false
	}
	return Problem{Rule: rules.InvalidJSON, Message: se.Msg, Loc: Location{File: f, Span: jsonpos.Span{Start: 0, End: min(2, len(f.Src))}}}, true
}

// SyntaxProblem is the invalid-json finding for a document that does not parse.
func SyntaxProblem(f *jsonpos.File, se *jsonpos.SyntaxError, isJSON bool) Problem {
	what := "JSON"
	if !isJSON {
		what = "YAML"
	}
	end := se.Offset + 1
	if end > len(f.Src) {
		end = len(f.Src)
	}
	return Problem{Rule: rules.InvalidJSON, Message: fmt.Sprintf("not valid %s: %s", what, se.Msg),
		Loc: Location{File: f, Span: jsonpos.Span{Start: se.Offset, End: end}}}
}

// DuplicateProblems turns repeated keys into duplicate-key findings. base is the path of the
// parsed document inside the file (for an inline policy, its place in a manifest).
func DuplicateProblems(f *jsonpos.File, dups []jsonpos.Duplicate, base jsonpos.Path) []Problem {
	var out []Problem
	for _, d := range dups {
		first := f.Pos(d.First.Start)
		path := base.Append(d.Path...).Append(d.Key)
		out = append(out, Problem{
			Rule:    rules.DuplicateKey,
			Message: fmt.Sprintf("key %q is written twice in this object (first at line %d, column %d): only the last one counts", d.Key, first.Line, first.Column),
			Help:    "remove one of the two",
			Loc:     Location{File: f, Span: d.Again, Path: path},
		})
	}
	return out
}

func (r *Reader) rawPolicy(f *jsonpos.File, parsed *jsonpos.Parsed, isJSON bool) *Target {
	t := &Target{
		Kind:       Policy,
		Policy:     parsed.Root,
		PolicyFile: f,
		PolicyLoc:  Location{File: f, Span: parsed.Root.Span},
		Origin:     Location{File: f, Span: jsonpos.Span{Start: parsed.Root.Span.Start, End: parsed.Root.Span.Start + 1}},
		Problems:   DuplicateProblems(f, parsed.Duplicates, nil),
	}
	if isJSON {
		t.PolicyText = f.Src
	}
	r.applyContext(t)
	return t
}

// applyContext gives a raw policy's target the facts of the command line.
func (r *Reader) applyContext(t *Target) {
	ctx := r.Context
	t.ARN = flagFact(ctx.ARN, "--resource-arn")
	t.Tier = flagFact(ctx.Tier, "--tier")
	t.Type = flagFact(ctx.Type, "--type")
	t.KeyID = flagFact(ctx.KeyID, "--key-id")
}

func flagFact(v, flag string) Fact {
	if v == "" {
		return Fact{}
	}
	return Fact{Value: v, Known: true, From: flag}
}

// LoadPolicy reads the policy file a manifest names. read is given the cleaned path. The
// file must be JSON (see yamlPolicy): anything else is invalid-json at its first byte that is
// not JSON, whatever the file's name. Reading gives up after DefaultReadBudget.
func LoadPolicy(t *Target, read func(path string) ([]byte, error)) error {
	if t.PolicyRef == "" || t.Policy != nil {
		return nil
	}
	src, err := read(t.PolicyRef)
	if err != nil {
		if n := t.policyRefNode; n != nil && errors.Is(err, fs.ErrNotExist) && !pathLike(n.Text) {
			// No such file, and the string could not have named one: it was meant as the
			// policy's text, and is invalid-json where it stops being JSON.
			t.PolicyFile = t.PolicyRefLoc.File
			var se *jsonpos.SyntaxError
			if _, perr := jsonpos.ParseEmbedded(t.PolicyFile, n); errors.As(perr, &se) {
				t.Problems = append(t.Problems, SyntaxProblem(t.PolicyFile, se, true))
				return nil
			}
		}
		return err
	}
	f := jsonpos.NewFile(t.PolicyRef, src)
	t.PolicyFile = f
	if p, bad := encodingProblem(f); bad {
		t.Problems = append(t.Problems, p)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadBudget)
	defer cancel()
	parsed, err := jsonpos.ParseJSONContext(ctx, src)
	if err != nil {
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			return readError(t.PolicyRef, DefaultReadBudget, err)
		}
		p := SyntaxProblem(f, se, true)
		if looksYAMLPolicy(f) {
			p = jsonRequired(p)
		}
		t.Problems = append(t.Problems, p)
		return nil
	}
	t.Policy = parsed.Root
	t.PolicyLoc = Location{File: f, Span: parsed.Root.Span}
	t.PolicyText = src
	t.Problems = append(t.Problems, DuplicateProblems(f, parsed.Duplicates, nil)...)
	return nil
}

// looksYAMLPolicy tells whether a file that is not JSON is a policy written as YAML, so that
// its invalid-json finding can say why JSON is required.
func looksYAMLPolicy(f *jsonpos.File) bool {
	p, err := jsonpos.ParseYAML(f)
	return err == nil && Detect(p.Root) == Policy
}
