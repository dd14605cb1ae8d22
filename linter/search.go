package linter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/safefile"
)

// The context search: a policy file checked without the manifest that names it (a hook
// given only the staged files) is checked as the target of every manifest of its project
// that names it, with that manifest's facts and ignores. The manifests are found by one walk
// of the project per run, the first time a policy needs it, which reads only candidate files
// and parses only those whose first bytes start a manifest.

// manifestStart is the quick text test: a manifest's top-level `resources` key at the start
// of a line (YAML) or right after the opening brace (JSON, flow-style YAML).
var manifestStart = regexp.MustCompile(`(?m)^(?:[ \t]*\{\s*)?["']?resources["']?[ \t]*:`)

// searchHead is how much of a candidate file the quick test reads; a manifest whose
// `resources` key comes later than this is not found.
const searchHead = 64 << 10

// SearchStats counts what the walk of one project did.
type SearchStats struct {
	// Files are the files the walk saw; Candidates those it opened (a walked extension);
	// Parsed those that passed the quick text test; Manifests those that were manifests.
	Files, Candidates, Parsed, Manifests int
}

// contextEntry is one manifest target that names a policy file: its policy is not loaded.
type contextEntry struct {
	target *input.Target
	// where is the manifest entry, as the report shows it: "infra/manifest.yaml:4:5".
	where string
}

// forPolicy is the entry's target with the policy file's own text as its policy, so that
// findings on the policy are placed in that file, under the name the run gave it.
func (c contextEntry) forPolicy(name string, src []byte) (*input.Target, error) {
	t := *c.target
	t.Problems = slices.Clone(c.target.Problems)
	t.PolicyRef = name
	err := input.LoadPolicy(&t, func(string) ([]byte, error) { return src, nil })
	return &t, err
}

// searcher finds the manifests of each project that name each policy file. It is safe for
// concurrent use; each project is walked once.
type searcher struct {
	reader  *input.Reader
	workDir string

	mu      sync.Mutex
	indexes map[string]*projectIndex
	dirs    sync.Map // directory -> its path with symbolic links followed
}

type projectIndex struct {
	once     sync.Once
	byPolicy map[string][]contextEntry
	stats    SearchStats
}

func newSearcher(reader *input.Reader) *searcher {
	wd, _ := os.Getwd() // relative paths in a run are relative to it
	return &searcher{reader: reader, workDir: wd, indexes: map[string]*projectIndex{}}
}

// lookup returns the manifest targets of the project at root that name policy.
func (s *searcher) lookup(ctx context.Context, root, policy string) []contextEntry {
	return s.index(ctx, root).byPolicy[s.canon(policy)]
}

func (s *searcher) index(ctx context.Context, root string) *projectIndex {
	s.mu.Lock()
	ix := s.indexes[root]
	if ix == nil {
		ix = &projectIndex{byPolicy: map[string][]contextEntry{}}
		s.indexes[root] = ix
	}
	s.mu.Unlock()
	ix.once.Do(func() { s.build(ctx, root, ix) })
	return ix
}

// build walks the project at root, skipping what a check's walk skips (.git, vendor,
// node_modules, what is not a regular file) and the directories that are projects of their
// own, and indexes every manifest target that names a policy file.
func (s *searcher) build(ctx context.Context, root string, ix *projectIndex) {
	head := make([]byte, searchHead) // one buffer for the quick test of every candidate
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return filepath.SkipAll
		}
		if err != nil {
			return nil // what cannot be read holds no manifest this search can use
		}
		if d.IsDir() {
			if p != root && (skippedDir(d.Name()) || config.IsProjectRoot(p)) {
				return filepath.SkipDir
			}
			return nil
		}
		ix.stats.Files++
		if !d.Type().IsRegular() || !walkedExt(p) {
			return nil
		}
		ix.stats.Candidates++
		src, ok := readCandidate(p, head)
		if !ok {
			return nil
		}
		ix.stats.Parsed++
		s.addManifest(ix, s.display(p), src)
		return nil
	})
}

// addManifest indexes the targets of the manifest src, if it is one, that name a policy file.
func (s *searcher) addManifest(ix *projectIndex, name string, src []byte) {
	f := jsonpos.NewFile(name, src)
	var refs []*input.Target
	declared := map[int]bool{}
	res, err := s.reader.StreamManifest(f, func(t *input.Target) bool {
		if t.PolicyRef != "" {
			refs = append(refs, t)
			declare(declared, t)
		}
		return true
	})
	if err != nil || res.Kind != input.Manifest {
		return
	}
	ix.stats.Manifests++
	_, byEntry := splitEntryProblems(res.Problems, declared)
	for _, t := range refs {
		attachEntryProblems(t, byEntry)
		pos := f.Pos(t.Origin.Span.Start)
		key := s.canon(t.PolicyRef)
		ix.byPolicy[key] = append(ix.byPolicy[key], contextEntry{target: t, where: fmt.Sprintf("%s:%d:%d", name, pos.Line, pos.Column)})
	}
}

// readCandidate reads a candidate file when its first bytes, read into buf, pass the quick
// text test. What it returns is the file's own copy.
func readCandidate(p string, buf []byte) ([]byte, bool) {
	f, err := safefile.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	head := buf[:n]
	if !bytes.Contains(head, []byte("resources")) || !manifestStart.Match(head) {
		return nil, false
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return bytes.Clone(head), true // the whole file
	}
	rest, err := safefile.ReadAll(f, MaxFileSize-int64(n))
	if err != nil {
		return nil, false
	}
	return append(bytes.Clone(head), rest...), true
}

// canon is the path a policy file is known by in the index: absolute, its directory's
// symbolic links followed, so that a manifest and a run that spell a path differently agree.
func (s *searcher) canon(p string) string {
	abs := absPath(p)
	dir := filepath.Dir(abs)
	real, ok := s.dirs.Load(dir)
	if !ok {
		r, err := filepath.EvalSymlinks(dir)
		if err != nil {
			r = dir
		}
		real, _ = s.dirs.LoadOrStore(dir, r)
	}
	return filepath.Join(real.(string), filepath.Base(abs))
}

// display is how a file found by the walk is named in findings: relative to the working
// directory when it is under it.
func (s *searcher) display(p string) string {
	if s.workDir == "" {
		return p
	}
	rel, err := filepath.Rel(s.workDir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}
