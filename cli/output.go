package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/report"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// outputFlags say where the report goes and what it shows. check and apply share them;
// only check writes reports to files (-o FORMAT=FILE, --output-file).
type outputFlags struct {
	formats    []string // -o, as given
	outputFile string   // --output-file
	quiet      bool
	minLevel   string
	color      string
	noColor    bool
	// files is set for check, which can write reports to files.
	files bool

	// Set by validate.
	stdout string // the format of standard output (or of --output-file)
	extra  []fileOutput
	min    finding.Level
}

// fileOutput is one -o FORMAT=FILE.
type fileOutput struct {
	format, path string
}

const colorModes = "auto, always or never"

func (o *outputFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&o.formats, "output", "o", nil, "output format on standard output: "+strings.Join(report.Formats(), ", ")+" (default text)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print the findings only: no summary line, no notes")
	fs.StringVar(&o.minLevel, "min-level", "", "show only findings at or above this level (the summary still counts the others; --fail-on decides the exit code)")
	fs.StringVar(&o.color, "color", "auto", "colours in text output: "+colorModes+" (auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR forces them)")
	fs.BoolVar(&o.noColor, "no-color", false, "same as --color never")
}

// registerFiles adds the flags that write reports to files (check only).
func (o *outputFlags) registerFiles(fs *pflag.FlagSet) {
	o.files = true
	fs.Lookup("output").Usage = "output format: " + strings.Join(report.Formats(), ", ") +
		" (default text); FORMAT=FILE writes that format to FILE as well (repeatable, e.g. -o github -o sarif=out.sarif)"
	fs.StringVar(&o.outputFile, "output-file", "", "write the report to FILE instead of standard output")
}

func knownFormat(format string) error {
	if !slices.Contains(report.Formats(), format) {
		return usageError("unknown output format %q (want %s)", format, strings.Join(report.Formats(), ", "))
	}
	return nil
}

// validate reads -o into one format for standard output and any number of files.
func (o *outputFlags) validate() error {
	var plain []string
	paths := map[string]string{}
	o.extra = nil
	for _, v := range o.formats {
		format, path, toFile := strings.Cut(v, "=")
		if err := knownFormat(format); err != nil {
			return err
		}
		if !toFile {
			plain = append(plain, format)
			continue
		}
		if !o.files {
			return usageError("-o %s: this command writes its report to standard output only", v)
		}
		if path == "" {
			return usageError("-o %s: no file after =", v)
		}
		if prev, ok := paths[filepath.Clean(path)]; ok {
			return usageError("-o %s: %s is already the file of -o %s", v, path, prev)
		}
		paths[filepath.Clean(path)] = v
		o.extra = append(o.extra, fileOutput{format: format, path: path})
	}
	if len(plain) > 1 {
		return usageError("-o %s: only one format can go to standard output; write the others to files with -o FORMAT=FILE", strings.Join(plain, " -o "))
	}
	o.stdout = "text"
	if len(plain) == 1 {
		o.stdout = plain[0]
	}
	if o.outputFile != "" {
		if prev, ok := paths[filepath.Clean(o.outputFile)]; ok {
			return usageError("--output-file %s: already the file of -o %s", o.outputFile, prev)
		}
	}
	o.min = finding.Suggestion
	if o.minLevel != "" {
		l, err := finding.ParseLevel(o.minLevel, false)
		if err != nil {
			return usageError("--min-level: %v", err)
		}
		o.min = l
	}
	if !slices.Contains([]string{"auto", "always", "never"}, o.color) {
		return usageError("--color %q: want %s", o.color, colorModes)
	}
	if o.noColor && o.color == "always" {
		return usageError("--no-color and --color always contradict each other")
	}
	return nil
}

// colors says whether text on standard output and text in files is coloured. An explicit
// --color wins; with auto, NO_COLOR (set and not empty) turns colours off, FORCE_COLOR (set,
// and not empty, 0 or false) turns them on, and otherwise a terminal gets them. A file gets
// colours only with --color always.
func (o *outputFlags) colors(env *Env) (stdout, files bool) {
	switch {
	case o.noColor || o.color == "never":
		return false, false
	case o.color == "always":
		return true, true
	case env.Getenv("NO_COLOR") != "":
		return false, false
	}
	if force := env.Getenv("FORCE_COLOR"); force != "" && force != "0" && force != "false" {
		return true, false
	}
	return env.IsTerminal(), false
}

