package rules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// AddDir loads the custom rules of a directory, recursively: every .rego file except tests.
// A rule is a package under ssmpolicy.rules. with the same METADATA as the built-in rules; other
// packages are helpers. A README.md beside a rule is its documentation page.
func (s *Set) AddDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("custom rules %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("custom rules %s: not a directory", dir)
	}
	found := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, dup := s.Modules[p]; dup {
			return nil // the same directory named twice
		}
		found++
		if err := s.add(p, string(src), true, func(string) string {
			doc, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "README.md"))
			return string(doc)
		}); err != nil {
			return err
		}
		return Sandboxed(s.Modules[p])
	})
	if err != nil {
		return err
	}
	if found == 0 {
		return fmt.Errorf("custom rules %s: no .rego files", dir)
	}
	s.sort()
	return nil
}

// forbidden says why a built-in function may not be called by a custom rule, or "".
func forbidden(name string) string {
	switch {
	case name == "http.send" || strings.HasPrefix(name, "net."):
		return "reaches the network"
	case name == "opa.runtime":
		return "reads the environment"
	case name == "trace" || name == "print":
		return "" // harmless: print statements are disabled
	}
	return ""
}

// Sandboxed checks that a custom module calls no built-in function that reaches the network or
// reads the environment, and names the file, line and column of each call that does. Rules
// must depend on their input only, so that a check is the same on every machine.
func Sandboxed(mod *ast.Module) error {
	var errs ast.Errors
	ast.WalkRefs(mod, func(r ast.Ref) bool {
		name := r.String()
		if why := forbidden(name); why != "" {
			loc := r[0].Location
			errs = append(errs, &ast.Error{Code: "ssmpolicy_sandbox", Location: loc,
				Message: fmt.Sprintf("custom rules may not call %s: it %s (rules must depend on their input only)", name, why)})
		}
		return false
	})
	if len(errs) > 0 {
		return FormatError(errs)
	}
	return nil
}

// TestModules loads the modules of dirs with their _test.rego files, beside the built-in
// rules and helpers, for RunTests.
func (s *Set) TestModules(dirs []string) (map[string]*ast.Module, error) {
	mods := make(map[string]*ast.Module, len(s.Modules))
	for k, v := range s.Modules {
		mods[k] = v
	}
	for _, dir := range dirs {
		tests, err := ParseDir(dir, func(p string) bool { return strings.HasSuffix(p, "_test.rego") })
		if err != nil {
			return nil, fmt.Errorf("load tests %s: %w", dir, err)
		}
		for k, v := range tests {
			mods[k] = v
		}
	}
	return mods, nil
}

// ParseDir parses the .rego files under dir, recursively, that keep accepts.
func ParseDir(dir string, keep func(path string) bool) (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || !keep(p) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := ParseModule(p, string(src))
		if err != nil {
			return FormatError(err)
		}
		mods[p] = m
		return nil
	})
	return mods, err
}
