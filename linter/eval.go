package linter

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/ssmpolicy/ssmpolicy/builtins"
	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// How the rules are evaluated. One query per target asks the rule packages that can report
// on it for their findings: the enabled ones (a rule turned off is not evaluated), and of
// those the ones whose statement keys (custom.needs) the policy has. The query names the
// packages, in the form `some pkg in ["a", "b"]; data.ssmpolicy.rules[pkg].report[f]`, so
// that the helpers they share are computed once per target; it is prepared once per set of
// packages and kept. Before each package the query calls evaluatingName, so that a rule
// stopped for time or memory can be named.

// compileRules compiles the modules of set with the sandbox's capabilities. The stages of the
// compiler that only check, and report errors in, what the rules say (types, conflicts,
// recursion, undefined and void calls, unsafe heads) are run on the built-in rules by their
// tests, which compile them with every stage; a run skips them unless users' modules are
// among the rules. The stages that rewrite the rules or index them run always.
func compileRules(set *rules.Set) (*ast.Compiler, []func(*rego.Rego), error) {
	compiler := ast.NewCompiler().WithCapabilities(rules.Capabilities(ruleDeclarations())).WithEnablePrintStatements(false)
	if !set.HasCustom() {
		compiler = compiler.WithSkipStages(builtinSkippedStages()...)
	}
	compiler.Compile(set.Modules)
	if compiler.Failed() {
		return nil, nil, rules.FormatError(rules.SandboxError(compiler.Errors))
	}
	funcs := append(builtins.Functions(), rego.Function2(evaluatingDecl(), evaluating))
	return compiler, funcs, nil
}

// builtinSkippedStages are the compiler stages a run of the built-in rules alone skips: each
// only reports errors, none changes the compiled rules, and the rule tests run them all.
func builtinSkippedStages() []ast.StageID {
	return []ast.StageID{
		ast.StageCheckKeywordOverrides, ast.StageCheckVoidCalls, ast.StageCheckRuleConflicts,
		ast.StageCheckUndefinedFuncs, ast.StageCheckSafetyRuleHeads, ast.StageCheckRecursion,
		ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins, ast.StageCheckDeprecatedBuiltins,
		ast.StageBuildRequiredCapabilities,
	}
}

// ruleDeclarations are the tool's built-ins the rules are compiled with, and the one the
// engine's query calls.
func ruleDeclarations() map[string]*ast.Builtin {
	decls := builtins.Declarations()
	marker := evaluatingDecl()
	decls[marker.Name] = &ast.Builtin{Name: marker.Name, Description: marker.Description, Decl: marker.Decl}
	return decls
}

// rulePackage is a rule evaluated in Rego, by the name the query binds for its package.
type rulePackage struct {
	name  string
	rule  *rules.Rule
	needs uint8 // statement keys, as bits of keyBit; 0: runs on every policy
}

// regoPackages lists the rules of set that Rego evaluates.
func regoPackages(set *rules.Set) ([]rulePackage, error) {
	var out []rulePackage
	for _, r := range set.Rules {
		if r.Engine != "rego" {
			continue
		}
		mod, ok := set.Modules[r.File]
		if !ok {
			return nil, fmt.Errorf("rule %s: no module %s", r.ID, r.File)
		}
		ref := mod.Package.Path
		name, ok := ref[len(ref)-1].Value.(ast.String)
		if !ok || len(ref) != 4 {
			return nil, fmt.Errorf("%s: rule %s: package %s is not of the form ssmpolicy.rules.NAME", r.File, r.ID, r.Package)
		}
		p := rulePackage{name: string(name), rule: r}
		for _, k := range r.Needs {
			p.needs |= keyBit(k)
		}
		out = append(out, p)
	}
	return out, nil
}

// keyBit is the bit of a statement key in a mask of keys.
func keyBit(key string) uint8 {
	for i, k := range rules.StatementKeys() {
		if k == key {
			return 1 << i
		}
	}
	return 0
}

// allKeys is the mask of every statement key.
func allKeys() uint8 { return 1<<len(rules.StatementKeys()) - 1 }

// keysPresent is the mask of statement keys that some statement of policy has. A key known
// only at deploy time could be any of them.
func keysPresent(policy *jsonpos.Node) uint8 {
	stmt := policy.Get("Statement")
	if stmt == nil {
		return 0
	}
	var mask uint8
	add := func(st *jsonpos.Node) {
		if st.Kind != jsonpos.Object {
			return
		}
		for _, m := range st.Members {
			if strings.Contains(m.Key, input.Unknown) {
				mask = allKeys()
				return
			}
			mask |= keyBit(m.Key)
		}
	}
	switch stmt.Kind {
	case jsonpos.Object:
		add(stmt)
	case jsonpos.Array:
		for _, st := range stmt.Items {
			add(st)
		}
	}
	return mask
}

// queries holds the prepared queries of one engine configuration, by the mask of statement
// keys present. It is safe for concurrent use.
type queries struct {
	key      string
	compiler *ast.Compiler
	funcs    []func(*rego.Rego)
	enabled  []rulePackage

	mu     sync.Mutex
	byMask map[uint8]*preparedQuery
	byList map[string]*preparedQuery
}

type preparedQuery struct {
	pq    rego.PreparedEvalQuery
	empty bool // no package to evaluate
}

func newQueries(key string, compiler *ast.Compiler, funcs []func(*rego.Rego), packages []rulePackage, levels interface{ Level(string) finding.Level }) *queries {
	q := &queries{key: key, compiler: compiler, funcs: funcs, byMask: map[uint8]*preparedQuery{}, byList: map[string]*preparedQuery{}}
	for _, p := range packages {
		if levels.Level(p.rule.ID) != finding.Ignore {
			q.enabled = append(q.enabled, p)
		}
	}
	return q
}

