package input

import (
	"testing"

	"github.com/ssmpolicy/ssmpolicy/builtins"
)

// The built-in functions treat a string holding builtins.Unknown as "known only at deploy
// time": it must be the marker the readers write.
func TestUnknownIsTheBuiltinsMarker(t *testing.T) {
	if Unknown != builtins.Unknown {
		t.Fatalf("input.Unknown = %q, the built-ins look for %q", Unknown, builtins.Unknown)
	}
}
