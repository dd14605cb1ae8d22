package input

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Terraform plans as `terraform show -json plan.out` writes them (and state as `terraform show
// -json` writes it): every awscc_ssm_resource_policy and aws_ssm_resource_policy is a target.
// Its policy is a JSON string in the plan, so findings point inside that string. The
// aws_ssm_parameter it is for gives the tier, type and key: found by ARN when the ARN is known,
// else through the references of the configuration (modules, count and for_each included).

const tfParameterType = "aws_ssm_parameter"

const (
	// tfFollowDepth bounds how far references are followed through module variables and
	// outputs.
	tfFollowDepth = 16
	// tfFollowBudget bounds the references followed for a whole plan. Each expression is
	// followed once (see tfPlan.follow), so a plan needs about as many steps as its
	// configuration lists references; a real one has thousands at most.
	tfFollowBudget = 1 << 20
)

// tfInstance is one resource instance of a plan (a resource_changes entry) or of a state.
type tfInstance struct {
	module  string // canonical module instance address; "" for the root module
	mode    string // managed or data
	typ     string
	name    string
	key     string // canonical instance key: [0], ["a"], or "" without count or for_each
	after   *jsonpos.Node
	unknown *jsonpos.Node
	path    []any // path of after in the file
	upath   []any // path of after_unknown in the file
	origin  Location
}

// address is the instance's canonical address.
func (i *tfInstance) address() string {
	res := i.typ + "." + i.name + i.key
	if i.mode == "data" {
		res = "data." + res
	}
	return joinAddr(i.module, res)
}

// attr returns the planned value of an attribute, or the after_unknown entry that says it is
// known only after apply.
func (i *tfInstance) attr(name string) (value, unknown *jsonpos.Node) {
	if v := i.after.Get(name); v != nil && v.Kind != jsonpos.Null {
		value = v
	}
	if u := i.unknown.Get(name); u != nil && u.Kind == jsonpos.Bool && u.Bool {
		unknown = u
	}
	return value, unknown
}

type tfPlan struct {
	ctx    context.Context
	f      *jsonpos.File
	config *jsonpos.Node // configuration.root_module
	list   []*tfInstance
	byAddr map[string]*tfInstance
	// byARN indexes the parameters by planned ARN, once the first policy asks.
	byARN map[string]*tfInstance
	// cfgRes indexes each module configuration's resources by mode, type and name.
	cfgRes map[*jsonpos.Node]map[string]*jsonpos.Node
	// followed holds each expression's result once it has been followed (nil while it is
	// being followed: a reference cycle ends there); steps counts references against
	// tfFollowBudget; err is why following stopped, when the read's context ended it.
	followed map[tfFollowKey]*tfInstance
	steps    int
	err      error
}

// tfFollowKey is one expression followed in one module instance for one instance key.
type tfFollowKey struct {
	mod     string
	refs    *jsonpos.Node
	selfKey string
}

func (r *Reader) readTerraform(ctx context.Context, f *jsonpos.File, parsed *jsonpos.Parsed) (Result, error) {
	targets, err := newTFPlan(ctx, f, parsed.Root).targets()
	if err != nil {
		return Result{}, err
	}
	return Result{Kind: Terraform, Targets: targets}, nil
}

// newTFPlan reads the resource instances of a plan or a state.
func newTFPlan(ctx context.Context, f *jsonpos.File, root *jsonpos.Node) *tfPlan {
	p := &tfPlan{ctx: ctx, f: f, config: root.Get("configuration").Get("root_module"), byAddr: map[string]*tfInstance{},
		cfgRes: map[*jsonpos.Node]map[string]*jsonpos.Node{}, followed: map[tfFollowKey]*tfInstance{}}
	if rc := root.Get("resource_changes"); rc != nil && rc.Kind == jsonpos.Array {
		p.changes(rc)
	} else if mod := root.Get("values").Get("root_module"); mod != nil {
		p.state(mod, []any{"values", "root_module"}, 0)
	}
	return p
}

// targets reads every resource policy of the plan.
func (p *tfPlan) targets() ([]*Target, error) {
	var out []*Target
	for _, inst := range p.list {
		if inst.mode == "managed" && isPolicyType(inst.typ) {
			out = append(out, p.target(inst))
		}
		if p.err != nil {
			return nil, p.err
		}
	}
	return out, nil
}

