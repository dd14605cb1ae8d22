package linter

import (
	"slices"

	"github.com/ssmpolicy/ssmpolicy/input"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// entryIndex is the index of the manifest entry a path is in: ["resources", i, ...].
func entryIndex(path jsonpos.Path) (int, bool) {
	if len(path) < 2 || path[0] != "resources" {
		return 0, false
	}
	i, ok := path[1].(int)
	return i, ok
}

// declare records in declared the entry that declares t.
func declare(declared map[int]bool, t *input.Target) {
	if i, ok := entryIndex(t.Origin.Path); ok {
		declared[i] = true
	}
}

// splitEntryProblems separates the problems of a manifest that are in an entry declaring a
// target (a key written twice, an unknown key) from those of the manifest itself. An entry's
// problems belong to its target: they block it in apply as its policy's findings do, since
// the entry is what says where the policy goes.
func splitEntryProblems(problems []input.Problem, declared map[int]bool) ([]input.Problem, map[int][]input.Problem) {
	var own []input.Problem
	byEntry := map[int][]input.Problem{}
	for _, p := range problems {
		if i, ok := entryIndex(p.Loc.Path); ok && declared[i] {
			byEntry[i] = append(byEntry[i], p)
			continue
		}
		own = append(own, p)
	}
	return own, byEntry
}

// attachEntryProblems gives t the problems of the entry that declares it.
func attachEntryProblems(t *input.Target, byEntry map[int][]input.Problem) {
	if i, ok := entryIndex(t.Origin.Path); ok && len(byEntry[i]) > 0 {
		t.Problems = append(slices.Clone(byEntry[i]), t.Problems...)
	}
}
