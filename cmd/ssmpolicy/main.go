// Command ssmpolicy checks AWS Systems Manager resource policies and applies them once they
// pass. See `ssmpolicy --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ssmpolicy/ssmpolicy/cli"
)

// version and commit are set by a release build (.goreleaser.yaml):
//
//	go build -ldflags "-X main.version=v0.1.0 -X main.commit=$(git rev-parse HEAD)" ./cmd/ssmpolicy
//
// Left empty, the version comes from the Go build information (the module version of
// `go install ...@v0.1.0`, the VCS revision of a build in a clone), else "(devel)".
var (
	version string
	commit  string
)

func main() {
	// Ctrl-C cancels the context: a check stops, an apply stops between targets.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, cli.ResolveBuild(version, commit), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