// isPolicyType tells the resource types whose policy is checked: the Cloud Control provider's,
// and the name the hashicorp/aws provider would give its own.
func isPolicyType(typ string) bool {
	return typ == "awscc_ssm_resource_policy" || typ == "aws_ssm_resource_policy"
}

func (p *tfPlan) add(inst *tfInstance) {
	p.list = append(p.list, inst)
	p.byAddr[inst.address()] = inst
}

// changes reads resource_changes. A resource being destroyed is not checked; one replaced,
// updated, created or left alone is, with its planned values.
func (p *tfPlan) changes(rc *jsonpos.Node) {
	for i, c := range rc.Items {
		change := c.Get("change")
		after := change.Get("after")
		if after == nil || after.Kind != jsonpos.Object || onlyDelete(change.Get("actions")) {
			continue
		}
		base := []any{"resource_changes", i, "change"}
		inst := &tfInstance{
			module:  canonAddr(text(c.Get("module_address"))),
			mode:    text(c.Get("mode")),
			typ:     text(c.Get("type")),
			name:    text(c.Get("name")),
			key:     indexKey(c.Get("index")),
			after:   after,
			unknown: change.Get("after_unknown"),
			path:    append(base[:3:3], "after"),
			upath:   append(base[:3:3], "after_unknown"),
			origin:  p.origin(c, []any{"resource_changes", i}),
		}
		if inst.mode == "" {
			inst.mode = "managed"
		}
		p.add(inst)
	}
}

// state reads the resources of a state's module and its child modules.
func (p *tfPlan) state(mod *jsonpos.Node, path []any, depth int) {
	if mod == nil || depth > tfFollowDepth {
		return
	}
	module := canonAddr(text(mod.Get("address")))
	if list := mod.Get("resources"); list != nil {
		for i, res := range list.Items {
			rpath := append(path[:len(path):len(path)], "resources", i)
			inst := &tfInstance{
				module: module,
				mode:   text(res.Get("mode")),
				typ:    text(res.Get("type")),
				name:   text(res.Get("name")),
				key:    indexKey(res.Get("index")),
				after:  res.Get("values"),
				path:   append(rpath[:len(rpath):len(rpath)], "values"),
				origin: p.origin(res, rpath),
			}
			if inst.after == nil || inst.after.Kind != jsonpos.Object {
				continue
			}
			if inst.mode == "" {
				inst.mode = "managed"
			}
			p.add(inst)
		}
	}
	if children := mod.Get("child_modules"); children != nil {
		for i, child := range children.Items {
			p.state(child, append(path[:len(path):len(path)], "child_modules", i), depth+1)
		}
	}
}

// origin is where a resource instance is declared in the file: its address.
func (p *tfPlan) origin(n *jsonpos.Node, path []any) Location {
	if m, ok := n.Member("address"); ok {
		return Location{File: p.f, Span: m.Value.Span, Path: append(path[:len(path):len(path)], "address")}
	}
	return Location{File: p.f, Span: n.Span, Path: path}
}

func onlyDelete(actions *jsonpos.Node) bool {
	if actions == nil || actions.Kind != jsonpos.Array || len(actions.Items) == 0 {
		return false
	}
	for _, a := range actions.Items {
		if a.Kind != jsonpos.String || (a.Text != "delete" && a.Text != "forget") {
			return false
		}
	}
	return true
}

func text(n *jsonpos.Node) string {
	if n == nil || n.Kind != jsonpos.String {
		return ""
	}
	return n.Text
}

