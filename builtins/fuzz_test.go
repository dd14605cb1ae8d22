package builtins

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// The fuzz targets give every built-in arbitrary arguments: none may panic, each must give the
// same result twice, and each result must keep the promises its documentation makes.

// resolve follows a path (keys and indexes) into a value.
func resolve(v ast.Value, path *ast.Array) (ast.Value, bool) {
	for i := 0; i < path.Len(); i++ {
		switch step := path.Elem(i).Value.(type) {
		case ast.String:
			o, ok := v.(ast.Object)
			if !ok || o.Get(ast.NewTerm(step)) == nil {
				return nil, false
			}
			v = o.Get(ast.NewTerm(step)).Value
		case ast.Number:
			a, ok := v.(*ast.Array)
			n, isInt := step.Int()
			if !ok || !isInt || n < 0 || n >= a.Len() {
				return nil, false
			}
			v = a.Elem(n).Value
		default:
			return nil, false
		}
	}
	return v, true
}

func FuzzPolicy(f *testing.F) {
	for _, s := range []string{
		`{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter", "Resource": ["a", 1, "b"]}}`,
		`{"Statement": [{"Effect": "Deny", "NotPrincipal": {"Service": ["x.amazonaws.com"], "AWS": "1"}, "NotAction": ["a"], "NotResource": "r"}, "x", 3]}`,
		`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": [1, "arn:aws:iam::111122223333:role/x"], "CanonicalUser": "c"}}]}`,
		`{"Statement": []}`, `{"Statement": "x"}`, `[]`, `null`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var x any
		if json.Unmarshal([]byte(doc), &x) != nil {
			return
		}
		policy, err := ast.InterfaceToValue(x)
		if err != nil {
			return
		}
		for _, fn := range policyFunctions() {
			first, err := fn.impl(rego.BuiltinContext{}, ast.NewTerm(policy))
			if err != nil {
				t.Fatalf("%s: %v", fn.decl.Name, err)
			}
			again, _ := fn.impl(rego.BuiltinContext{}, ast.NewTerm(policy))
			if (first == nil) != (again == nil) || first != nil && first.Value.Compare(again.Value) != 0 {
				t.Fatalf("%s gives two results for %s", fn.decl.Name, doc)
			}
			if first == nil {
				if fn.decl.Name != "ssmpolicy.policy.statements" {
					t.Fatalf("%s is undefined for %s", fn.decl.Name, doc)
				}
				continue
			}
			list := first.Value.(*ast.Array)
			for i := 0; i < list.Len(); i++ {
				entry := list.Elem(i).Value.(ast.Object)
				at, ok := resolve(policy, entry.Get(str("path")).Value.(*ast.Array))
				if !ok || at.Compare(entry.Get(str("value")).Value) != 0 {
					t.Fatalf("%s: entry %v is not at its path in %s", fn.decl.Name, entry, doc)
				}
				if fn.decl.Name == "ssmpolicy.policy.principals" {
					typ, val := entry.Get(str("type")).Value.(ast.String), entry.Get(str("value")).Value.(ast.String)
					if d := describe(string(typ), string(val)); entry.Get(str("problem")).Value.Compare(ast.String(d.problem)) != 0 {
						t.Fatalf("principal %v: its problem is not what describe says", entry)
					}
				}
			}
		}
	})
}

func FuzzPrincipalDescribe(f *testing.F) {
	for _, s := range []string{"111122223333", "arn:aws:iam::111122223333:root", "arn:aws:sts::111122223333:assumed-role/a/bb",
		"*", "arn:" + Unknown + ":iam::" + Unknown + ":role/x", "1111-2222-3333", "arn:aws:iam::111122223333:group/x",
		"ssm.amazonaws.com", "arn:aws:iam::111122223333:saml-provider/x", "a" + Unknown + "b:c:d"} {
		for _, typ := range []string{"AWS", "Service", "Federated", "CanonicalUser", "*", "Other"} {
			f.Add(typ, s)
		}
	}
	kinds := map[string]bool{"": true, "*": true, "account": true, "role": true, "user": true, "assumed-role": true,
		"federated-user": true, "Service": true, "Federated": true, "CanonicalUser": true}
	f.Fuzz(func(t *testing.T, typ, v string) {
		res, err := principalDescribe(rego.BuiltinContext{}, str(typ), str(v))
		if err != nil {
			t.Fatal(err)
		}
		again, _ := principalDescribe(rego.BuiltinContext{}, str(typ), str(v))
		if res.Value.Compare(again.Value) != 0 {
			t.Fatalf("describe(%q, %q) gives two results", typ, v)
		}
		d := describe(typ, v)
		if !kinds[d.kind] || d.account != "" && !isAccount(d.account) {
			t.Fatalf("describe(%q, %q) = %+v: unknown kind or an account that is not 12 digits", typ, v, d)
		}
		if d.account != "" && !strings.Contains(v, d.account) {
			t.Fatalf("describe(%q, %q): account %q is not in the value", typ, v, d.account)
		}
		if !strings.Contains(v, `\ue000`) && strings.Contains(d.problem, `\ue000`) {
			t.Fatalf("describe(%q, %q): the message shows the unknown marker: %q", typ, v, d.problem)
		}
		if typ == "AWS" && !unknown(v) && !wildcard(v) {
			wellFormed := v == "*" || isAccount(v) || awsGoodRe.MatchString(v)
			if wellFormed != (d.problem == "") {
				t.Fatalf("describe(AWS, %q): problem %q, but the value is well formed: %v", v, d.problem, wellFormed)
			}
		}
	})
}

