package input

import (
	"context"
	"errors"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
	"github.com/ssmpolicy/ssmpolicy/ssmarn"
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
	path    jsonpos.Path // path of after in the file
	upath   jsonpos.Path // path of after_unknown in the file
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
		base := jsonpos.Path{"resource_changes", i, "change"}
		inst := &tfInstance{
			module:  canonAddr(text(c.Get("module_address"))),
			mode:    text(c.Get("mode")),
			typ:     text(c.Get("type")),
			name:    text(c.Get("name")),
			key:     indexKey(c.Get("index")),
			after:   after,
			unknown: change.Get("after_unknown"),
			path:    base.Append("after"),
			upath:   base.Append("after_unknown"),
			origin:  p.origin(c, []any{"resource_changes", i}),
		}
		if inst.mode == "" {
			inst.mode = "managed"
		}
		p.add(inst)
	}
}

// state reads the resources of a state's module and its child modules.
func (p *tfPlan) state(mod *jsonpos.Node, path jsonpos.Path, depth int) {
	if mod == nil || depth > tfFollowDepth {
		return
	}
	module := canonAddr(text(mod.Get("address")))
	if list := mod.Get("resources"); list != nil {
		for i, res := range list.Items {
			rpath := path.Append("resources", i)
			inst := &tfInstance{
				module: module,
				mode:   text(res.Get("mode")),
				typ:    text(res.Get("type")),
				name:   text(res.Get("name")),
				key:    indexKey(res.Get("index")),
				after:  res.Get("values"),
				path:   rpath.Append("values"),
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
			p.state(child, path.Append("child_modules", i), depth+1)
		}
	}
}

// origin is where a resource instance is declared in the file: its address.
func (p *tfPlan) origin(n *jsonpos.Node, path jsonpos.Path) Location {
	if m, ok := n.Member("address"); ok {
		return Location{File: p.f, Span: m.Value.Span, Path: path.Append("address")}
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
	t := &Target{Kind: Terraform, Origin: inst.origin, PolicyFile: f}
	at := func(n *jsonpos.Node, base jsonpos.Path, key string) Location {
		return Location{File: f, Span: n.Span, Path: base.Append(key)}
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
				t.ARN.Value = ssmarn.ParameterARN(Unknown, Unknown, Unknown, name.Text)
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
		t.Problems = append(t.Problems, Problem{Rule: rules.ContextMissing, Loc: t.PolicyLoc,
			Message: "the policy is known only after apply (Terraform computes it from values it does not know yet, such as the ARN of a parameter it creates): none of its checks ran; check again on a plan made once those resources exist"})
	default:
		t.PolicyLoc = t.Origin
		t.Problems = append(t.Problems, Problem{Rule: rules.Schema, Loc: t.Origin,
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
			return Fact{Value: v.Text, Known: true, Loc: Location{File: f, Span: v.Span, Path: param.path.Append(key)}}
		case u != nil:
			return Fact{Loc: Location{File: f, Span: u.Span, Path: param.upath.Append(key)}}
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
	// Parameter policies make an Intelligent-Tiering parameter Advanced. A plan that gives
	// them, or will know them only after apply, says the parameter has them.
	if v, u := param.attr("policies"); u != nil || (v != nil && v.Kind == jsonpos.String && hasPolicies(v.Text)) {
		t.HasPolicies = true
	}
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

// hasPolicies reports whether a parameter's Policies text names any policy: it is a JSON list,
// and "" or "[]" name none.
func hasPolicies(text string) bool {
	v := strings.TrimSpace(text)
	return v != "" && v != "[]"
}
