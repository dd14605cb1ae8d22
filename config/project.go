package config

import (
	"os"
	"path/filepath"
)

// Place is where a file belongs: the project found above it, and its configuration.
type Place struct {
	// Root is the project's directory, absolute: the directory of the nearest FileName above
	// the file, else the repository root.
	Root string
	// File is the configuration found, "" when the project has none.
	File string
}

// Locate finds the project of the files in dir: it looks for FileName in dir and its parents,
// as far as the root of the repository dir is in (the nearest directory holding .git, a
// directory or, in a worktree or submodule, a file) and never above it, so that a
// configuration in a parent directory or the home directory never applies to a checkout.
// Outside any repository the search goes up to the file system's root. ok is false when
// neither a configuration nor a repository was found.
func Locate(dir string) (Place, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Place{}, false
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, FileName)); err == nil {
			return Place{Root: d, File: filepath.Join(d, FileName)}, true
		}
		if isRepoRoot(d) {
			return Place{Root: d}, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return Place{}, false
		}
		d = parent
	}
}

// IsProjectRoot reports whether dir starts a project of its own: it holds a configuration or
// is the root of a repository.
func IsProjectRoot(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, FileName)); err == nil {
		return true
	}
	return isRepoRoot(dir)
}

func isRepoRoot(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil
}
