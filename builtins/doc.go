package builtins

import (
	"fmt"
	"strings"
)

// Markdown lists the built-ins as docs/custom-rules.md shows them: one row per function, its
// signature with argument names and types, and what it returns.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| function | returns |\n|---|---|\n")
	for _, s := range Signatures() {
		args := make([]string, 0, len(s.Decl.NamedFuncArgs().Args))
		for _, a := range s.Decl.NamedFuncArgs().Args {
			args = append(args, a.String())
		}
		fmt.Fprintf(&b, "| `%s(%s)` → `%s` | %s |\n", s.Name, strings.Join(args, ", "), s.Decl.NamedResult(),
			strings.ReplaceAll(s.Description, "|", `\|`))
	}
	return b.String()
}
