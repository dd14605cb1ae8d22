package linter

import "hash/maphash"

// pathSet is a set of paths held as 128-bit hashes rather than as strings: a run remembers
// every policy file its manifests name and every file that held something to check, and at
// 100,000 policies the strings alone were most of its memory. Two paths sharing both hashes
// is as unlikely as a collision of a 128-bit random value (about 10^-29 for 100,000 paths).
type pathSet struct {
	a, b maphash.Seed
	m    map[[2]uint64]struct{}
}

func newPathSet() *pathSet {
	return &pathSet{a: maphash.MakeSeed(), b: maphash.MakeSeed(), m: map[[2]uint64]struct{}{}}
}

func (s *pathSet) key(p string) [2]uint64 {
	return [2]uint64{maphash.String(s.a, p), maphash.String(s.b, p)}
}

func (s *pathSet) add(p string) { s.m[s.key(p)] = struct{}{} }

func (s *pathSet) has(p string) bool {
	_, ok := s.m[s.key(p)]
	return ok
}
