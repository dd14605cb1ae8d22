package cli

import (
	"runtime/debug"
	"sync"
)

// startupHeapLimit bounds the heap while the collector is off at start: the built-in rules
// need about 20 MB; a set of custom rules that needs more is collected as usual past it.
const startupHeapLimit = 64 << 20

// relaxStartupGC turns the garbage collector off, under startupHeapLimit, until the returned
// function is called (once the first rules are compiled). Reading and compiling the rules
// allocates some 12 MB that stays live, and collecting it again and again while it grows cost
// about a third of the CPU of a one-file check. The returned function puts the collector back
// as it was; a user who set GOGC or GOMEMLIMIT keeps them throughout. A command that compiles
// no rules (rules, explain, version) runs under the limit alone, collected only past it.
func relaxStartupGC(getenv func(string) string) func() {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(startupHeapLimit)
	var once sync.Once
	return func() {
		once.Do(func() {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
		})
	}
}
