// Package linter runs the checks: it reads inputs into targets, validates each policy against
// the grammar, evaluates the Rego rules with one prepared query and places every finding at its
// line and column, then passes the findings through the findings pipeline (package pipeline:
// levels, suppressions, order) into the report.
package linter

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
)

// Config is what a run is told: rule levels and the facts rules compare against.
type Config struct {
	// Levels overrides the default level of a rule; finding.Ignore turns it off.
	Levels map[string]finding.Level
	// AccountsAllowed is the allow-list for principal-account-not-allowed; nil when not set.
	AccountsAllowed []string
	// Timeout bounds the evaluation of the rules on one target, so that a custom rule that
	// runs away cannot hang a hook or a pipeline. Zero means DefaultTimeout.
	Timeout time.Duration
	// MemoryLimit is the heap size, in bytes, past which the evaluation of the rules on one
	// target is stopped, so that a rule cannot exhaust the machine. Zero means
	// DefaultMemoryLimit.
	MemoryLimit uint64
	// Promote says that the run is an apply that promotes RAM shares (apply --promote): the
	// rules see it as input.options.promote.
	Promote bool
}

// DefaultTimeout is the time limit for evaluating the rules on one target. Built-in rules take
// well under a millisecond.
const DefaultTimeout = 5 * time.Second

// Engine checks targets. It is safe for concurrent use.
type Engine struct {
	set      *rules.Set
	levels   *pipeline.Levels
	policy   *schema.Schema
	compiler *ast.Compiler
	funcs    []func(*rego.Rego)
	packages []rulePackage
	byName   map[string]*rules.Rule
	queries  *queries
	key      string
	config   ast.Value
	options  ast.Value
	timeout  time.Duration
	memory   uint64
}

// New compiles the rules of set once and prepares the query of the enabled rules.
func New(ctx context.Context, set *rules.Set, cfg Config) (*Engine, error) {
	e := &Engine{set: set}
	var err error
	if e.policy, err = schema.Load("policy"); err != nil {
		return nil, err
	}
	// The rules' facts come from the built-ins of package builtins, declared to this compiler
	// and given to its queries only.
	if e.compiler, e.funcs, err = compileRules(set); err != nil {
		return nil, err
	}
	if e.packages, err = regoPackages(set); err != nil {
		return nil, err
	}
	if e.key, err = newKey(); err != nil {
		return nil, err
	}
	e.byName = make(map[string]*rules.Rule, len(e.packages))
	for _, p := range e.packages {
		e.byName[p.name] = p.rule
	}
	if err := e.configure(cfg); err != nil {
		return nil, err
	}
	// Prepare the query of a policy with every statement key now, so that a query that does
	// not compile fails here rather than on the first target.
	if _, err := e.queries.forMask(ctx, allKeys()); err != nil {
		return nil, err
	}
	return e, nil
}

// WithConfig returns an engine that runs the same compiled rules with other levels and facts
// (another project's configuration), without compiling the rules again.
func (e *Engine) WithConfig(cfg Config) (*Engine, error) {
	c := *e
	if err := c.configure(cfg); err != nil {
		return nil, err
	}
	return &c, nil
}

// configure sets what a configuration decides: levels (and so which rules are evaluated),
// limits and the facts the rules compare against.
func (e *Engine) configure(cfg Config) error {
	e.timeout = cfg.Timeout
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	e.memory = cfg.MemoryLimit
	if e.memory == 0 {
		e.memory = DefaultMemoryLimit
	}
	var err error
	if e.levels, err = pipeline.NewLevels(e.set, cfg.Levels); err != nil {
		return err
	}
	e.queries = newQueries(e.key, e.compiler, e.funcs, e.packages, e.levels)
	e.config = configValue(cfg.AccountsAllowed)
	e.options = optionsValue(cfg.Promote)
	return nil
}

// optionsValue is input.options of the rules: how the run uses its findings.
func optionsValue(promote bool) ast.Value {
	return ast.NewObject(ast.Item(ast.StringTerm("promote"), ast.BooleanTerm(promote)))
}

