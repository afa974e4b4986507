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

// stillMine reports whether a claimed job is still pending and leased to this worker, so that
// a job that waited too long in a lane is not run twice.
func (b *Bot) stillMine(ctx context.Context, it store.OutboxItem) bool {
	cur, err := b.store.GetOutboxItem(ctx, it.Key)
	if err != nil {
		return true // cannot tell: running twice beats never running
	}
	return cur.Status == store.OutboxPending && cur.LeaseOwner == b.cfg.Owner && cur.LeaseUntil.After(b.now())
}
