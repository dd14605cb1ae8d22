package input

import "github.com/ssmpolicy/ssmpolicy/jsonpos"

// This file decides Fn::If and the template's Conditions when the template alone decides
// them, and resolves the values (objects, lists, AWS::NoValue) a policy document is made of.

// ifBranch picks the branch of Fn::If when its condition can be decided from the template
// alone. ok is false when the condition depends on deployment.
func (r *cfnResolver) ifBranch(arg *jsonpos.Node) (branch *jsonpos.Node, ok bool) {
	if arg.Kind != jsonpos.Array || len(arg.Items) != 3 || arg.Items[0].Kind != jsonpos.String {
		return nil, false
	}
	switch r.condition(arg.Items[0].Text) {
	case condTrue:
		return arg.Items[1], true
	case condFalse:
		return arg.Items[2], true
	}
	return nil, false
}

// condition evaluates a named condition of the template, once.
func (r *cfnResolver) condition(name string) condState {
	switch st := r.conds[name]; st {
	case condTrue, condFalse, condUnknown:
		return st
	case condVisiting:
		return condUnknown // a condition that refers to itself
	}
	r.conds[name] = condVisiting
	st := condUnknown
	if c := r.tpl.conditions.Get(name); c != nil {
		if v, known := r.evalCondition(c); known {
			st = condFalse
			if v {
				st = condTrue
			}
		}
	}
	r.conds[name] = st
	return st
}

func (r *cfnResolver) evalCondition(n *jsonpos.Node) (value, known bool) {
	if n.Kind == jsonpos.Bool && n.Tag == "" {
		return n.Bool, true
	}
	if n.Kind == jsonpos.Object && len(n.Members) == 1 && n.Members[0].Key == "Condition" && n.Members[0].Value.Kind == jsonpos.String {
		return fromState(r.condition(n.Members[0].Value.Text))
	}
	fn, arg, ok := intrinsic(n)
	if !ok {
		return false, false
	}
	if !r.enter() {
		r.leave()
		return false, false
	}
	defer r.leave()
	switch fn {
	case "Condition":
		if arg.Kind == jsonpos.String {
			return fromState(r.condition(arg.Text))
		}
	case "Fn::Equals":
		if arg.Kind == jsonpos.Array && len(arg.Items) == 2 {
			a, aok := r.str(arg.Items[0])
			b, bok := r.str(arg.Items[1])
			if aok && bok && !a.has(Unknown) && !b.has(Unknown) {
				return a.String() == b.String(), true
			}
		}
	case "Fn::Not":
		if arg.Kind == jsonpos.Array && len(arg.Items) == 1 {
			v, known := r.evalCondition(arg.Items[0])
			return !v, known
		}
	case "Fn::And", "Fn::Or":
		if arg.Kind != jsonpos.Array {
			return false, false
		}
		// And is false as soon as one part is known false, Or true as soon as one is true;
		// otherwise an unknown part leaves the whole unknown.
		decisive := fn == "Fn::Or"
		allKnown := true
		for _, it := range arg.Items {
			v, known := r.evalCondition(it)
			if known && v == decisive {
				return decisive, true
			}
			allKnown = allKnown && known
		}
		if allKnown {
			return !decisive, true
		}
	}
	return false, false
}

func fromState(st condState) (value, known bool) {
	return st == condTrue, st == condTrue || st == condFalse
}

// value resolves a document written as a mapping (a policy, most often): intrinsics inside it
// become strings with unknown parts, keeping the span of the node they replace; Ref
// AWS::NoValue removes its property or list item. present is false for a removed node.
func (r *cfnResolver) value(n *jsonpos.Node) (out *jsonpos.Node, present bool) {
	if fn, arg, ok := intrinsic(n); ok {
		if isNoValue(n) {
			return nil, false
		}
		switch fn {
		case "Fn::If":
			return r.ifValue(n, arg)
		case "Fn::FindInMap":
			if !r.enter() {
				r.leave()
				break
			}
			v := r.findInMap(arg)
			var res *jsonpos.Node
			if v != nil && (v.Kind == jsonpos.Object || v.Kind == jsonpos.Array) {
				res, _ = r.value(v) // a list or map from Mappings, each item where it is written
			}
			r.leave()
			if res != nil {
				return res, true
			}
		case "Fn::Split":
			if list, ok := r.strList(n); ok {
				arr := &jsonpos.Node{Kind: jsonpos.Array, Span: n.Span}
				for _, it := range list {
					arr.Items = append(arr.Items, &jsonpos.Node{Kind: jsonpos.String, Text: it.String(), Span: n.Span})
				}
				return arr, true
			}
		}
		t, _ := r.str(n)
		return &jsonpos.Node{Kind: jsonpos.String, Text: t.String(), Span: n.Span}, true
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > resolveDepth {
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	c := *n
	c.Tag = ""
	switch n.Kind {
	case jsonpos.Object:
		c.Members = make([]jsonpos.Member, 0, len(n.Members))
		for _, m := range n.Members {
			if v, ok := r.value(m.Value); ok {
				c.Members = append(c.Members, jsonpos.Member{Key: m.Key, KeySpan: m.KeySpan, Value: v})
			}
		}
	case jsonpos.Array:
		c.Items = make([]*jsonpos.Node, 0, len(n.Items))
		for _, it := range n.Items {
			if v, ok := r.value(it); ok {
				c.Items = append(c.Items, v)
			}
		}
	}
	return &c, true
}

// ifValue resolves Fn::If inside a document. A condition decided by the template picks its
// branch. Otherwise: equal branches are that value; a branch that removes the node leaves the
// other (what it says is deployed whenever the condition allows); two different strings are
// unknown; two different documents are checked through the first branch, since what it says
// is written by the user and deployed when the condition holds.
func (r *cfnResolver) ifValue(n, arg *jsonpos.Node) (*jsonpos.Node, bool) {
	if !r.enter() {
		r.leave()
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	defer r.leave()
	if branch, ok := r.ifBranch(arg); ok {
		return r.value(branch)
	}
	if arg.Kind != jsonpos.Array || len(arg.Items) != 3 {
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	a, aok := r.value(arg.Items[1])
	b, bok := r.value(arg.Items[2])
	switch {
	case !aok && !bok:
		return nil, false
	case !aok:
		return b, true
	case !bok:
		return a, true
	case a.Kind == jsonpos.String && b.Kind == jsonpos.String:
		if a.Text == b.Text {
			return a, true
		}
		return &jsonpos.Node{Kind: jsonpos.String, Text: Unknown, Span: n.Span}, true
	}
	return a, true
}
