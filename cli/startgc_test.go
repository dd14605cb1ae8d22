package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's GOGC setting without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestRelaxStartupGC: the collector is off under the start-up limit until the rules are
// compiled, then as it was; a user's GOGC or GOMEMLIMIT is left alone.
func TestRelaxStartupGC(t *testing.T) {
	percent, limit := gcPercent(), debug.SetMemoryLimit(-1)
	restore := relaxStartupGC(func(string) string { return "" })
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != startupHeapLimit {
		t.Errorf("while the rules compile: GOGC %d, limit %d; want off (-1) under %d", p, l, int64(startupHeapLimit))
	}
	restore()
	restore() // a second call changes nothing
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != percent || l != limit {
		t.Errorf("after: GOGC %d, limit %d; want %d, %d as before", p, l, percent, limit)
	}
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		restore := relaxStartupGC(func(k string) string {
			if k == name {
				return "200"
			}
			return ""
		})
		if p := gcPercent(); p != percent {
			t.Errorf("with %s set: GOGC changed to %d", name, p)
		}
		restore()
	}
}

// TestCompiledHook: the run says when it has compiled the rules, once per set of rules, so
// that Run can restore the collector before the targets are checked.
func TestCompiledHook(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(`{"Version":"2012-10-17","Statement":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env, _, _ := testEnv(dir, "")
	calls := 0
	env.Compiled = func() { calls++ }
	if code, out, errs := run(t, env, "check", filepath.Join(dir, "p.json")); code == ExitError {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	if calls != 1 {
		t.Errorf("Compiled called %d times, want once", calls)
	}
}
