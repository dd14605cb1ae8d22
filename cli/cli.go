// Package cli is the ssmpolicy command line: cobra commands built in constructors, run
// in-process through Run so that tests drive exactly what users run.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ssmpolicy/ssmpolicy/report"
)

// Env is what a run may read from its surroundings. Tests replace it; Run uses the process's.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal reports whether standard output is a terminal (colour, prompts).
	IsTerminal func() bool
	// StdinIsTerminal reports whether standard input is a terminal (confirmation prompts).
	StdinIsTerminal func() bool
	// StderrIsTerminal reports whether standard error is a terminal (the progress line); nil
	// means it is not.
	StderrIsTerminal func() bool
	// Width is the width of the terminal standard output is, 0 when unknown; nil means
	// unknown. Source excerpts in text output keep within it.
	Width func() int
	Now   func() time.Time
	// Dir is the working directory, where .ssmpolicy.yaml is looked for.
	Dir string
	// Build is the binary's version and commit (Devel when unknown).
	Build Build
	// Compiled, when set, is called each time rules have been compiled: Run restores the
	// garbage collector then (relaxStartupGC).
	Compiled func()
}

// Run runs the command line args of the binary built as build and returns the exit code.
// It is the process's entry point (called once, by main): it sets the process's garbage
// collector while the rules compile.
func Run(ctx context.Context, build Build, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	dir, _ := os.Getwd()
	restoreGC := relaxStartupGC(os.Getenv)
	defer restoreGC()
	return RunEnv(ctx, args, Env{
		Build: build,
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Getenv:           os.Getenv,
		IsTerminal:       func() bool { return fdIsTerminal(stdout) },
		StdinIsTerminal:  func() bool { return fdIsTerminal(stdin) },
		StderrIsTerminal: func() bool { return fdIsTerminal(stderr) },
		Width:            func() int { return terminalWidth(stdout) },
		Now:              time.Now,
		Dir:              dir,
		Compiled:         restoreGC,
	})
}

func fdIsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is the width of the terminal v is, or 0.
func terminalWidth(v any) int {
	f, ok := v.(*os.File)
	if !ok {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

func (e *Env) stderrIsTerminal() bool { return e.StderrIsTerminal != nil && e.StderrIsTerminal() }

// width is the terminal width text output keeps to: 0 (the reporter's default) when standard
// output is not a terminal.
func (e *Env) width() int {
	if e.Width == nil || !e.IsTerminal() {
		return 0
	}
	return e.Width()
}

// Exit codes, as PRODUCT.md fixes them.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in how the tool was called: exit 2 with the message.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// RunEnv runs args in env and returns the exit code.
func RunEnv(ctx context.Context, args []string, env Env) int {
	if env.Build.Version == "" {
		env.Build.Version = Devel
	}
	root := newRoot(&env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(env.Stderr, "ssmpolicy: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag.
	fmt.Fprintf(env.Stderr, "ssmpolicy: %v\n", err)
	return ExitError
}

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "ssmpolicy",
		Short: "Check AWS Systems Manager resource policies before they are applied, and apply them once they pass",
		Long: `ssmpolicy checks the resource policies sent with SSM PutResourcePolicy — for shared
parameters and OpsItemGroups — in policy files, manifests, CloudFormation templates and
Terraform plans, and reports each finding at its line and column.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newCheck(env), newApply(env), newAudit(env), newRules(env), newExplain(env), newTest(env), newInit(env), newVersion(env))
	levels := []string{"error", "security-warning", "warning", "suggestion"}
	for _, cmd := range root.Commands() {
		formats := report.Formats()
		if cmd.Name() == "rules" {
			formats = []string{"text", "json"}
		}
		registerCompletions(cmd, map[string][]string{
			"output": formats, "fail-on": levels, "min-level": levels, "color": {"auto", "always", "never"},
			"tier": {"Standard", "Advanced", "Intelligent-Tiering"}, "type": {"String", "StringList", "SecureString"},
		})
	}
	return root
}