// target reads one resource policy.
func (p *tfPlan) target(inst *tfInstance) *Target {
	f := p.f
	t := &Target{Origin: inst.origin, PolicyFile: f}
	at := func(n *jsonpos.Node, base []any, key string) Location {
		return Location{File: f, Span: n.Span, Path: append(base[:len(base):len(base)], key)}
	}

	var param *tfInstance
	arn, arnUnknown := inst.attr("resource_arn")
	switch {
	case arn != nil && arn.Kind == jsonpos.String:
		t.ARN = Fact{Value: arn.Text, Known: true, Loc: at(arn, inst.path, "resource_arn")}
		if param = p.linkByARN(arn.Text); param == nil {
			param = p.linkByConfig(inst)
		}
	case arnUnknown != nil:
		t.ARN = Fact{Loc: at(arnUnknown, inst.upath, "resource_arn")}
		// Known after apply, but its shape is fixed: a parameter's ARN ends in parameter/NAME,
		// with one slash whether or not the name starts with one.
		if param = p.linkByConfig(inst); param != nil {
			if name, _ := param.attr("name"); name != nil && name.Kind == jsonpos.String && name.Text != "" {
				t.ARN.Value = "arn:" + Unknown + ":ssm:" + Unknown + ":" + Unknown + ":parameter/" + strings.TrimPrefix(name.Text, "/")
				t.ARN.Known = true
			}
		}
	default:
		t.ARN = Fact{Loc: t.Origin}
	}
	if param != nil {
		p.parameterFacts(t, param)
	}

	pol, polUnknown := inst.attr("policy")
	switch {
	case pol != nil && pol.Kind == jsonpos.String:
		t.PolicyLoc = at(pol, inst.path, "policy")
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
	case pol != nil:
		// Not a string: a provider that takes the document as an object, or a broken plan;
		// the schema says what a policy must be.
		t.PolicyLoc = at(pol, inst.path, "policy")
		t.Policy = pol
	case polUnknown != nil:
		t.PolicyLoc = at(polUnknown, inst.upath, "policy")
		t.Problems = append(t.Problems, Problem{Rule: "context-missing", Loc: t.PolicyLoc,
			Message: "the policy is known only after apply (Terraform computes it from values it does not know yet, such as the ARN of a parameter it creates): none of its checks ran; check again on a plan made once those resources exist"})
	default:
		t.PolicyLoc = t.Origin
		t.Problems = append(t.Problems, Problem{Rule: "schema", Loc: t.Origin,
			Message: "the plan gives this resource no policy"})
	}
	return t
}

// parameterFacts takes the tier, type and key of the parameter a policy is for.
func (p *tfPlan) parameterFacts(t *Target, param *tfInstance) {
	f := p.f
	fact := func(key string) Fact {
		v, u := param.attr(key)
		switch {
		case v != nil && v.Kind == jsonpos.String:
			return Fact{Value: v.Text, Known: true, Loc: Location{File: f, Span: v.Span, Path: append(param.path[:len(param.path):len(param.path)], key)}}
		case u != nil:
			return Fact{Loc: Location{File: f, Span: u.Span, Path: append(param.upath[:len(param.upath):len(param.upath)], key)}}
		}
		return Fact{Loc: param.origin}
	}
	t.Type = fact("type")
	if param.mode != "managed" {
		return // the aws_ssm_parameter data source gives neither tier nor key
	}
	// A tier not set is left to the region's default parameter tier, an account setting the
	// plan does not show: unknown, never assumed Standard.
	t.Tier = fact("tier")
	t.KeyID = fact("key_id")
	if t.KeyID.Known {
		return
	}
	// No key_id means the default key, alias/aws/ssm: "" tells securestring-key that no key
	// was set. The provider marks key_id known after apply when the configuration sets none;
	// the default is still certain then. It stays unknown only when the configuration sets it
	// from a value Terraform does not know yet.
	_, u := param.attr("key_id")
	if u == nil || !p.configSets(param, "key_id") {
		t.KeyID = Fact{Value: "", Known: true, Loc: param.origin} // not written: at the parameter
	}
}

// configSets reports whether the configuration of an instance sets argument arg, or when the
// configuration is not in the file, assumes it does (so nothing is taken as a default).
func (p *tfPlan) configSets(inst *tfInstance, arg string) bool {
	res := p.cfgResource(p.cfgModule(inst.module), inst.mode, inst.typ, inst.name)
	if res == nil {
		return true
	}
	return res.Get("expressions").Get(arg) != nil
}

// linkByARN finds the parameter whose planned ARN is arn; a managed resource before a data
// source reading the same parameter.
func (p *tfPlan) linkByARN(arn string) *tfInstance {
	if p.byARN == nil {
		p.byARN = map[string]*tfInstance{}
		for _, inst := range p.list {
			if inst.typ != tfParameterType {
				continue
			}
			v, _ := inst.attr("arn")
			if v == nil || v.Kind != jsonpos.String {
				continue
			}
			if prev, ok := p.byARN[v.Text]; !ok || prev.mode != "managed" && inst.mode == "managed" {
				p.byARN[v.Text] = inst
			}
		}
	}
	return p.byARN[arn]
}

