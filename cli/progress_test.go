package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/linter"
)

// lockedBuffer is a buffer the progress goroutine and the test can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressLineIsDrawnAndErased(t *testing.T) {
	var out lockedBuffer
	p := &progress{counts: &linter.Progress{}, w: &out, delay: 0, every: time.Millisecond}
	p.start()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "checking:") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	p.stop()
	got := out.String()
	if !strings.HasPrefix(got, eraseLine+"checking: 0 files read, 0 targets checked, 0 findings so far") || !strings.HasSuffix(got, eraseLine) {
		t.Errorf("progress wrote %q: want lines drawn over each other, then erased", got)
	}
	if strings.Contains(got, "\n") {
		t.Errorf("progress wrote a line break: %q", got)
	}
}

func TestProgressQuietOnShortRuns(t *testing.T) {
	var out lockedBuffer
	p := &progress{counts: &linter.Progress{}, w: &out, delay: time.Hour, every: time.Millisecond}
	p.start()
	p.stop()
	if got := out.String(); got != "" {
		t.Errorf("a run shorter than the delay drew %q", got)
	}
}

// The progress line is for people at a terminal: never in a machine format, never when
// standard error is a file or a pipe.
func TestProgressOnlyOnATerminalWithText(t *testing.T) {
	for _, c := range []struct {
		output   string
		terminal bool
		want     bool
	}{{"text", true, true}, {"json", true, false}, {"sarif", true, false}, {"github", true, false}, {"text", false, false}} {
		env, _, _ := testEnv(t.TempDir(), "")
		env.StderrIsTerminal = func() bool { return c.terminal }
		f := checkFlags{out: outputFlags{formats: []string{c.output}, color: "auto"}, timeout: linter.DefaultTimeout, memoryMiB: linter.DefaultMemoryLimit >> 20}
		cmd := &cobra.Command{}
		cmd.SetContext(context.Background())
		s, err := f.build(cmd, &env)
		if err != nil {
			t.Fatal(err)
		}
		if s.progress != c.want {
			t.Errorf("-o %s, stderr a terminal %v: progress %v, want %v", c.output, c.terminal, s.progress, c.want)
		}
	}
}