func FuzzARNParse(f *testing.F) {
	for _, s := range []string{"arn:aws:ssm:us-east-1:111122223333:parameter/a", "arn:::::", "arn:a:b:c:d:e:f", "arn:a", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res, err := arnParse(rego.BuiltinContext{}, str(s))
		if err != nil {
			t.Fatal(err)
		}
		isARN := strings.HasPrefix(s, "arn:") && strings.Count(s, ":") >= 5
		if (res != nil) != isARN {
			t.Fatalf("arn.parse(%q) = %v; an ARN: %v", s, res, isARN)
		}
		if res == nil {
			return
		}
		o := res.Value.(ast.Object)
		field := func(k string) string { return string(o.Get(str(k)).Value.(ast.String)) }
		if back := strings.Join([]string{"arn", field("partition"), field("service"), field("region"), field("account"), field("resource")}, ":"); back != s {
			t.Fatalf("arn.parse(%q) puts back together as %q", s, back)
		}
	})
}

func FuzzActions(f *testing.F) {
	for _, s := range []string{"ssm:Get*", "*", "ssm:?etParameter", "SSM:GETPARAMETER", "ec2:" + Unknown, Unknown, "ssm:[x]*", `ssm:\*`} {
		for _, k := range []string{"parameter", "opsitemgroup", "", "document"} {
			f.Add(s, k)
		}
	}
	f.Fuzz(func(t *testing.T, a, kind string) {
		name, err := actionName(rego.BuiltinContext{}, str(a))
		if err != nil {
			t.Fatal(err)
		}
		if n := string(name.Value.(ast.String)); n != a && !strings.EqualFold(n, a) {
			t.Fatalf("name(%q) = %q: neither the action nor its spelling", a, n)
		}
		set, setErr := actionShareable(rego.BuiltinContext{}, str(kind))
		matches, matchErr := actionMatches(rego.BuiltinContext{}, str(a), str(kind))
		_, managedErr := actionManaged(rego.BuiltinContext{}, str(kind))
		valid := kind == "parameter" || kind == "opsitemgroup" || kind == ""
		if (setErr == nil) != valid || (matchErr == nil) != valid || (managedErr == nil) != (valid && kind != "") {
			t.Fatalf("kind %q: errors %v, %v, %v", kind, setErr, matchErr, managedErr)
		}
		if !valid {
			return
		}
		again, _ := actionMatches(rego.BuiltinContext{}, str(a), str(kind))
		if matches.Value.Compare(again.Value) != 0 {
			t.Fatalf("matches(%q, %q) gives two results", a, kind)
		}
		m, s := matches.Value.(ast.Set), set.Value.(ast.Set)
		if m.Diff(s).Len() != 0 {
			t.Fatalf("matches(%q, %q) = %v, not all shareable", a, kind, m)
		}
		if !wildcard(a) && !unknown(a) {
			want := ast.NewSet()
			if s.Contains(str(strings.ToLower(a))) {
				want.Add(str(strings.ToLower(a)))
			}
			if m.Compare(want) != 0 {
				t.Fatalf("matches(%q, %q) = %v, want %v", a, kind, m, want)
			}
		}
		if strings.Trim(strings.ReplaceAll(a, Unknown, "*"), "*") == "" && a != "" && m.Compare(s) != 0 {
			t.Fatalf("matches(%q, %q) = %v: a bare wildcard matches every shareable action", a, kind, m)
		}
	})
}