// linkByConfig follows the references of the policy's resource_arn expression to the
// parameter instance it names.
func (p *tfPlan) linkByConfig(inst *tfInstance) *tfInstance {
	mod := p.cfgModule(inst.module)
	res := p.cfgResource(mod, inst.mode, inst.typ, inst.name)
	refs := res.Get("expressions").Get("resource_arn").Get("references")
	return p.follow(inst.module, mod, refs, inst.key, 0)
}

// follow resolves the references of one expression in the module instance modAddr (whose
// configuration is mod) to one aws_ssm_parameter instance, or nil when they name none or
// several. selfKey is the instance key of the resource (or module call) the expression belongs
// to: a reference indexed by count.index or each.key names the instance with the same key.
//
// Terraform lists a reference at every precision, most precise first:
// ["aws_ssm_parameter.db[0].arn", "aws_ssm_parameter.db[0]", "aws_ssm_parameter.db"]; an index
// that is not a literal ends the list there and adds what it refers to ("count.index").
//
// Each expression is followed once per module instance and key: a configuration whose module
// variables and outputs refer to each other (Terraform refuses it, but a plan file can say
// anything) ends where it loops, and one that lists a reference many times costs no more than
// once. The references followed for a whole plan are bounded by tfFollowBudget.
func (p *tfPlan) follow(modAddr string, mod, refs *jsonpos.Node, selfKey string, depth int) *tfInstance {
	if refs == nil || refs.Kind != jsonpos.Array || depth > tfFollowDepth || p.err != nil {
		return nil
	}
	key := tfFollowKey{modAddr, refs, selfKey}
	if found, ok := p.followed[key]; ok {
		return found // nil while it is being followed: a cycle ends here
	}
	if p.steps += len(refs.Items) + 1; p.steps > tfFollowBudget {
		return nil
	}
	if err := p.ctx.Err(); err != nil {
		p.err = fmt.Errorf("stopped following the references of the configuration: %w", err)
		return nil
	}
	p.followed[key] = nil
	found := p.followRefs(modAddr, mod, refs, selfKey, depth)
	p.followed[key] = found
	return found
}

func (p *tfPlan) followRefs(modAddr string, mod, refs *jsonpos.Node, selfKey string, depth int) *tfInstance {
	selfIndexed := false
	keys := map[string]string{} // resource address in the module -> instance key ("?": several)
	var found *tfInstance
	ambiguous := false
	take := func(i *tfInstance) {
		if i == nil {
			return
		}
		if found != nil && found != i {
			ambiguous = true
		}
		found = i
	}
	for _, ref := range refs.Items {
		if ref.Kind != jsonpos.String {
			continue
		}
		steps := splitAddr(ref.Text)
		switch {
		case ref.Text == "count.index" || ref.Text == "each.key":
			selfIndexed = true
		case len(steps) >= 2 && steps[0] == "var":
			// An input variable of a module: follow the argument the module call passes.
			parent, callName, callKey := parentModule(modAddr)
			if callName == "" {
				continue // a root variable: given at plan time, not in the file
			}
			pmod := p.cfgModule(parent)
			arg := pmod.Get("module_calls").Get(callName).Get("expressions").Get(steps[1])
			take(p.follow(parent, pmod, arg.Get("references"), callKey, depth+1))
		case len(steps) >= 3 && steps[0] == "module":
			// An output of a child module.
			name, key := splitKey(steps[1])
			if key == "?" {
				continue
			}
			child := mod.Get("module_calls").Get(name).Get("module")
			out := child.Get("outputs").Get(steps[2]).Get("expression").Get("references")
			take(p.follow(joinAddr(modAddr, "module."+name+key), child, out, "", depth+1))
		case len(steps) >= 3 && steps[0] == "data" && steps[1] == tfParameterType:
			name, key := splitKey(steps[2])
			noteKey(keys, "data."+tfParameterType+"."+name, key)
		case len(steps) >= 2 && steps[0] == tfParameterType:
			name, key := splitKey(steps[1])
			noteKey(keys, tfParameterType+"."+name, key)
		}
	}
	// In a fixed order, so that reading a plan always takes the same path.
	for _, res := range slices.Sorted(maps.Keys(keys)) {
		key := keys[res]
		if key == "?" {
			ambiguous = true
			continue
		}
		if key == "" && selfIndexed {
			key = selfKey
		}
		take(p.byAddr[joinAddr(modAddr, res+key)])
	}
	if ambiguous {
		return nil
	}
	return found
}

