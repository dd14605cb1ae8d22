package input

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
)

// Context is what the command line says about the resource of a raw policy file.
type Context struct {
	ARN, Tier, Type, KeyID string
}

// Reader reads input files. It is safe for concurrent use.
type Reader struct {
	Context  Context
	manifest *schema.Schema
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
	if looksJSON(f.Src) {
		p, err := jsonpos.ParseJSON(f.Src)
		if err == nil || strings.EqualFold(filepath.Ext(f.Name), ".json") {
			return p, true, err
		}
		if py, yerr := jsonpos.ParseYAML(f); yerr == nil {
			return py, false, nil
		}
		return nil, true, err
	}
	p, err = jsonpos.ParseYAML(f)
	return p, false, err
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
// all; a document that does not parse is a finding (when it was meant to be an input) or a
// skipped file.
func (r *Reader) Read(f *jsonpos.File) (Result, error) {
	parsed, isJSON, err := Parse(f)
	if err != nil {
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			return Result{}, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if !LooksIntended(f.Src) {
			return Result{Skipped: true}, nil
		}
		t := &Target{Kind: Policy, Origin: Location{File: f}, PolicyFile: f}
		t.Problems = append(t.Problems, SyntaxProblem(f, se, isJSON))
		return Result{Kind: Policy, Targets: []*Target{t}}, nil
	}
	kind := Detect(parsed.Root)
	switch kind {
	case Policy:
		t := r.rawPolicy(f, parsed, isJSON)
		return Result{Kind: kind, Targets: []*Target{t}}, nil
	case Manifest:
		return r.readManifest(f, parsed)
	case CloudFormation:
		return r.readCloudFormation(f, parsed)
	case Terraform:
		return r.readTerraform(f, parsed)
	}
	return Result{Kind: kind, Skipped: true}, nil
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
	ctx := r.Context
	t.ARN = flagFact(ctx.ARN, "--resource-arn")
	t.Tier = flagFact(ctx.Tier, "--tier")
	t.Type = flagFact(ctx.Type, "--type")
	t.KeyID = flagFact(ctx.KeyID, "--key-id")
	return t
}

func flagFact(v, flag string) Fact {
	if v == "" {
		return Fact{}
	}
	return Fact{Value: v, Known: true, From: flag}
}

// LoadPolicy reads the policy file a manifest names. read is given the cleaned path.
func LoadPolicy(t *Target, read func(path string) ([]byte, error)) error {
	if t.PolicyRef == "" || t.Policy != nil {
		return nil
	}
	src, err := read(t.PolicyRef)
	if err != nil {
		return err
	}
	f := jsonpos.NewFile(t.PolicyRef, src)
	t.PolicyFile = f
	parsed, isJSON, err := Parse(f)
	if err != nil {
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			return err
		}
		t.Problems = append(t.Problems, SyntaxProblem(f, se, isJSON))
		return nil
	}
	t.Policy = parsed.Root
	t.PolicyLoc = Location{File: f, Span: parsed.Root.Span}
	if isJSON {
		t.PolicyText = src
	}
	t.Problems = append(t.Problems, DuplicateProblems(f, parsed.Duplicates, nil)...)
	return nil
}
