package awsapi

import (
	"context"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Lookup answers the questions of one run about parameters and keys, asking AWS once per
// parameter ARN and once per key spelling however many targets name them and however many
// workers ask at once. Answers, errors included, are kept for the rest of the run.
type Lookup struct {
	c      *Clients
	params cache[Facts]
	keys   cache[string]
}

// NewLookup returns an empty lookup over the clients.
func NewLookup(c *Clients) *Lookup { return &Lookup{c: c} }

// Parameter is LookupParameter for a parameter ARN, asked once per run.
func (l *Lookup) Parameter(ctx context.Context, arn string) (Facts, error) {
	return l.params.get(arn, func() (Facts, error) { return LookupParameter(ctx, l.c.SSM, l.c.KMS, arn) })
}

// KeyARN is KeyARN for a key as written, asked once per run.
func (l *Lookup) KeyARN(ctx context.Context, key string) (string, error) {
	return l.keys.get(key, func() (string, error) { return KeyARN(ctx, l.c.KMS, key) })
}

// cache runs fn once per key: concurrent callers share the call in flight (singleflight), later
// ones the result kept.
type cache[T any] struct {
	group singleflight.Group
	done  sync.Map // key -> answer[T]
}

type answer[T any] struct {
	val T
	err error
}

func (c *cache[T]) get(key string, fn func() (T, error)) (T, error) {
	if a, ok := c.done.Load(key); ok {
		return a.(answer[T]).val, a.(answer[T]).err
	}
	v, _, _ := c.group.Do(key, func() (any, error) {
		// A call that ended between the Load above and this one left its answer.
		if a, ok := c.done.Load(key); ok {
			return a, nil
		}
		val, err := fn()
		a := answer[T]{val: val, err: err}
		c.done.Store(key, a)
		return a, nil
	})
	a := v.(answer[T])
	return a.val, a.err
}
