// Package rules holds the built-in Rego rules, one folder per rule (rule.rego, rule_test.rego,
// README.md), and builds the rule catalogue from their METADATA annotations: the one source for
// `ssmpolicy rules`, `explain`, the SARIF rule entries, the docs and the default levels.
package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

//go:embed lib/*.rego */rule.rego */README.md
var builtin embed.FS

// DocsBase is where the rule documentation pages are published.
const DocsBase = "https://github.com/ssmpolicy/ssmpolicy/blob/main/rules/"

// PackageRoot is the Rego package under which every rule lives, built-in or custom: a rule is
// the package ssmpolicy.rules[name], its findings the set `report`. The built-in rules are
// named by their id, ssmpolicy.rules["principal-wildcard"], so that folder, package and id
// are one name; custom rules may also use ssmpolicy.rules.name.
const PackageRoot = "ssmpolicy.rules"

// rulesRoot is PackageRoot as a reference.
var rulesRoot = ast.MustParseRef("data." + PackageRoot)

// RulePackage is the package path (without data.) of the rule package name under PackageRoot,
// written as Rego writes it: ssmpolicy.rules["principal-wildcard"], ssmpolicy.rules.version.
func RulePackage(name string) string {
	return strings.TrimPrefix(rulesRoot.Append(ast.StringTerm(name)).String(), "data.")
}

// Rule is one entry of the catalogue.
type Rule struct {
	ID          string
	Title       string
	Description string
	// Level is the rule's default level: the level of its findings unless a finding says
	// otherwise (see Levels).
	Level finding.Level
	// Levels lists the levels the rule's findings take, most severe first: Level alone for
	// most rules. A rule with two (version: error for an invalid value, warning for the old
	// one) marks each finding below Level with its own level (the finding's `level`).
	Levels []finding.Level
	// Kinds lists the resource kinds the rule applies to: parameter, opsitemgroup.
	Kinds []string
	// Requires lists the facts the rule needs: arn, tier, type, key.
	Requires []string
	// Source names where the rule's fact is documented: sections of docs/aws-facts.md, or of
	// the docs page about the tool's own behaviour, as `docs/FILE.md, "Section" and "Section"`
	// joined by "; ".
	Source string
	// Inference is set when AWS does not document what the rule checks.
	Inference bool
	// Fixable is set when `check --fix` can fix the rule's findings (custom.fixable); the
	// edits are made in Go (package fix), so only built-in rules can be fixable.
	Fixable bool
	// Engine is "rego", or "go" for the rules the engine itself reports (invalid-json,
	// duplicate-key, schema, context-missing, suppression-expired).
	Engine string
	// Package is the rule's Rego package path without the data. prefix.
	Package string
	// Doc is the rule's documentation page (Markdown).
	Doc string
	// DocsURL is the link printed with every finding.
	DocsURL string
	// Related are links to AWS documentation.
	Related []string
	// Needs lists the statement keys (Condition, NotAction, NotResource, NotPrincipal, Sid)
	// without which the rule reports nothing: the engine skips the rule on a policy none of
	// whose statements has one of them. Empty: the rule runs on every policy.
	Needs []string
	// Custom is set for rules loaded from a user's directory; File names their source.
	Custom bool
	File   string
}

// StatementKeys are the statement keys a rule may list in custom.needs.
func StatementKeys() []string {
	return []string{"Condition", "NotAction", "NotPrincipal", "NotResource", "Sid"}
}

// Set is a catalogue of rules and the Rego modules that implement them.
type Set struct {
	Rules   []*Rule
	Modules map[string]*ast.Module
	byID    map[string]*Rule
	byPkg   map[string]*Rule
	// builtinPkgs are the packages of the built-in modules, which users' modules may not
	// define rules in; custom names the modules read from users' directories.
	builtinPkgs []ast.Ref
	custom      map[string]bool
}

// Builtin reads the embedded rules. Their catalogue entries come from catalogue_gen.go, which
// `go generate` writes from the modules' METADATA annotations: parsing the annotations is a
// cost every run would pay at start for the same result, so the modules are parsed without.
func Builtin() (*Set, error) {
	s := &Set{Modules: map[string]*ast.Module{}, byID: map[string]*Rule{}, byPkg: map[string]*Rule{}, custom: map[string]bool{}}
	files, err := fs.Glob(builtin, "*/*.rego")
	if err != nil {
		return nil, err
	}
	meta := newGenerated()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.rego") {
			continue // tests of the helpers (lib/*_test.rego): the rule tests read them from disk
		}
		src, err := builtin.ReadFile(name)
		if err != nil {
			return nil, err
		}
		mod, err := parseBuiltin("rules/"+name, string(src))
		if err != nil {
			return nil, FormatError(err)
		}
		if err := s.addModule("rules/"+name, mod, false, func(string) string {
			doc, _ := builtin.ReadFile(path.Join(path.Dir(name), "README.md"))
			return string(doc)
		}, meta.rule); err != nil {
			return nil, err
		}
	}
	if err := meta.allUsed(); err != nil {
		return nil, err
	}
	for _, m := range s.Modules {
		if !slices.ContainsFunc(s.builtinPkgs, func(r ast.Ref) bool { return r.Equal(m.Package.Path) }) {
			s.builtinPkgs = append(s.builtinPkgs, m.Package.Path)
		}
	}
	s.sort()
	return s, nil
}