// noteKey records the most precise instance key a reference gives a resource; two different
// keys (a conditional between instances) make it ambiguous.
func noteKey(keys map[string]string, res, key string) {
	prev, seen := keys[res]
	switch {
	case !seen || prev == "":
		keys[res] = key
	case key != "" && key != prev:
		keys[res] = "?"
	}
}

// cfgModule is the configuration of a module instance address (instance keys dropped: every
// instance of a module call shares one configuration).
func (p *tfPlan) cfgModule(modAddr string) *jsonpos.Node {
	mod := p.config
	steps := splitAddr(modAddr)
	for k := 0; k+1 < len(steps); k += 2 {
		if steps[k] != "module" {
			return nil
		}
		name, _ := splitKey(steps[k+1])
		mod = mod.Get("module_calls").Get(name).Get("module")
	}
	return mod
}

// cfgResource is the configuration of a resource in a module's configuration, the first
// written when several share its address.
func (p *tfPlan) cfgResource(mod *jsonpos.Node, mode, typ, name string) *jsonpos.Node {
	list := mod.Get("resources")
	if list == nil {
		return nil
	}
	index, ok := p.cfgRes[list]
	if !ok {
		index = map[string]*jsonpos.Node{}
		for _, res := range list.Items {
			m := text(res.Get("mode"))
			if m == "" {
				m = "managed"
			}
			k := m + " " + text(res.Get("type")) + "." + text(res.Get("name"))
			if _, seen := index[k]; !seen {
				index[k] = res
			}
		}
		p.cfgRes[list] = index
	}
	return index[mode+" "+typ+"."+name]
}

// splitAddr splits a Terraform address at its dots, leaving dots inside an index alone:
// module.a["x.y"].aws_ssm_parameter.p[0] -> module, a["x.y"], aws_ssm_parameter, p[0].
func splitAddr(s string) []string {
	var out []string
	depth, inQuote, escaped, start := 0, false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case inQuote && c == '\\':
			escaped = true
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if s != "" {
		out = append(out, s[start:])
	}
	return out
}

// splitKey splits a name and its instance key: p[0] -> p, [0]; a["x"] -> a, ["x"]; a key that
// is not a literal is "?".
func splitKey(step string) (name, key string) {
	i := strings.IndexByte(step, '[')
	if i < 0 || !strings.HasSuffix(step, "]") {
		return step, ""
	}
	return step[:i], canonKey(step[i+1 : len(step)-1])
}

func canonKey(inner string) string {
	inner = strings.TrimSpace(inner)
	if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
		return "[" + strconv.Itoa(n) + "]"
	}
	if s, err := strconv.Unquote(inner); err == nil && strings.HasPrefix(inner, `"`) {
		return "[" + strconv.Quote(s) + "]"
	}
	return "?"
}

// indexKey is the canonical key of a resource_changes index: a number or a string.
func indexKey(n *jsonpos.Node) string {
	switch {
	case n == nil:
		return ""
	case n.Kind == jsonpos.Number:
		return canonKey(n.Text)
	case n.Kind == jsonpos.String:
		return "[" + strconv.Quote(n.Text) + "]"
	}
	return ""
}

// canonAddr writes a module address with canonical keys, so that addresses written by the
// plan and built from references compare equal.
func canonAddr(s string) string {
	steps := splitAddr(s)
	for i, st := range steps {
		if name, key := splitKey(st); key != "?" {
			steps[i] = name + key
		}
	}
	return strings.Join(steps, ".")
}

func joinAddr(module, rest string) string {
	if module == "" {
		return rest
	}
	return module + "." + rest
}

// parentModule splits module.a[0].module.b["x"] into its parent module.a[0], the call name b
// and the instance key ["x"].
func parentModule(modAddr string) (parent, call, key string) {
	steps := splitAddr(modAddr)
	if len(steps) < 2 || steps[len(steps)-2] != "module" {
		return "", "", ""
	}
	call, key = splitKey(steps[len(steps)-1])
	return strings.Join(steps[:len(steps)-2], "."), call, key
}
