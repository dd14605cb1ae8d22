package linter

import (
	"cmp"
	"container/heap"
	"sync"

	"github.com/ssmpolicy/ssmpolicy/finding"
)

// The order of the output. A run writes its findings in the order of finding.Compare (and
// its suppressed findings in that of finding.CompareSuppressed) as the jobs finish, without
// holding them all. Each job gets a sequence number when it is sent and a floor: no finding
// of that job, nor of any job sent after it, is in a file whose name sorts before the floor.
// The jobs' results are taken in sequence order (a bounded reorder buffer: the producer waits
// when the jobs sent and not yet taken reach the window), and a finding is written once every
// job not yet taken has a floor above its file. Where the files a job's findings land in
// cannot be known before it runs (manifest targets, standard input, a file that may be a
// manifest), its floor is "", which holds what it and the jobs after it find until it is
// taken (see docs/performance.md).

// slot is the result of one job, gathered while it runs.
type slot struct {
	floor      string
	done       bool
	findings   []finding.Finding
	suppressed []finding.Suppressed
}

// orderer is the reorder buffer and the merge of the results in output order. It is safe for
// concurrent use.
type orderer struct {
	mu     sync.Mutex
	space  *sync.Cond
	window int
	next   int // the sequence number of the next job sent
	head   int // the lowest sequence number not yet taken
	slots  map[int]*slot
	// future is the floor of the jobs not sent yet; sentAll says no more will be sent, ended
	// that the run is over.
	future  string
	sentAll bool
	ended   bool
	// blocked holds everything back while it is above zero (until every configuration of the
	// run is known); stopped drops what comes after a stop.
	blocked int
	stopped bool
	// late counts the findings that came below their job's floor: they could not be put in
	// order (a file changed while the run read it).
	late     int
	lateFile string

	held    held[finding.Finding]
	heldSup held[finding.Suppressed]
	order   int // tie-break: the order findings were taken in
	emit    sink
}

// sink receives the findings in output order, one at a time, from one goroutine at a time.
type sink interface {
	finding(finding.Finding)
	suppressed(finding.Suppressed)
}

// newOrderer makes an orderer that hands the findings to emit in output order, and makes the
// producer wait when window jobs are pending. emit is called with the orderer's lock held: it
// must not call the orderer.
func newOrderer(window int, emit sink) *orderer {
	o := &orderer{window: max(window, 1), slots: map[int]*slot{}, emit: emit,
		held: held[finding.Finding]{less: finding.Compare}, heldSup: held[finding.Suppressed]{less: finding.CompareSuppressed}}
	o.space = sync.NewCond(&o.mu)
	return o
}

// reserve gives the next job its sequence number and floor, waiting while the window is full.
// It returns false once the run is stopped.
func (o *orderer) reserve(floor string) (int, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.next-o.head >= o.window && !o.stopped {
		o.space.Wait()
	}
	if o.stopped {
		return 0, false
	}
	seq := o.next
	o.next++
	o.slots[seq] = &slot{floor: floor}
	return seq, true
}

// setFuture says that no job still to be sent finds anything in a file sorting before floor.
func (o *orderer) setFuture(floor string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.future = floor
	o.flush()
}

// add records findings of job seq.
func (o *orderer) add(seq int, fs []finding.Finding, ss []finding.Suppressed) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.slots[seq]
	if s == nil || o.stopped {
		return
	}
	s.findings = append(s.findings, fs...)
	s.suppressed = append(s.suppressed, ss...)
}

// push adds findings that belong to no job (the expired suppressions of a configuration).
func (o *orderer) push(fs []finding.Finding) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, f := range fs {
		o.order++
		o.held.add(f, o.order)
	}
	o.flush()
}

// done says job seq has finished: the jobs done from the head on are taken, and what no job
// still pending can precede is written.
func (o *orderer) done(seq int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if s := o.slots[seq]; s != nil {
		s.done = true
	}
	for s := o.slots[o.head]; s != nil && s.done; s = o.slots[o.head] {
		o.take(s)
		delete(o.slots, o.head)
		o.head++
	}
	o.space.Broadcast()
	o.flush()
}

// block holds everything back until unblock is called as many times.
func (o *orderer) block(n int) {
	o.mu.Lock()
	o.blocked += n
	o.mu.Unlock()
}

func (o *orderer) unblock() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.blocked--
	o.flush()
}

// sent says the producer has sent every job.
func (o *orderer) sent() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sentAll = true
	o.flush()
}

// finish ends the run: everything left is written. With stop, the run was stopped: what the
// jobs still running found so far is written too, and nothing after.
func (o *orderer) finish(stop bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ended = true
	if stop {
		for seq := o.head; seq < o.next; seq++ {
			if s := o.slots[seq]; s != nil {
				o.take(s)
			}
		}
		clear(o.slots)
		o.head = o.next
		o.stopped = true
		o.space.Broadcast()
	}
	o.flush()
}

// take moves a job's findings into the merge.
func (o *orderer) take(s *slot) {
	for _, f := range s.findings {
		if f.File < s.floor {
			o.late++
			o.lateFile = f.File
		}
		o.order++
		o.held.add(f, o.order)
	}
	for _, f := range s.suppressed {
		o.order++
		o.heldSup.add(f, o.order)
	}
	s.findings, s.suppressed = nil, nil
}

// flush writes what no pending job can precede: the findings in files sorting before the
// lowest floor still pending, merged as report.Stream wants them (a suppressed finding first
// only when it is strictly before the finding by file and position).
func (o *orderer) flush() {
	if o.blocked > 0 && !o.ended {
		return
	}
	bound, all := o.future, o.sentAll || o.ended
	if s := o.slots[o.head]; s != nil && !o.ended {
		bound, all = s.floor, false
	}
	below := func(file string) bool { return all || file < bound }
	for {
		f, hasF := o.held.peek()
		s, hasS := o.heldSup.peek()
		hasF = hasF && below(f.File)
		hasS = hasS && below(s.File)
		switch {
		case hasS && (!hasF || cmp.Or(cmp.Compare(s.File, f.File), cmp.Compare(s.Start.Offset, f.Start.Offset)) < 0):
			heap.Pop(&o.heldSup)
			o.emit.suppressed(s)
		case hasF:
			heap.Pop(&o.held)
			o.emit.finding(f)
		default:
			return
		}
	}
}

// held is a min-heap in output order (by less); items that compare equal (the same finding
// made twice) come out in the order they were taken.
type held[T any] struct {
	items []heldItem[T]
	less  func(a, b T) int
}

type heldItem[T any] struct {
	v     T
	order int
}

func (h *held[T]) Len() int { return len(h.items) }
func (h *held[T]) Less(i, j int) bool {
	return cmp.Or(h.less(h.items[i].v, h.items[j].v), cmp.Compare(h.items[i].order, h.items[j].order)) < 0
}
func (h *held[T]) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *held[T]) Push(x any)    { h.items = append(h.items, x.(heldItem[T])) }
func (h *held[T]) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// add takes v, the order-th item taken.
func (h *held[T]) add(v T, order int) { heap.Push(h, heldItem[T]{v, order}) }

// peek is the first item in output order, without taking it.
func (h *held[T]) peek() (T, bool) {
	if len(h.items) == 0 {
		var zero T
		return zero, false
	}
	return h.items[0].v, true
}

// lateFindings is how many findings came below their job's floor, and the file of the last.
func (o *orderer) lateFindings() (int, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.late, o.lateFile
}
