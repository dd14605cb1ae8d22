package rules

import (
	"slices"
	"testing"
)

// TestEngineIDs checks that the ids Go code reports are exactly the built-in rules whose
// METADATA says the engine reports them, so that neither can be renamed without the other.
func TestEngineIDs(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var fromMetadata []string
	for _, r := range set.Rules {
		if r.Engine == "go" {
			fromMetadata = append(fromMetadata, r.ID)
		}
	}
	if ids := EngineIDs(); !slices.Equal(ids, fromMetadata) {
		t.Errorf("engine ids %v, rules with engine: go %v", ids, fromMetadata)
	}
	if !slices.IsSorted(EngineIDs()) {
		t.Errorf("EngineIDs() is not sorted: %v", EngineIDs())
	}
}
