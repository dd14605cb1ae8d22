package builtins

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

func TestListGroup(t *testing.T) {
	for _, c := range []struct{ list, field, want string }{
		{`[]`, `"kind"`, `{}`},
		{`[{"kind": "role", "v": 1}, {"kind": "account", "v": 2}, {"kind": "role", "v": 3}]`, `"kind"`,
			`{"role": [{"kind": "role", "v": 1}, {"kind": "role", "v": 3}], "account": [{"kind": "account", "v": 2}]}`},
		// Elements that are not objects, or lack the field, are left out; any value groups.
		{`[1, "x", {"v": 1}, {"kind": ""}, {"kind": true}, {"kind": ["a"]}, {"kind": true, "n": 2}]`, `"kind"`,
			`{"": [{"kind": ""}], true: [{"kind": true}, {"kind": true, "n": 2}], ["a"]: [{"kind": ["a"]}]}`},
	} {
		got, err := listGroup(rego.BuiltinContext{}, term(t, c.list), term(t, c.field))
		if err != nil {
			t.Fatal(err)
		}
		same(t, "group("+c.list+", "+c.field+")", got, c.want)
	}
}

func TestListGroupBadArguments(t *testing.T) {
	for _, args := range [][2]string{{`{"a": {"k": 1}}`, `"k"`}, {`"x"`, `"k"`}, {`[{"k": 1}]`, `1`}} {
		if got, err := listGroup(rego.BuiltinContext{}, term(t, args[0]), term(t, args[1])); err == nil {
			t.Errorf("group(%s, %s) = %v, want an error", args[0], args[1], got)
		}
	}
}
