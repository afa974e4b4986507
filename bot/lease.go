package bot

import (
	"context"
	"sync"
	"time"

	"github.com/relaisbot/relais/store"
)

// leaseHold keeps an outbox item this replica is working on from being taken over by the
// poller (this replica's or another's) when the work outlasts the job lease, e.g. while a
// Retry-After is honoured: it pushes the item's due time a lease ahead every third of a lease.
type leaseHold struct {
	mu      sync.Mutex
	stopped bool
	done    chan struct{}
	wg      sync.WaitGroup
}

// holdLease starts holding item id, at once when it is due within half a lease. Call release
// before completing, retrying or failing the item: once release returns, the hold never touches
// the item again.
func (b *Bot) holdLease(ctx context.Context, id string, dueAt time.Time) *leaseHold {
	h := &leaseHold{done: make(chan struct{})}
	if id == "" {
		h.stopped = true
		close(h.done)
		return h
	}
	push := func() {
		if err := b.store.Retry(ctx, id, b.now().Add(b.cfg.Lease), "in progress"); err != nil {
			b.log.Warn().Err(err).Str("item", id).Msg("cannot extend the job's lease")
		}
	}
	if !dueAt.IsZero() && dueAt.Before(b.now().Add(b.cfg.Lease/2)) {
		push()
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(max(b.cfg.Lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			h.mu.Lock()
			if !h.stopped {
				push()
			}
			h.mu.Unlock()
		}
	}()
	return h
}

// release stops the hold (idempotent) and waits for a push in flight.
func (h *leaseHold) release() {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		h.wg.Wait()
		return
	}
	h.stopped = true
	close(h.done)
	h.mu.Unlock()
	h.wg.Wait()
}

// takenElsewhere reports whether an event's outbox item shows that it needs no handling here:
// finished already, or leased by another replica that is handling it.
func (b *Bot) takenElsewhere(it store.OutboxItem) bool {
	if it.Status != store.OutboxPending {
		return true
	}
	return it.LeaseOwner != "" && it.LeaseOwner != b.cfg.Owner && it.LeaseUntil.After(b.now())
}