// configValue is input.config of the rules: the configuration's allow-list, when it sets one.
func configValue(accountsAllowed []string) ast.Value {
	obj := ast.NewObject()
	if accountsAllowed != nil {
		terms := make([]*ast.Term, len(accountsAllowed))
		for i, a := range accountsAllowed {
			terms[i] = ast.StringTerm(a)
		}
		obj.Insert(ast.StringTerm("accounts_allowed"), ast.ArrayTerm(terms...))
	}
	return obj
}

// Rules returns the catalogue the engine runs.
func (e *Engine) Rules() *rules.Set { return e.set }

// Check runs every check on one target and returns its findings as the checks make them: not
// levelled yet, and with no suppression applied (the findings pipeline does both). The schema
// is not checked when its rule is turned off.
func (e *Engine) Check(ctx context.Context, t *input.Target) ([]finding.Finding, error) {
	var out []finding.Finding
	for _, p := range t.Problems {
		out = e.add(out, t, p.Rule, p.Message, p.Loc, "")
		out[len(out)-1].Help = p.Help
	}
	if t.Policy != nil && e.levels.Level(rules.Schema) != finding.Ignore && !schema.QuickValidPolicy(t.Policy) {
		for _, v := range e.policy.Validate(t.Policy) {
			if unknownAt(t.Policy, v.Path) {
				continue // a value known only at deploy time may be anything: no guess
			}
			loc := input.Location{File: t.PolicyFile, Span: t.Policy.SpanAt(v.Path, v.OnKey), Path: v.Path}
			out = e.add(out, t, rules.Schema, v.Message, loc, jsonpos.Pointer(v.Path))
		}
	}
	// The target's own checks (its ARN, tier, type and key) run whatever its policy is: a
	// policy that does not parse, is missing or is not an object (the schema finding says what
	// it should be) reaches the rules as no policy at all, and only those checks report.
	withPolicy := t.Policy != nil && t.Policy.Kind == jsonpos.Object
	if !withPolicy && !hasFacts(t) {
		return out, nil
	}
	reported, err := e.evaluate(ctx, t)
	if err != nil {
		return out, err
	}
	for _, r := range reported {
		rule, f := r.rule, r.f
		own, err := ownLevel(rule, f)
		if err != nil {
			return out, err
		}
		loc, pointer, note := e.place(t, f)
		msg, _ := f["message"].(string)
		out = e.add(out, t, rule.ID, msg, loc, pointer)
		last := &out[len(out)-1]
		last.Help, _ = f["help"].(string)
		last.Level = own
		if note != "" {
			// The fact was not written where the finding points: say where it came from, and
			// show no excerpt of a place that does not hold it.
			last.Note = note
			if !factWritten(t, f) {
				last.Source = finding.Excerpt{}
			}
		}
	}
	if !withPolicy {
		return out, nil // which checks did not run matters once the policy can be checked
	}
	if cm, help := e.contextMissing(t); cm != "" {
		out = e.add(out, t, rules.ContextMissing, cm, t.Origin, jsonpos.Pointer(t.Origin.Path))
		out[len(out)-1].Help = help
	}
	return out, nil
}

// hasFacts reports whether anything is known of the target beyond its policy: then its own
// checks have something to check.
func hasFacts(t *input.Target) bool {
	return t.ARN.Known || t.Tier.Known || len(t.TierBranches) > 0 || t.Type.Known || t.KeyID.Known || t.KeyManager.Known
}

// ownLevel is the level a finding of rule marks itself with (its `level`, one of the rule's
// custom.levels), or finding.Ignore when it marks none: the findings pipeline then gives it
// the rule's level.
func ownLevel(rule *rules.Rule, f map[string]any) (finding.Level, error) {
	name, ok := f["level"].(string)
	if !ok {
		return finding.Ignore, nil
	}
	l, err := finding.ParseLevel(name, false)
	if err != nil || !rule.HasLevel(l) {
		return 0, fmt.Errorf("rule %s: a finding's level must be one of the rule's levels (%s), got %q", rule.ID, rule.LevelText(), name)
	}
	return l, nil
}

