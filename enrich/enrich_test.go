package enrich_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ssmpolicy/ssmpolicy/enrich"
	"github.com/ssmpolicy/ssmpolicy/input"
)

type stage func(context.Context, *input.Target) error

func (s stage) Enrich(ctx context.Context, t *input.Target) error { return s(ctx, t) }

func TestRun(t *testing.T) {
	var ran []string
	step := func(name string, err error) enrich.Stage {
		return stage(func(context.Context, *input.Target) error { ran = append(ran, name); return err })
	}
	boom := errors.New("boom")
	err := enrich.Run(context.Background(), []enrich.Stage{step("a", nil), step("b", boom), step("c", nil)}, &input.Target{})
	if !errors.Is(err, boom) || strings.Join(ran, ",") != "a,b" {
		t.Fatalf("ran %v, error %v: want a then b, stopping at b's error", ran, err)
	}
	if err := enrich.Run(context.Background(), nil, &input.Target{}); err != nil {
		t.Fatalf("no stages: %v", err)
	}
}