// HasCustom reports whether the set holds modules read from users' directories.
func (s *Set) HasCustom() bool { return len(s.custom) > 0 }

// ParseModule parses Rego source with annotations, as v1 Rego.
func ParseModule(file, src string) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(file, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
}

// parseBuiltin parses a built-in module as v1 Rego, without its annotations: the catalogue
// has them from catalogue_gen.go.
func parseBuiltin(file, src string) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(file, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
}

// add adds one module of a user's; a module whose package is a rule adds that rule to the
// catalogue, as its METADATA annotations describe it.
func (s *Set) add(file string, mod *ast.Module, custom bool, doc func(id string) string) error {
	return s.addModule(file, mod, custom, doc, ruleFromAnnotations)
}

// addModule adds one module; a module whose package is a rule adds that rule to the catalogue,
// as meta describes it.
func (s *Set) addModule(file string, mod *ast.Module, custom bool, doc func(id string) string, meta func(file, pkg string, mod *ast.Module) (*Rule, error)) error {
	s.Modules[file] = mod
	if custom {
		s.custom[file] = true
	}
	if !isRulePackage(mod.Package.Path) {
		return nil
	}
	pkg := strings.TrimPrefix(mod.Package.Path.String(), "data.")
	r, err := meta(file, pkg, mod)
	if err != nil {
		return err
	}
	if prev, ok := s.byID[r.ID]; ok {
		return fmt.Errorf("%s: rule id %q is already defined by %s", file, r.ID, prev.File)
	}
	if prev, ok := s.byPkg[pkg]; ok {
		return fmt.Errorf("%s: package %s is already defined by %s", file, pkg, prev.File)
	}
	if custom && r.Fixable {
		return fmt.Errorf("%s: custom.fixable: only built-in rules have fixes", file)
	}
	r.Custom = custom
	r.Doc = doc(r.ID)
	if !custom {
		r.DocsURL = DocsBase + r.ID + "/README.md"
	} else if len(r.Related) > 0 {
		r.DocsURL = r.Related[0]
	}
	s.Rules = append(s.Rules, r)
	s.byID[r.ID] = r
	s.byPkg[pkg] = r
	return nil
}

func (s *Set) sort() {
	sort.Slice(s.Rules, func(i, j int) bool { return s.Rules[i].ID < s.Rules[j].ID })
}

// Get returns the rule with id.
func (s *Set) Get(id string) (*Rule, bool) {
	r, ok := s.byID[id]
	return r, ok
}

// ByPackage returns the rule whose package is data.ssmpolicy.rules[name]: name is what the
// engine's query binds for each rule package.
func (s *Set) ByPackage(name string) (*Rule, bool) {
	r, ok := s.byPkg[RulePackage(name)]
	return r, ok
}

// isRulePackage says whether a package path is a rule: under data.ssmpolicy.rules, and not a
// test package (whose last name ends in _test).
func isRulePackage(path ast.Ref) bool {
	if len(path) <= len(rulesRoot) || !path.HasPrefix(rulesRoot) {
		return false
	}
	last, ok := path[len(path)-1].Value.(ast.String)
	return !ok || !strings.HasSuffix(string(last), "_test")
}

// IDs lists every rule id, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, len(s.Rules))
	for i, r := range s.Rules {
		ids[i] = r.ID
	}
	return ids
}

// HasLevel reports whether l is one of the levels the rule's findings take.
func (r *Rule) HasLevel(l finding.Level) bool { return slices.Contains(r.Levels, l) }

// LevelText writes the rule's levels for a catalogue: "warning", or "warning / suggestion"
// for a rule whose findings take two.
func (r *Rule) LevelText() string {
	if len(r.Levels) == 0 {
		return r.Level.String()
	}
	names := make([]string, len(r.Levels))
	for i, l := range r.Levels {
		names[i] = l.String()
	}
	return strings.Join(names, " / ")
}

// FormatError writes Rego parse and compile errors as file:line:column: message, one per
// line, the way every other error of the tool names its place.
func FormatError(err error) error {
	errs, ok := err.(ast.Errors)
	if !ok {
		return err
	}
	lines := make([]string, 0, len(errs))
	for _, e := range errs {
		msg := e.Message
		if e.Location != nil {
			msg = fmt.Sprintf("%s:%d:%d: %s", e.Location.File, e.Location.Row, e.Location.Col, e.Message)
		}
		lines = append(lines, msg)
	}
	return errors.New(strings.Join(lines, "\n"))
}