// place turns a rule's {path, at} into a location in a file and a JSON pointer, and, for a
// finding about a fact of the target that no file gave (a flag, or --live), a note saying
// where the fact came from.
func (e *Engine) place(t *input.Target, f map[string]any) (input.Location, string, string) {
	var path []any
	if raw, ok := f["path"].([]any); ok {
		for _, step := range raw {
			if s, ok := step.(string); ok {
				path = append(path, s)
			} else if i, ok := intOf(step); ok {
				path = append(path, i)
			}
		}
	}
	if fa, name, ok := factOf(t, f); ok {
		note := ""
		if fa.From != "" {
			note = name + " from " + fa.From
		}
		if fa.Loc.Known() {
			return fa.Loc, jsonpos.Pointer(fa.Loc.Path), note
		}
		return t.Origin, jsonpos.Pointer(t.Origin.Path), note
	}
	switch at, _ := f["at"].(string); at {
	case "document":
		return t.PolicyLoc, jsonpos.Pointer(t.PolicyLoc.Path), ""
	case "origin":
		return t.Origin, jsonpos.Pointer(t.Origin.Path), ""
	}
	// A finding about a key (an operator, a condition key, an element that should not be
	// there) says so with key: true, and points at the key rather than at its value.
	onKey, _ := f["key"].(bool)
	span := t.Policy.SpanAt(path, onKey)
	if len(path) == 0 {
		// A finding on the policy as a whole says something is missing from it: mark where
		// the policy opens rather than underlining all of it. ("document" marks it all.)
		span.End = min(span.End, span.Start+1)
	}
	return input.Location{File: t.PolicyFile, Span: span, Path: path}, jsonpos.Pointer(path), ""
}

// intOf reads a number of a rule's finding (OPA gives json.Number) as an int.
func intOf(v any) (int, bool) {
	n, ok := v.(interface{ Int64() (int64, error) })
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil
}

// factOf is the fact a finding's `at` names, and what the fact is called. "tier_branch" is
// the branch of the tier's Fn::If that the finding's `branch` (its index) names.
func factOf(t *input.Target, f map[string]any) (input.Fact, string, bool) {
	switch at, _ := f["at"].(string); at {
	case "tier_branch":
		if i, ok := intOf(f["branch"]); ok && i >= 0 && i < len(t.TierBranches) {
			return t.TierBranches[i].Fact, "tier", true
		}
		return t.Tier, "tier", true
	case "arn":
		return t.ARN, "resource ARN", true
	case "tier":
		return t.Tier, "tier", true
	case "type":
		return t.Type, "type", true
	case "key":
		return t.KeyID, "KMS key", true
	}
	return input.Fact{}, "", false
}

// factWritten reports whether the fact a finding is about is written in a file: its place
// then holds the fact, whatever gave the value.
func factWritten(t *input.Target, f map[string]any) bool {
	fa, _, ok := factOf(t, f)
	return ok && fa.Loc.Known()
}

// add places a finding of rule on t at loc: its file, line and column, the resource and the
// statement it is about.
func (*Engine) add(out []finding.Finding, t *input.Target, rule, msg string, loc input.Location, pointer string) []finding.Finding {
	f := finding.Finding{Rule: rule, Message: msg, Pointer: pointer}
	if t.ARN.Known {
		f.Resource = strings.ReplaceAll(t.ARN.Value, input.Unknown, "<unknown>")
	}
	if loc.File != nil {
		f.File = loc.File.Name
		f.Start, f.End = loc.File.Pos(loc.Span.Start), loc.File.Pos(loc.Span.End)
		f.Source = finding.ExcerptOf(loc.File, f.Start, f.End)
		if rule == rules.InvalidJSON {
			// The file is not what it should be (a secret, a binary): show only the start of
			// the excerpt, never all of it.
			if short := shortPrefix(f.Source.Text, maxInvalidExcerpt); short != f.Source.Text || f.Source.Tail != "" {
				f.Source.Text, f.Source.Tail, f.Source.More = short, "", true
			}
		}
	}
	if loc.File == t.PolicyFile && t.Policy != nil {
		f.Sid = sidAt(t.Policy, loc.Path)
	}
	return append(out, f)
}

// maxInvalidExcerpt is how many bytes of a line that does not parse a finding shows.
const maxInvalidExcerpt = 80

