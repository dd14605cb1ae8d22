package jsonpos

import "testing"

// TestPathAppend checks that paths appended to one parent stay apart even when the parent has
// room to grow in place.
func TestPathAppend(t *testing.T) {
	parent := make(Path, 1, 8)
	parent[0] = "Statement"
	a := parent.Append(0, "Principal")
	b := parent.Append(1)
	if Pointer(a) != "/Statement/0/Principal" || Pointer(b) != "/Statement/1" {
		t.Errorf("a = %s, b = %s", Pointer(a), Pointer(b))
	}
	if len(parent) != 1 || Pointer(parent) != "/Statement" {
		t.Errorf("the parent changed: %s", Pointer(parent))
	}
	var root Path
	if got := root.Append("Version"); Pointer(got) != "/Version" {
		t.Errorf("from the root: %s", Pointer(got))
	}
	if got := root.Append(); len(got) != 0 {
		t.Errorf("nothing appended: %v", got)
	}
}
