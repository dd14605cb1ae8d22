package linter

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// What an evaluation is doing, for the message when it has to be stopped: the rule package it
// is evaluating (the engine's query calls evaluatingName before each package, and its built-in
// records the name here), and whether the memory watchdog stopped it.

// evaluatingName is the built-in the engine's query calls with each rule package's name before
// evaluating it.
const evaluatingName = "ssmpolicy.engine.evaluating"

// evalState is one evaluation's record, carried in its context. key is the engine's secret
// that the query passes to evaluatingName: a custom rule may call the built-in too, but cannot
// know the key, so it cannot make a timeout blame another rule.
type evalState struct {
	key      string
	pkg      atomic.Pointer[string]
	overHeap atomic.Bool
}

// newKey is a random key for an engine's query.
func newKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("engine key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

type evalStateKey struct{}

func (s *evalState) current() string {
	if p := s.pkg.Load(); p != nil {
		return *p
	}
	return ""
}

func evaluatingDecl() *rego.Function {
	return &rego.Function{
		Name:        evaluatingName,
		Description: "Records the rule package the engine evaluates next, so that a timeout can name it; true.",
		Decl:        types.NewFunction(types.Args(types.Named("package", types.S), types.Named("key", types.S)), types.Named("ok", types.B)),
	}
}

// evaluating is the implementation of evaluatingName.
func evaluating(bctx rego.BuiltinContext, pkg, key *ast.Term) (*ast.Term, error) {
	if s, ok := bctx.Context.Value(evalStateKey{}).(*evalState); ok && key.Value.Compare(ast.String(s.key)) == 0 {
		if name, ok := pkg.Value.(ast.String); ok {
			n := string(name)
			s.pkg.Store(&n)
		}
	}
	return ast.BooleanTerm(true), nil
}

// DefaultMemoryLimit is the heap size past which the evaluation of the rules on one target is
// stopped. A check of a typical policy needs a few MiB.
const DefaultMemoryLimit = 1 << 30

// heapSampleEvery is how often the watchdog reads the heap size while an evaluation runs; an
// evaluation shorter than that (the usual case) is never sampled.
const heapSampleEvery = 10 * time.Millisecond

// heapMetric is the memory occupied by heap objects, live or not yet swept.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heapWatch stops one evaluation, by cancelling its context, when the heap grows past a limit
// while it runs. The heap is the process's: when several targets are evaluated at once, only
// those running longer than heapSampleEvery look at it, and a rule that makes the heap grow
// that fast is almost always the one running longest.
type heapWatch struct {
	limit   uint64
	cancel  context.CancelFunc
	state   *evalState
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	sample  [1]metrics.Sample
}

func watchHeap(limit uint64, state *evalState, cancel context.CancelFunc) *heapWatch {
	w := &heapWatch{limit: limit, cancel: cancel, state: state}
	w.sample[0].Name = heapMetric
	w.mu.Lock()
	w.timer = time.AfterFunc(heapSampleEvery, w.check)
	w.mu.Unlock()
	return w
}

func (w *heapWatch) check() {
	metrics.Read(w.sample[:])
	if v := w.sample[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > w.limit {
		w.state.overHeap.Store(true)
		w.cancel()
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.timer.Reset(heapSampleEvery)
	}
}

// stop ends the watch; the evaluation is over.
func (w *heapWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}