// shortPrefix cuts s to at most n bytes, at a character boundary.
func shortPrefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// unknownAt reports whether the element at path holds a part known only at deploy time.
func unknownAt(root *jsonpos.Node, path []any) bool {
	n, depth := root.Resolve(path)
	if depth != len(path) {
		return false
	}
	found := false
	jsonpos.Walk(n, func(_ []any, x *jsonpos.Node) {
		if x.Kind == jsonpos.String && strings.Contains(x.Text, input.Unknown) {
			found = true
		}
	})
	return found
}

// sidAt is the Sid of the statement a path is in.
func sidAt(policy *jsonpos.Node, path []any) string {
	if len(path) == 0 || path[0] != "Statement" {
		return ""
	}
	stmt := policy.Get("Statement")
	if stmt != nil && stmt.Kind == jsonpos.Array {
		i, ok := 0, false
		if len(path) > 1 {
			i, ok = path[1].(int)
		}
		if !ok || i >= len(stmt.Items) {
			return ""
		}
		stmt = stmt.Items[i]
	}
	if sid := stmt.Get("Sid"); sid != nil && sid.Kind == jsonpos.String {
		return sid.Text
	}
	return ""
}

// contextMissing names the checks that could not run for lack of a fact, or "", and says how
// to give the facts.
func (e *Engine) contextMissing(t *input.Target) (string, string) {
	kind := ""
	if t.ARN.Known {
		kind = ssmarn.ResourceType(t.ARN.Value)
	}
	parameterOrUnknown := kind == ssmarn.Parameter || !t.ARN.Known
	missing := map[string]bool{}
	var skipped []string
	for _, r := range e.set.Rules {
		if e.levels.Level(r.ID) == finding.Ignore || len(r.Requires) == 0 {
			continue
		}
		if kind != "" && len(r.Kinds) > 0 && !slices.Contains(r.Kinds, kind) {
			continue
		}
		var lacks []string
		for _, need := range r.Requires {
			switch {
			case need == "arn" && !t.ARN.Known:
				lacks = append(lacks, "resource ARN")
			case need == "tier" && parameterOrUnknown && !t.Tier.Known && len(t.TierBranches) == 0:
				lacks = append(lacks, "tier")
			case need == "type" && parameterOrUnknown && !t.Type.Known:
				lacks = append(lacks, "type")
			case need == "key" && parameterOrUnknown && t.Type.Known && t.Type.Value == "SecureString" && !t.KeyID.Known:
				lacks = append(lacks, "KMS key")
			}
		}
		if len(lacks) > 0 {
			skipped = append(skipped, r.ID)
			for _, l := range lacks {
				missing[l] = true
			}
		}
	}
	if len(skipped) == 0 {
		return "", ""
	}
	var facts []string
	for _, l := range []string{"resource ARN", "tier", "type", "KMS key"} {
		if missing[l] {
			facts = append(facts, l)
		}
	}
	return fmt.Sprintf("no input gave the %s, so %s did not run", joinWords(facts), joinWords(skipped)), factsHelp(facts)
}

// factsHelp says how to give the facts that are missing: a manifest entry or flags, and --live
// for those AWS can tell once the ARN is known.
func factsHelp(facts []string) string {
	var flags, live []string
	for _, f := range facts {
		flags = append(flags, factFlag(f))
		if f != "resource ARN" {
			live = append(live, f)
		}
	}
	them := "them"
	if len(facts) == 1 {
		them = "it"
	}
	help := fmt.Sprintf("give %s in a manifest entry for this policy or with %s", them, joinWords(flags))
	switch {
	case len(live) == len(facts):
		help += fmt.Sprintf(", or read %s from AWS with --live", them)
	case len(live) > 0:
		help += fmt.Sprintf("; with the ARN, --live reads the %s from AWS", joinWords(live))
	}
	return help
}

// factFlag is the flag that gives a fact.
func factFlag(fact string) string {
	switch fact {
	case "resource ARN":
		return "--resource-arn"
	case "KMS key":
		return "--key-id"
	}
	return "--" + fact
}

func joinWords(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
