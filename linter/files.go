package linter

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// expand turns the paths into the files to read, in a stable order, and reads standard input
// when "-" is among them.
func expand(opts RunOptions, fail func(finding.Failure)) ([]string, []byte) {
	var files []string
	var stdin []byte
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range opts.Paths {
		if p == "-" {
			if stdin != nil || opts.Stdin == nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(opts.Stdin, MaxFileSize+1))
			if err != nil {
				fail(finding.Failure{File: finding.StdinName, Message: err.Error()})
				continue
			}
			stdin = b
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			fail(finding.Failure{File: p, Message: cleanErr(err).Error()})
			continue
		}
		if !info.IsDir() {
			add(filepath.Clean(p))
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(finding.Failure{File: path, Message: cleanErr(err).Error()})
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "vendor", "node_modules":
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && walkedExt(path) {
				add(path)
			}
			return nil
		})
		if err != nil {
			fail(finding.Failure{File: p, Message: err.Error()})
		}
	}
	return files, stdin
}

func walkedExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json", ".yaml", ".yml", ".template":
		return true
	}
	return false
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB: not a policy, manifest or template", MaxFileSize>>20)
	}
	return b, nil
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
