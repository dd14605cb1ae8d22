//go:build unix

// Command measure runs one command and prints its wall time and peak resident set size, so that
// bench/run.sh gets the same figures on every Unix, with or without GNU time installed:
//
//	measure [-stdout FILE] [-stderr FILE] [-ok 0,1] -- COMMAND [ARG...]
//
// prints one line "WALL_SECONDS PEAK_RSS_KIB EXIT_CODE" and exits 0 when the exit code is one
// of -ok, 1 when it is not (the line is printed all the same, and the command's stderr is then
// echoed, so a crash is visible), 2 when the command cannot be started.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	stdout := flag.String("stdout", os.DevNull, "file for the command's standard output")
	stderr := flag.String("stderr", "", "file for the command's standard error (default: a temporary file, echoed on failure)")
	okList := flag.String("ok", "0", "comma-separated exit codes that count as success")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure [-stdout FILE] [-stderr FILE] [-ok 0,1] -- COMMAND [ARG...]")
		os.Exit(2)
	}
	var ok []int
	for _, s := range strings.Split(*okList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fmt.Fprintf(os.Stderr, "measure: bad -ok %q\n", *okList)
			os.Exit(2)
		}
		ok = append(ok, n)
	}
	os.Exit(run(flag.Args(), *stdout, *stderr, ok))
}

func run(args []string, stdoutPath, stderrPath string, ok []int) int {
	out, err := os.Create(stdoutPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 2
	}
	defer out.Close()

	var errFile *os.File
	if stderrPath == "" {
		// Kept aside rather than passed through: a linter may write warnings there on every
		// run, which would clutter the benchmark's own output.
		errFile, err = os.CreateTemp("", "measure-stderr-*")
		if err == nil {
			defer os.Remove(errFile.Name())
		}
	} else {
		errFile, err = os.Create(stderrPath)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 2
	}
	defer errFile.Close()

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = nil // /dev/null: a tool waiting for stdin would otherwise hang the benchmark
	cmd.Stdout, cmd.Stderr = out, errFile

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 2
	}
	waitErr := cmd.Wait()
	wall := time.Since(start)

	code := cmd.ProcessState.ExitCode() // -1 when killed by a signal
	fmt.Printf("%.3f %d %d\n", wall.Seconds(), peakRSSKiB(cmd.ProcessState), code)
	if slices.Contains(ok, code) {
		return 0
	}
	fmt.Fprintf(os.Stderr, "measure: %s: %v (exit code %d, expected one of %v)\n", args[0], waitErr, code, ok)
	if _, err := errFile.Seek(0, io.SeekStart); err == nil {
		io.Copy(os.Stderr, io.LimitReader(errFile, 64<<10))
	}
	return 1
}

// peakRSSKiB reads the child's ru_maxrss, which Linux and the BSDs report in KiB and macOS in
// bytes.
func peakRSSKiB(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) / 1024
	}
	return int64(ru.Maxrss)
}
