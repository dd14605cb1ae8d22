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

func main() {
	// Ctrl-C cancels the context: a check stops, an apply stops between targets.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
