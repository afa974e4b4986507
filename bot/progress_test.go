package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The long fault and replica tests keep their size on every machine; their deadlines follow
// the work done instead of the wall clock: they fail only when nothing has progressed for
// stallTimeout (no event handled, no outbox row sent), so a slow machine makes them slower but
// not red, while a stuck bot still fails them.
const stallTimeout = 45 * time.Second

// progressCheck is how often the progress of a long test is looked at.
const progressCheck = 20 * time.Millisecond

// total is the number of events reported handled so far.
func (h *handledSignals) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total
}

// deadline returns a context that ends when no event has been reported handled for stall; each
// handled event pushes the deadline back.
func (h *handledSignals) deadline(parent context.Context, stall time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	go func() {
		last, lastAt := h.count(), time.Now()
		tick := time.NewTicker(progressCheck)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				if n := h.count(); n != last {
					last, lastAt = n, now
				} else if now.Sub(lastAt) > stall {
					cancel(fmt.Errorf("no event handled for %s (%d in all): %w", stall, n, context.DeadlineExceeded))
					return
				}
			}
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// waitProgressing waits until level() reaches want (the outbox depth coming down, say),
// failing the test only when neither level() nor the number of handled events has changed for
// stall. It must be called from the test's goroutine.
func waitProgressing(t *testing.T, h *handledSignals, stall time.Duration, level func() int, want int, what string) {
	t.Helper()
	last, lastEvents, lastAt := level(), h.count(), time.Now()
	tick := time.NewTicker(progressCheck)
	defer tick.Stop()
	for last != want {
		now := <-tick.C
		l, e := level(), h.count()
		switch {
		case l != last || e != lastEvents:
			last, lastEvents, lastAt = l, e, now
		case now.Sub(lastAt) > stall:
			t.Fatalf("%s: stuck at %d (want %d) with no progress for %s", what, last, want, stall)
		}
	}
}
