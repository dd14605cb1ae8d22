package suggest

import "testing"

func TestClosest(t *testing.T) {
	ids := []string{"principal-wildcard", "principal-self", "action-wildcard", "schema"}
	tests := []struct {
		word, want string
	}{
		{"principal-wildcrd", "principal-wildcard"}, // one letter missing
		{"Principal-Self", "principal-self"},        // another case only
		{"SCHEMA", "schema"},
		{"acton-wildcad", "action-wildcard"}, // two typos
		{"acton-wldcad", ""},                 // three: too far to guess
		{"nothing-like-it", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Closest(tc.word, ids); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if got := Closest("x", nil); got != "" {
		t.Errorf("no candidates: %q", got)
	}
}

// TestClosestPrefersCase checks that a match in another case wins over a nearer-looking typo
// that comes first in the list.
func TestClosestPrefersCase(t *testing.T) {
	if got := Closest("Effect", []string{"Effects", "effect"}); got != "effect" {
		t.Errorf("got %q, want effect", got)
	}
}

// TestClosestFirstOfEqual checks that of candidates equally far, the first is given, so the
// suggestion does not change from run to run.
func TestClosestFirstOfEqual(t *testing.T) {
	if got := Closest("cat", []string{"bat", "hat"}); got != "bat" {
		t.Errorf("got %q, want bat", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"same", "same", 0}, {"ab", "ba", 2}} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