// publisher writes the report in every format asked for: one to standard output (or to
// --output-file), the others to their files. It implements report.Reporter, so that check and
// apply publish through it unchanged.
type publisher struct {
	stdout report.Reporter
	// stdoutFile is --output-file: the standard output format goes there instead.
	stdoutFile string
	files      []fileReporter
	min        finding.Level
}

type fileReporter struct {
	path string
	rep  report.Reporter
}

// publisher builds the reporters. Relative file names are relative to the working directory,
// as the paths to check are.
func (o *outputFlags) publisher(env *Env, set *rules.Set) (*publisher, error) {
	colorOut, colorFiles := o.colors(env)
	opts := func(color bool, width int) report.Options {
		return report.Options{Color: color, Width: width, Quiet: o.quiet, Rules: set, Version: env.Build.Version, WorkDir: env.Dir,
			StepSummary: env.Getenv("GITHUB_STEP_SUMMARY"), Source: report.GitHubSource(env.Getenv)}
	}
	p := &publisher{min: o.min}
	var err error
	width := env.width() // a terminal's; files keep to the default
	if o.outputFile != "" {
		p.stdoutFile = o.outputFile
		colorOut, width = colorFiles, 0
	}
	if p.stdout, err = report.New(o.stdout, opts(colorOut, width)); err != nil {
		return nil, usageError("%v", err)
	}
	for _, f := range o.extra {
		r, err := report.New(f.format, opts(colorFiles, 0))
		if err != nil {
			return nil, usageError("%v", err)
		}
		p.files = append(p.files, fileReporter{path: f.path, rep: r})
	}
	return p, nil
}

// Publish implements report.Reporter: w is standard output.
func (p *publisher) Publish(w io.Writer, rep *finding.Report) error {
	shown := p.shown(rep)
	var errs []error
	if p.stdoutFile != "" {
		errs = append(errs, writeReportFile(p.stdoutFile, p.stdout, shown))
	} else if err := p.stdout.Publish(w, shown); err != nil {
		errs = append(errs, err)
	}
	for _, f := range p.files {
		errs = append(errs, writeReportFile(f.path, f.rep, shown))
	}
	return errors.Join(errs...)
}

// shown is the report as the outputs show it: without the findings below --min-level, which
// the summary still counts (Summary.Hidden says how many are not listed).
func (p *publisher) shown(rep *finding.Report) *finding.Report {
	if p.min <= finding.Suggestion {
		return rep
	}
	out := *rep
	out.Findings = make([]finding.Finding, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		if f.Level >= p.min {
			out.Findings = append(out.Findings, f)
		}
	}
	out.Summary.Hidden = len(rep.Findings) - len(out.Findings)
	return &out
}

func writeReportFile(path string, r report.Reporter, rep *finding.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err // names the file already
	}
	if err := r.Publish(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// publishFailure writes, for an error that stopped the run before any file was read, a
// report holding only that failure: in a machine format on standard output, and in every
// format asked for in a file, so that a pipeline reading the SARIF, JSON or JUnit file finds
// a valid document that says what went wrong. The flags may be what failed: only the formats
// that could be read are written.
func (o *outputFlags) publishFailure(env *Env, cause error) {
	r := &finding.Report{Failures: []finding.Failure{{Message: cause.Error()}}}
	r.Finish()
	opts := report.Options{Version: env.Build.Version, WorkDir: env.Dir}
	write := func(format, path string) {
		rep, err := report.New(format, opts)
		if err != nil {
			return
		}
		if path == "" {
			_ = rep.Publish(env.Stdout, r) // best effort: the error itself also goes to standard error
			return
		}
		_ = writeReportFile(path, rep, r)
	}
	stdout := "text"
	for _, v := range o.formats {
		if !strings.Contains(v, "=") {
			stdout = v
		}
	}
	switch {
	case o.outputFile != "":
		write(stdout, o.outputFile)
	case stdout != "text":
		write(stdout, "")
	}
	if o.files {
		for _, v := range o.formats {
			if format, path, ok := strings.Cut(v, "="); ok && path != "" {
				write(format, path)
			}
		}
	}
}
