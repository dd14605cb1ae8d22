// Command gencatalogue writes rules/catalogue_gen.go, the catalogue of the built-in rules as
// their METADATA annotations give it, so that a run does not parse the annotations at start.
// Run by `go generate ./rules`, from the package directory, with the build tag
// ssmpolicy_gencatalogue: the tag leaves the old generated file out, so that a stale one that
// no longer compiles cannot stop its own regeneration.
package main

import (
	"fmt"
	"os"

	"github.com/ssmpolicy/ssmpolicy/rules"
)

func main() {
	src, err := rules.GenerateCatalogue()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalogue:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(rules.GeneratedFile, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalogue:", err)
		os.Exit(1)
	}
}
