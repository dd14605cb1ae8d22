// Package linter runs the checks: it reads inputs into targets, validates each policy against
// the grammar, evaluates the Rego rules with one prepared query and places every finding at its
// line and column, then passes the findings through the findings pipeline (package pipeline:
// levels, suppressions, order) into the report.
package linter

import (
	"context"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/schema"
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
