package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Devel is the version of a build that says nothing about its version: neither a release's
// -ldflags nor a module version in the build information (a plain `go build` of a clone).
const Devel = "(devel)"

// Build is what the binary knows of how it was built. A release sets Version and Commit with
// -ldflags -X (see .goreleaser.yaml and cmd/ssmpolicy); ResolveBuild fills what it did not set.
type Build struct {
	Version string
	Commit  string
}

// ResolveBuild returns the build as the linker set it (version, commit may be empty), with
// what is missing taken from the Go build information: the module version of a
// `go install ...@v0.1.0`, and the VCS revision `go build` stamps in a clone.
func ResolveBuild(version, commit string) Build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return resolveBuild(version, commit, info)
}

func resolveBuild(version, commit string, info *debug.BuildInfo) Build {
	b := Build{Version: version, Commit: commit}
	if info != nil {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != Devel {
			b.Version = info.Main.Version
		}
		if b.Commit == "" {
			dirty := false
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					b.Commit = s.Value
				case "vcs.modified":
					dirty = s.Value == "true"
				}
			}
			if b.Commit != "" && dirty {
				b.Commit += "-dirty"
			}
		}
	}
	if b.Version == "" {
		b.Version = Devel
	}
	return b
}

// String is the build as `ssmpolicy version` prints it.
func (b Build) String() string {
	v := b.Version
	if v == "" {
		v = Devel
	}
	if b.Commit == "" {
		return v
	}
	// Twelve characters name a commit well enough; a "-dirty" mark is kept.
	hash, mark, dirty := strings.Cut(b.Commit, "-")
	if len(hash) > 12 {
		hash = hash[:12]
	}
	if dirty {
		hash += "-" + mark
	}
	return fmt.Sprintf("%s (commit %s)", v, hash)
}

func newVersion(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(env.Stdout, "ssmpolicy %s\n", env.Build)
			return nil
		},
	}
}
