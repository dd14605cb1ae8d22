package report

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// place is where a finding's file is, seen from the working directory.
type place struct {
	// rel is the slash-separated path relative to the working directory, "" when the file is
	// outside it (or is no file at all).
	rel string
	// abs is the absolute path, "" for standard input.
	abs string
}

func locate(workDir, file string) place {
	if file == "" || file == finding.StdinName || isResource(file) {
		return place{}
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(workDir, file)
	}
	abs = filepath.Clean(abs)
	rel, err := filepath.Rel(workDir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return place{abs: abs}
	}
	return place{rel: filepath.ToSlash(rel), abs: abs}
}

// escapePath percent-encodes a relative slash-separated path for use as a URI reference,
// keeping the slashes. A colon in the first segment would read as a scheme, so such a path
// starts with ./ (as RFC 3986, section 4.2, asks).
func escapePath(p string) string {
	e := (&url.URL{Path: p}).EscapedPath()
	if first, _, _ := strings.Cut(e, "/"); strings.Contains(first, ":") {
		e = "./" + e
	}
	return e
}

// fileURI is the absolute file:// URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path, C:/x, becomes file:///C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
