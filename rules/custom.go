package rules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/ssmpolicy/ssmpolicy/builtins"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// AddDir loads the custom rules of a directory, recursively: every .rego file except tests.
// A rule is a package under ssmpolicy.rules. with the same METADATA as the built-in rules; other
// packages are helpers. A README.md beside a rule is its documentation page. Every module is
// parsed with the sandbox's capabilities, checked in strict mode and refused when it defines
// anything in a package of the built-in rules; calls to withheld built-in functions are refused
// when the rules are compiled.
func (s *Set) AddDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("custom rules %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("custom rules %s: not a directory", dir)
	}
	mods, err := s.parseUser(dir, func(p string) bool { return !strings.HasSuffix(p, "_test.rego") })
	if err != nil {
		return err
	}
	if len(mods) == 0 {
		return fmt.Errorf("custom rules %s: no .rego files", dir)
	}
	for _, p := range sortedKeys(mods) {
		if _, dup := s.Modules[p]; dup {
			continue // the same directory named twice
		}
		if err := s.add(p, mods[p], true, func(string) string {
			doc, _ := safefile.Read(filepath.Join(filepath.Dir(p), "README.md"), safefile.Limit)
			return string(doc)
		}); err != nil {
			return err
		}
	}
	s.sort()
	return nil
}

// parseUser parses the .rego files under dir that keep accepts as a user's modules: with the
// sandbox's capabilities, in strict mode, outside the built-in packages.
func (s *Set) parseUser(dir string, keep func(path string) bool) (map[string]*ast.Module, error) {
	caps := Capabilities(builtins.Declarations())
	mods, err := walkModules(dir, keep, func(p, src string) (*ast.Module, error) {
		m, err := ParseCustom(p, src, caps)
		if err != nil {
			return nil, FormatError(err)
		}
		return m, s.reserved(m)
	})
	if err != nil {
		return nil, err
	}
	if err := strict(mods, caps); err != nil {
		return nil, err
	}
	return mods, nil
}

// TestModules loads the modules of dirs with their _test.rego files, beside the built-in
// rules and helpers, for RunTests.
func (s *Set) TestModules(dirs []string) (map[string]*ast.Module, error) {
	mods := make(map[string]*ast.Module, len(s.Modules))
	for k, v := range s.Modules {
		mods[k] = v
	}
	for _, dir := range dirs {
		tests, err := s.parseUser(dir, func(p string) bool { return strings.HasSuffix(p, "_test.rego") })
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
	return walkModules(dir, keep, func(p, src string) (*ast.Module, error) {
		m, err := ParseModule(p, src)
		if err != nil {
			return nil, FormatError(err)
		}
		return m, nil
	})
}

// walkModules parses with parse the .rego files under dir, recursively, that keep accepts,
// keyed by path.
func walkModules(dir string, keep func(path string) bool, parse func(path, src string) (*ast.Module, error)) (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || !keep(p) {
			return nil
		}
		src, err := safefile.Read(p, safefile.Limit) // a named pipe among the rules must not hang the run
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		m, err := parse(p, string(src))
		if err != nil {
			return err
		}
		mods[p] = m
		return nil
	})
	return mods, err
}
