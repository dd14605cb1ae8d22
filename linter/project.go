package linter

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/config"
)

// Project is what the files of one project are checked with: where the project is, and the
// configuration its files use.
type Project struct {
	// Root is the project's directory, absolute: the directory of its configuration, else the
	// repository root, else the working directory. The context search walks it, and the
	// policy files a manifest names must be inside it. "" when there is no project: each
	// manifest may then name only files under its own directory.
	Root string
	// NoSearch keeps the context search out of Root: set when Root is only the working
	// directory, for want of a configuration or a repository above the file. Such a directory
	// may be a home directory or /, and a walk of it is no project's search.
	NoSearch bool
	Profile  *Profile
}

// Profile is one configuration, ready to check with. Projects that share a configuration
// share its profile.
type Profile struct {
	Engine *Engine
	// Ignores are the configuration's ignore entries; nil when there is no configuration.
	Ignores *config.Suppressor
	// Config is the configuration file as the report names it; "" when there is none.
	Config string
	// Disabled lists the rules the configuration turns off.
	Disabled []string
}

// bound is the directory the policy files named by the manifest at path must stay in: the
// project's root when the manifest is inside it, else the manifest's own directory.
func (p *Project) bound(manifest string) string {
	dir := absPath(filepath.Dir(manifest))
	if p != nil && p.Root != "" && inside(p.Root, dir) {
		return p.Root
	}
	return dir
}

// contain checks that path, once its symbolic links are followed, is inside root, and
// returns the real path to read. Nothing outside is ever opened: a manifest from a pull
// request must not make the check print /proc/self/environ or a file of the runner's.
func contain(root, path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	real = absPath(real)
	realRoot := root
	if r, err := filepath.EvalSymlinks(root); err == nil {
		realRoot = r
	}
	if !inside(realRoot, real) {
		via := ""
		if real != absPath(path) {
			via = fmt.Sprintf(" (it resolves to %s)", real)
		}
		return "", fmt.Errorf("outside the project %s%s: not read, since a manifest may name only files inside its project", root, via)
	}
	return real, nil
}

// inside reports whether path is root or under it; both absolute and clean.
func inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
