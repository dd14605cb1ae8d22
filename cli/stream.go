package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/fix"
	"github.com/ssmpolicy/ssmpolicy/linter"
	"github.com/ssmpolicy/ssmpolicy/report"
)

// streamCheck runs the check with the report written as it goes to every output, so that
// memory does not grow with the number of findings. It returns the report without its
// findings, and whether a finding fails its project's fail-on.
func (s *setup) streamCheck(cmd *cobra.Command, env *Env, pub *publisher, more linter.RunOptions) (*finding.Report, bool, error) {
	plan := fix.NewPlan(s.set)
	more.Visit = plan.Visit
	out := pub.open(env.Stdout)
	cs := &checkStream{outs: out, plan: plan, min: pub.min, failOn: s.projects.failOn}
	opts, stop := s.options(env, s.paths, s.flags.workers, more)
	defer stop()
	def, _ := s.projects.defaultProject()                        // read by build already
	rep, _ := def.Profile.Engine.Stream(cmd.Context(), opts, cs) // cs keeps the outputs' errors
	return rep, cs.fails, errors.Join(append(cs.errs(), out.close()...)...)
}

// checkStream is the stream of a check: it marks the findings --fix would fix (file by file,
// from the fix plan, whose fixes for a file are all in by the time its first finding comes),
// keeps the findings below --min-level out of the outputs (the summary counts them as
// hidden), notes whether a finding fails its file's fail-on, and writes to every output.
type checkStream struct {
	outs   *outputs
	plan   *fix.Plan
	min    finding.Level
	failOn func(file string) finding.Level

	file    string // the file of the findings last seen, and what is known of it
	fixable map[finding.Key]bool
	fail    finding.Level

	fails         bool
	fixed, hidden int
	started       bool
}

func (c *checkStream) Begin(m report.Meta) error {
	c.outs.each(func(s report.Stream) error { return s.Begin(m) })
	return nil
}

func (c *checkStream) Finding(f finding.Finding) error {
	if !c.started || f.File != c.file {
		c.started, c.file, c.fail = true, f.File, c.failOn(f.File)
		c.fixable = map[finding.Key]bool{}
		for _, fd := range c.plan.Take(f.File).Fixed {
			c.fixable[fd.Key()] = true
		}
	}
	if c.fixable[f.Key()] {
		f.Fixable = true
		c.fixed++
	}
	c.fails = c.fails || f.Level >= c.fail
	if f.Level < c.min {
		c.hidden++
		return nil
	}
	c.outs.each(func(s report.Stream) error { return s.Finding(f) })
	return nil
}

func (c *checkStream) Suppressed(sf finding.Suppressed) error {
	c.outs.each(func(s report.Stream) error { return s.Suppressed(sf) })
	return nil
}

func (c *checkStream) End(sum finding.Summary, failures []finding.Failure) error {
	sum.Fixable, sum.Hidden = c.fixed, c.hidden
	c.outs.each(func(s report.Stream) error { return s.End(sum, failures) })
	return nil
}

func (c *checkStream) errs() []error { return c.outs.errs }

// outputs are the streams of every output of a check: standard output (or --output-file)
// and the -o FORMAT=FILE files. An output that fails is written no more; the others go on.
type outputs struct {
	streams []report.Stream
	names   []string // the file of each stream; "" for standard output
	files   []*os.File
	failed  []bool
	errs    []error
}

// open creates the files of the outputs and starts a stream on each. A file that cannot be
// created is an error of the run, and the other outputs are still written.
func (p *publisher) open(stdout io.Writer) *outputs {
	o := &outputs{}
	add := func(path string, r report.Reporter) {
		w := stdout
		if path != "" {
			f, err := os.Create(path)
			if err != nil {
				o.errs = append(o.errs, err) // names the file already
				return
			}
			o.files, w = append(o.files, f), f
		}
		o.streams, o.names, o.failed = append(o.streams, r.Stream(w)), append(o.names, path), append(o.failed, false)
	}
	add(p.stdoutFile, p.stdout)
	for _, f := range p.files {
		add(f.path, f.rep)
	}
	return o
}

func (o *outputs) each(write func(report.Stream) error) {
	for i, s := range o.streams {
		if o.failed[i] {
			continue
		}
		if err := write(s); err != nil {
			o.failed[i] = true
			if o.names[i] != "" {
				err = fmt.Errorf("%s: %w", o.names[i], err)
			}
			o.errs = append(o.errs, err)
		}
	}
}

// close closes the files, returning what failed.
func (o *outputs) close() []error {
	var errs []error
	for _, f := range o.files {
		if err := f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name(), err))
		}
	}
	return errs
}
