package linter

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// MaxFileSize bounds every input read, from a file or from standard input; anything larger
// is not a policy, manifest, template or plan, and is an error rather than a truncation.
const MaxFileSize = safefile.Limit

// Expansion is what the paths of a run name: the files to read, in a stable order, whether
// standard input is among them, and the directories walked.
type Expansion struct {
	Files []string
	Stdin bool
	// Dirs are the directories named, as named; DirFiles[i] the files found under Dirs[i].
	Dirs     []string
	DirFiles [][]string
	// Failures are the paths that could not be expanded: missing, unreadable, or not a
	// regular file (a named pipe is refused at once rather than waited on).
	Failures []finding.Failure
}

// Expand turns paths into the files to read: files as named, directories walked for
// *.json, *.yaml, *.yml and *.template (not .git, vendor or node_modules, and only regular
// files: no named pipes, devices or symbolic links), "-" for standard input.
func Expand(paths []string) *Expansion {
	x := &Expansion{}
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			x.Files = append(x.Files, p)
		}
	}
	for _, p := range paths {
		if p == "-" {
			x.Stdin = true
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			x.Failures = append(x.Failures, finding.Failure{File: p, Message: cleanErr(err).Error()})
			continue
		}
		if !info.IsDir() {
			if err := safefile.Regular(info); err != nil {
				x.Failures = append(x.Failures, finding.Failure{File: p, Message: err.Error()})
				continue
			}
			add(filepath.Clean(p))
			continue
		}
		x.Dirs = append(x.Dirs, p)
		var under []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				x.Failures = append(x.Failures, finding.Failure{File: path, Message: cleanErr(err).Error()})
				return nil
			}
			if d.IsDir() {
				if skippedDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && walkedExt(path) {
				add(path)
				under = append(under, path)
			}
			return nil
		})
		x.DirFiles = append(x.DirFiles, under)
		if err != nil {
			x.Failures = append(x.Failures, finding.Failure{File: p, Message: err.Error()})
		}
	}
	return x
}

// skippedDir names the directories no walk enters.
func skippedDir(name string) bool {
	switch name {
	case ".git", "vendor", "node_modules":
		return true
	}
	return false
}

func walkedExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json", ".yaml", ".yml", ".template":
		return true
	}
	return false
}

// readFile reads an input file: a regular file only, at most MaxFileSize.
func readFile(p string) ([]byte, error) {
	return safefile.Read(p, MaxFileSize)
}

// cleanErr drops the path an *fs.PathError repeats, since failures name the file already.
func cleanErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// noInputWarning is the warning for a named directory under which nothing was an input.
func noInputWarning(dir string) string {
	if !strings.HasSuffix(dir, string(filepath.Separator)) && !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	return fmt.Sprintf("no policy, manifest, template or plan under %s", dir)
}