func FuzzConditionOperator(f *testing.F) {
	for _, s := range []string{"StringEquals", "forallvalues:stringequalsifexists", "NullIfExists", "ForAnyValue:ArnLike", "xIfExists", "ifexists"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, op string) {
		res, err := conditionOperator(rego.BuiltinContext{}, str(op))
		if err != nil {
			t.Fatal(err)
		}
		again, _ := conditionOperator(rego.BuiltinContext{}, str(op))
		if (res == nil) != (again == nil) || res != nil && res.Value.Compare(again.Value) != 0 {
			t.Fatalf("operator(%q) gives two results", op)
		}
		if res == nil {
			return
		}
		o := res.Value.(ast.Object)
		spelled := string(o.Get(str("spelled")).Value.(ast.String))
		if !strings.EqualFold(spelled, op) || o.Get(str("family")).Value.Compare(ast.String("")) == 0 {
			t.Fatalf("operator(%q) = %v: spelled differs from the operator beyond letter case, or no family", op, o)
		}
	})
}

func FuzzConditionValue(f *testing.F) {
	for _, v := range []string{`"true"`, `1`, `"2026-01-31T23:59:59Z"`, `"192.0.2.1/24"`, `"::ffff:192.0.2.1"`, `"arn:a:b:c:d:e"`, `"YWJj"`, `null`} {
		for _, fam := range []string{"bool", "numeric", "date", "ip", "arn", "binary", "string", "other"} {
			f.Add(fam, v)
		}
	}
	f.Fuzz(func(t *testing.T, fam, js string) {
		var x any
		if json.Unmarshal([]byte(js), &x) != nil {
			return
		}
		v, err := ast.InterfaceToValue(x)
		if err != nil {
			return
		}
		res, err := conditionValueOK(rego.BuiltinContext{}, str(fam), ast.NewTerm(v))
		known := slices.Contains([]string{"string", "numeric", "date", "bool", "binary", "ip", "arn"}, fam)
		if (err == nil) != known {
			t.Fatalf("value_ok(%q, %s): error %v", fam, js, err)
		}
		if err != nil {
			return
		}
		again, _ := conditionValueOK(rego.BuiltinContext{}, str(fam), ast.NewTerm(v))
		if res.Value.Compare(again.Value) != 0 {
			t.Fatalf("value_ok(%q, %s) gives two results", fam, js)
		}
		if fam == "string" && res.Value.Compare(ast.Boolean(true)) != 0 {
			t.Fatalf("value_ok(string, %s) is false: the string family takes anything", js)
		}
	})
}

func FuzzListGroup(f *testing.F) {
	for _, s := range []string{`[{"k": "a"}, {"k": "b"}, {"k": "a", "n": 1}]`, `[1, {"k": null}, {"j": 1}, {"k": [1]}]`, `[]`} {
		f.Add(s, "k")
	}
	f.Fuzz(func(t *testing.T, doc, field string) {
		var x any
		if json.Unmarshal([]byte(doc), &x) != nil {
			return
		}
		v, err := ast.InterfaceToValue(x)
		if err != nil {
			return
		}
		list, ok := v.(*ast.Array)
		res, err := listGroup(rego.BuiltinContext{}, ast.NewTerm(v), str(field))
		if (err == nil) != ok {
			t.Fatalf("group(%s, %q): error %v for an array: %v", doc, field, err, ok)
		}
		if !ok {
			return
		}
		again, _ := listGroup(rego.BuiltinContext{}, ast.NewTerm(v), str(field))
		if res.Value.Compare(again.Value) != 0 {
			t.Fatalf("group(%s, %q) gives two results", doc, field)
		}
		// Each object with the field is in the group of its value, in list order, and nothing
		// else is in any group.
		groups := res.Value.(ast.Object)
		seen := map[int]int{} // group size so far, by the position of its key in groups
		total := 0
		for i := 0; i < list.Len(); i++ {
			o, isObj := list.Elem(i).Value.(ast.Object)
			if !isObj || o.Get(str(field)) == nil {
				continue
			}
			g := groups.Get(o.Get(str(field)))
			if g == nil {
				t.Fatalf("group(%s, %q): element %d is in no group", doc, field, i)
			}
			pos := 0
			for j, k := range groups.Keys() {
				if k.Equal(o.Get(str(field))) {
					pos = j
				}
			}
			if at := g.Value.(*ast.Array).Elem(seen[pos]); at == nil || !at.Equal(list.Elem(i)) {
				t.Fatalf("group(%s, %q): element %d is not next in its group", doc, field, i)
			}
			seen[pos]++
			total++
		}
		n := 0
		groups.Foreach(func(_, g *ast.Term) { n += g.Value.(*ast.Array).Len() })
		if n != total {
			t.Fatalf("group(%s, %q) holds %d elements, want %d", doc, field, n, total)
		}
	})
}
