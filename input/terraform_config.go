package input

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// Following a plan's configuration: the references of a policy's resource_arn, through module
// variables, module outputs, count and for_each, to the aws_ssm_parameter instance it names.

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