// forMask returns the query over the enabled packages that can report on a policy whose
// statements have the keys of mask.
func (q *queries) forMask(ctx context.Context, mask uint8) (*preparedQuery, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.byMask[mask]; ok {
		return p, nil
	}
	var names []string
	for _, p := range q.enabled {
		if p.needs == 0 || p.needs&mask != 0 {
			quoted, _ := json.Marshal(p.name) // a JSON string is a Rego string
			names = append(names, string(quoted))
		}
	}
	list := strings.Join(names, ", ")
	p, ok := q.byList[list]
	if !ok {
		p = &preparedQuery{empty: len(names) == 0}
		if !p.empty {
			text := "some pkg in [" + list + "]; " + evaluatingName + "(pkg, " + strconv.Quote(q.key) + "); data.ssmpolicy.rules[pkg].report[f]"
			opts := append([]func(*rego.Rego){rego.Query(text), rego.Compiler(q.compiler)}, q.funcs...)
			pq, err := rego.New(opts...).PrepareForEval(ctx)
			if err != nil {
				return nil, fmt.Errorf("prepare rules: %w", err)
			}
			p.pq = pq
		}
		q.byList[list] = p
	}
	q.byMask[mask] = p
	return p, nil
}

// evaluate runs the rules that can report on t and returns what they report, each finding
// with its rule. A rule that runs past the time limit or makes the heap grow past the memory
// limit stops the evaluation, and the error names it.
func (e *Engine) evaluate(ctx context.Context, t *input.Target) ([]ruleFinding, error) {
	q, err := e.queries.forMask(ctx, keysPresent(t.Policy))
	if err != nil || q.empty {
		return nil, err
	}
	in := e.inputFor(t)
	state := &evalState{key: e.key}
	evalCtx, cancel := context.WithTimeout(context.WithValue(ctx, evalStateKey{}, state), e.timeout)
	watch := watchHeap(e.memory, state, cancel)
	rs, err := q.pq.Eval(evalCtx, rego.EvalParsedInput(in))
	watch.stop()
	cancel()
	if err != nil {
		running := e.describe(state.current())
		switch {
		case state.overHeap.Load():
			return nil, fmt.Errorf("%s was stopped: the heap grew past %d MiB, the memory limit for the rules on one target", running, e.memory>>20)
		case ctx.Err() == nil && evalCtx.Err() != nil:
			return nil, fmt.Errorf("%s did not finish within %s, the time limit for the rules on one target%s", running, e.timeout, e.slowHint(state.current()))
		}
		return nil, fmt.Errorf("evaluate rules (%s): %w", running, err)
	}
	out := make([]ruleFinding, 0, len(rs))
	for _, r := range rs {
		pkg, _ := r.Bindings["pkg"].(string)
		rule, ok := e.byName[pkg]
		if !ok {
			continue
		}
		f, err := checkFinding(r.Bindings["f"])
		if err != nil {
			return nil, fmt.Errorf("%s: rule %s: %w", rule.File, rule.ID, err)
		}
		out = append(out, ruleFinding{rule: rule, f: f})
	}
	return out, nil
}

// ruleFinding is one finding as a rule reported it.
type ruleFinding struct {
	rule *rules.Rule
	f    map[string]any
}

// describe names the rule of a package for a message.
func (e *Engine) describe(pkg string) string {
	r, ok := e.byName[pkg]
	switch {
	case !ok:
		return "evaluating the rules"
	case r.Custom:
		return fmt.Sprintf("custom rule %s (%s)", r.ID, r.File)
	}
	return fmt.Sprintf("built-in rule %s", r.ID)
}

func (e *Engine) slowHint(pkg string) string {
	if r, ok := e.byName[pkg]; ok && r.Custom {
		return ": it may be doing far too much work"
	}
	return ": the policy may be too large to check in that time"
}

// checkFinding checks the shape of what a rule reported: an object whose path is a list of
// keys and indexes and whose message is a string, with help and at strings when given.
func checkFinding(v any) (map[string]any, error) {
	f, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a finding must be an object with path and message, not %s", kindOf(v))
	}
	path, ok := f["path"].([]any)
	if !ok {
		return nil, fmt.Errorf("a finding's path must be a list, not %s", kindOf(f["path"]))
	}
	for _, step := range path {
		switch s := step.(type) {
		case string:
			continue
		case json.Number:
			if i, err := s.Int64(); err == nil && i >= 0 {
				continue
			}
		}
		return nil, fmt.Errorf("a finding's path must hold keys (strings) and indexes (whole numbers), not %s", kindOf(step))
	}
	if _, ok := f["message"].(string); !ok {
		return nil, fmt.Errorf("a finding's message must be a string, not %s", kindOf(f["message"]))
	}
	for _, key := range []string{"help", "at", "level"} {
		if x, given := f[key]; given {
			if _, ok := x.(string); !ok {
				return nil, fmt.Errorf("a finding's %s must be a string, not %s", key, kindOf(x))
			}
		}
	}
	if x, given := f["key"]; given {
		if _, ok := x.(bool); !ok {
			return nil, fmt.Errorf("a finding's key must be true or false, not %s", kindOf(x))
		}
	}
	return f, nil
}

// kindOf names the JSON kind of a value a rule gave.
func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null or nothing"
	case string:
		return "a string"
	case json.Number:
		return "the number " + string(x)
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
