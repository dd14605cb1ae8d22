package linter

import (
	"fmt"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/builtins"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

func TestZZStrict(t *testing.T) {
	set, _ := rules.Builtin()
	for _, skip := range []bool{false, true} {
		c := ast.NewCompiler().WithBuiltins(builtins.Declarations()).WithStrict(true)
		if skip {
			c = c.WithSkipStages(ast.StageCheckTypes)
		}
		st := time.Now()
		c.Compile(set.Modules)
		fmt.Println(skip, time.Since(st), len(c.Errors))
		for i, e := range c.Errors {
			if i < 10 {
				fmt.Println(e)
			}
		}
	}
	used := map[string]bool{}
	for _, m := range set.Modules {
		ast.WalkExprs(m, func(x *ast.Expr) bool {
			if x.IsCall() {
				used[x.Operator().String()] = true
			}
			ast.WalkTerms(x, func(t *ast.Term) bool {
				if c, ok := t.Value.(ast.Call); ok {
					used[c[0].String()] = true
				}
				return false
			})
			return false
		})
	}
	fmt.Println(used)
}
