package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The sandbox of custom rules. A rule must depend on its input only, so that a check says the
// same on every machine and cannot send a policy anywhere: custom rules are parsed and compiled
// with capabilities that hold only the built-in functions that compute from their arguments,
// they are compiled in strict mode, and they may not define anything in the packages of the
// built-in rules (the built-in verdicts change only through config levels and suppressions).

// withheldWhy says why rules are not given one of OPA's built-in functions, or "". OPA marks
// the functions that reach outside the evaluation (the network, the clock, randomness, the
// environment) as non-deterministic; those are withheld whether named here or not.
func withheldWhy(name string) string {
	switch name {
	case "http.send", "net.lookup_ip_addr":
		return "reaches the network"
	case "opa.runtime":
		return "reads the environment"
	case "time.now_ns", "io.jwt.decode_verify", "crypto.x509.parse_and_verify_certificates":
		return "reads the clock"
	case "crypto.x509.parse_and_verify_certificates_with_options":
		return "reads the clock when no CurrentTime is given"
	case "rand.intn", "uuid.rfc4122":
		return "is random"
	case "io.jwt.encode_sign", "io.jwt.encode_sign_raw":
		return "is random for some algorithms"
	case "json.match_schema", "json.verify_schema":
		return "follows a schema's $ref to files and to the network"
	}
	return ""
}

// Capabilities are what rules are parsed and compiled with: OPA's built-in functions less the
// withheld, non-deterministic and deprecated ones, plus extra (the tool's own built-ins, which
// compute from their arguments only), and no network host allowed to anything.
func Capabilities(extra map[string]*ast.Builtin) *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if withheldWhy(b.Name) != "" || b.Nondeterministic || b.IsDeprecated() {
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	for _, name := range sortedKeys(extra) {
		caps.Builtins = append(caps.Builtins, extra[name])
	}
	caps.AllowNet = []string{}
	return caps
}

// withheld says why rules may not call the built-in function name, or "" when they may (or
// it is no OPA built-in).
func withheld(name string) string {
	if why := withheldWhy(name); why != "" {
		return why + " (rules must depend on their input only)"
	}
	if b, ok := ast.BuiltinMap[name]; ok {
		switch {
		case b.Nondeterministic:
			return "does not depend on its arguments only (rules must depend on their input only)"
		case b.IsDeprecated():
			return "is deprecated"
		}
	}
	return ""
}

// SandboxError rewrites the compiler's "undefined function" for a withheld built-in into why
// rules may not call it, keeping the file, line and column.
func SandboxError(err error) error {
	errs, ok := err.(ast.Errors)
	if !ok {
		return err
	}
	out := make(ast.Errors, len(errs))
	for i, e := range errs {
		out[i] = e
		name, found := strings.CutPrefix(e.Message, "undefined function ")
		if !found {
			continue
		}
		if why := withheld(name); why != "" {
			c := *e
			c.Message = fmt.Sprintf("custom rules may not call %s: it %s", name, why)
			out[i] = &c
		}
	}
	return out
}

// ParseCustom parses a user's module with the rules' capabilities, as v1 Rego.
func ParseCustom(file, src string, caps *ast.Capabilities) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(file, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1, Capabilities: caps})
}

// reserved checks that a user's module defines nothing in a built-in package: its package is
// neither a built-in package, nor inside one, nor above one (a rule of package ssmpolicy could
// otherwise reach into ssmpolicy.lib through a reference in its head).
func (s *Set) reserved(mod *ast.Module) error {
	p := mod.Package.Path
	for _, b := range s.builtinPkgs {
		if p.HasPrefix(b) || b.HasPrefix(p) {
			name := strings.TrimPrefix(p.String(), "data.")
			why := "it is a package of the built-in rules"
			if !p.HasPrefix(b) {
				why = "it holds " + strings.TrimPrefix(b.String(), "data.") + ", a package of the built-in rules"
			}
			return FormatError(ast.Errors{{Code: "ssmpolicy_sandbox", Location: mod.Package.Location,
				Message: fmt.Sprintf("custom rules may not define package %s: %s, which only config levels and suppressions change", name, why)}})
		}
	}
	return nil
}

// strict compiles users' modules alone in strict mode (unused imports and variables,
// shadowed input and data, deprecated built-ins), up to the stage that checks them; the
// whole compile with the built-in rules comes after.
func strict(mods map[string]*ast.Module, caps *ast.Capabilities) error {
	if len(mods) == 0 {
		return nil
	}
	c := ast.NewCompiler().WithCapabilities(caps).WithStrict(true).WithOnlyStagesUpTo(ast.StageRewriteLocalVars)
	c.Compile(mods)
	if c.Failed() {
		return FormatError(c.Errors)
	}
	return nil
}

// idPattern is what a rule id is: lower-case words (letters and digits) joined by "-".
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// validID says what is wrong with a rule id, or "".
func validID(id string) string {
	if len(id) > 64 {
		return "is longer than 64 characters"
	}
	if !idPattern.MatchString(id) {
		return "must be lower-case words (letters and digits) joined by -"
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
