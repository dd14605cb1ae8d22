package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/ssmpolicy/ssmpolicy/linter"
)

const (
	// progressDelay is how long a run goes before it shows progress: a short run shows none.
	progressDelay = 2 * time.Second
	// progressEvery is how often the line is redrawn.
	progressEvery = 200 * time.Millisecond
	// eraseLine returns to the start of the line and clears it.
	eraseLine = "\r\x1b[K"
)

// progress draws one line on a terminal's standard error while a run goes on — the files
// read, the targets checked and the findings so far — from counters the run updates, and
// erases it when the run ends, before the report is written.
type progress struct {
	counts       *linter.Progress
	w            io.Writer
	delay, every time.Duration
	done, ended  chan struct{}
}

// startProgress starts the line on w, a terminal.
func startProgress(w io.Writer) *progress {
	p := &progress{counts: &linter.Progress{}, w: w, delay: progressDelay, every: progressEvery}
	p.start()
	return p
}

func (p *progress) start() {
	p.done, p.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.ended)
		wait := time.NewTimer(p.delay)
		defer wait.Stop()
		select {
		case <-p.done:
			return
		case <-wait.C:
		}
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			fmt.Fprint(p.w, eraseLine+p.line())
			select {
			case <-p.done:
				fmt.Fprint(p.w, eraseLine)
				return
			case <-tick.C:
			}
		}
	}()
}

// stop erases the line, if it was drawn, and returns once it is gone.
func (p *progress) stop() {
	close(p.done)
	<-p.ended
}

func (p *progress) line() string {
	files, targets, findings := p.counts.Counts()
	return fmt.Sprintf("checking: %d %s read, %d %s checked, %d %s so far",
		files, plural(int(files), "file", "files"), targets, plural(int(targets), "target", "targets"),
		findings, plural(int(findings), "finding", "findings"))
}
