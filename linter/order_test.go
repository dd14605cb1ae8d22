package linter

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
)

// recorder is a sink that keeps what it is given, in order.
type recorder struct {
	got []string
}

func (r *recorder) finding(f finding.Finding)       { r.got = append(r.got, f.File+":"+f.Rule) }
func (r *recorder) suppressed(s finding.Suppressed) { r.got = append(r.got, s.File+":~"+s.Rule) }

func at(file, rule string, offset int) finding.Finding {
	return finding.Finding{File: file, Rule: rule, Start: jsonpos.Pos{Offset: offset}}
}

// TestOrdererOutOfOrder finishes jobs out of order and checks that a finding is written only
// once no pending job can precede it, and that the whole output is in report order.
func TestOrdererOutOfOrder(t *testing.T) {
	rec := &recorder{}
	o := newOrderer(8, rec)
	files := []string{"a.json", "b.json", "c.json", "d.json"}
	for i, f := range files {
		seq, ok := o.reserve(f)
		if !ok || seq != i {
			t.Fatalf("reserve %s = %d, %v", f, seq, ok)
		}
	}
	o.sent()
	// Each job finds two things in its own file, the second first.
	for i, f := range files {
		o.add(i, []finding.Finding{at(f, "z", 9), at(f, "y", 1)}, nil)
	}
	o.done(2)
	o.done(1)
	if len(rec.got) != 0 {
		t.Fatalf("written while job 0 is pending: %v", rec.got)
	}
	o.done(0)
	// Jobs 0 to 2 are taken; job 3 (d.json) is pending, so c.json can be written too.
	want := []string{"a.json:y", "a.json:z", "b.json:y", "b.json:z", "c.json:y", "c.json:z"}
	if !slices.Equal(rec.got, want) {
		t.Fatalf("after job 0: %v, want %v", rec.got, want)
	}
	o.done(3)
	o.finish(false)
	want = append(want, "d.json:y", "d.json:z")
	if !slices.Equal(rec.got, want) {
		t.Errorf("at the end: %v, want %v", rec.got, want)
	}
}

// TestOrdererUnknownFloor checks that a job whose findings can be anywhere (floor "") holds
// back the findings of the jobs after it until it is taken, and that findings below their
// floor are counted as late rather than lost.
func TestOrdererUnknownFloor(t *testing.T) {
	rec := &recorder{}
	o := newOrderer(8, rec)
	m, _ := o.reserve("")       // a manifest target: findings in the manifest and a policy file
	p, _ := o.reserve("z.json") // a plain file
	o.sent()
	o.add(p, []finding.Finding{at("z.json", "r", 0)}, nil)
	o.done(p)
	if len(rec.got) != 0 {
		t.Fatalf("written before the manifest target was taken: %v", rec.got)
	}
	o.add(m, []finding.Finding{at("m.yaml", "tier", 5), at("a/p.json", "r", 3)}, []finding.Suppressed{{File: "m.yaml", Rule: "s", Start: jsonpos.Pos{Offset: 1}}})
	o.done(m)
	o.finish(false)
	want := []string{"a/p.json:r", "m.yaml:~s", "m.yaml:tier", "z.json:r"}
	if !slices.Equal(rec.got, want) {
		t.Errorf("got %v, want %v", rec.got, want)
	}
	if n, _ := o.lateFindings(); n != 0 {
		t.Errorf("%d late findings, want 0", n)
	}

	late := newOrderer(8, &recorder{})
	seq, _ := late.reserve("b.json")
	late.add(seq, []finding.Finding{at("a.json", "r", 0)}, nil)
	late.done(seq)
	late.finish(false)
	if n, file := late.lateFindings(); n != 1 || file != "a.json" {
		t.Errorf("late = %d in %q, want 1 in a.json", n, file)
	}
}

// TestOrdererBounded checks that the producer waits when the window is full, and goes on
// once the job at the head is done.
func TestOrdererBounded(t *testing.T) {
	o := newOrderer(2, &recorder{})
	for i := range 2 {
		if _, ok := o.reserve(fmt.Sprintf("%d.json", i)); !ok {
			t.Fatal("reserve refused")
		}
	}
	got := make(chan int)
	go func() {
		seq, _ := o.reserve("2.json")
		got <- seq
	}()
	select {
	case seq := <-got:
		t.Fatalf("a third job (%d) was sent while two were pending in a window of two", seq)
	case <-time.After(100 * time.Millisecond):
	}
	o.done(1) // not the head: the window is still full
	select {
	case seq := <-got:
		t.Fatalf("job %d sent before the head was done", seq)
	case <-time.After(100 * time.Millisecond):
	}
	o.done(0)
	if seq := <-got; seq != 2 {
		t.Errorf("third job got %d, want 2", seq)
	}
	o.finish(true)
	if _, ok := o.reserve("3.json"); ok {
		t.Error("reserve after a stop succeeded")
	}
}

// TestWriterDedupes checks that a finding made twice is written once, and counted once.
func TestWriterDedupes(t *testing.T) {
	c := &collector{}
	w := &writer{out: c, configs: func() []finding.ConfigUsed { return nil }}
	o := newOrderer(4, w)
	a, _ := o.reserve("")
	b, _ := o.reserve("")
	o.sent()
	f := at("p.json", "principal-wildcard", 4)
	f.Level = finding.Error
	o.add(a, []finding.Finding{f}, nil)
	o.add(b, []finding.Finding{f, at("p.json", "action-wildcard", 4)}, nil)
	o.done(b)
	o.done(a)
	o.finish(false)
	if len(c.findings) != 2 || c.findings[0].Rule != "action-wildcard" || c.findings[1].Rule != "principal-wildcard" {
		t.Errorf("findings = %+v", c.findings)
	}
	if w.sum.Findings != 2 || w.sum.Error != 1 {
		t.Errorf("summary = %+v", w.sum)
	}
}
