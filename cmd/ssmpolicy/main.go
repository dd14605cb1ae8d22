// Command ssmpolicy checks AWS Systems Manager resource policies and applies them once they
// pass. See `ssmpolicy --help`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
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

// interrupted is the cause of a run's end on SIGINT or SIGTERM.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string {
	name := "SIGTERM"
	if i.sig == syscall.SIGINT {
		name = "SIGINT"
	}
	return fmt.Sprintf("interrupted by %s", name)
}

func main() {
	// SIGINT (Ctrl-C) and SIGTERM cancel the run's context: a check returns at once with what
	// it checked so far, an apply stops between targets; either reports, then exits 128 plus
	// the signal's number (130, 143) as a shell expects. A second signal ends the process at
	// once, in the default way.
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var caught atomic.Int32
	go func() {
		s, ok := (<-sigs).(syscall.Signal)
		signal.Stop(sigs)
		if !ok {
			s = syscall.SIGINT
		}
		caught.Store(int32(s))
		cancel(interrupted{sig: s})
	}()
	code := cli.Run(ctx, cli.ResolveBuild(version, commit), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if s := caught.Load(); s != 0 {
		code = 128 + int(s)
	}
	os.Exit(code)
}
