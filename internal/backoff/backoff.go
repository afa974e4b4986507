// Package backoff is the one backoff of Relais, shared by the Webex client (webexapi) and the
// bot: a capped exponential wait, jittered where many waiters must not retry together, never
// shorter than the Retry-After a server asked for, and a wait that ends with its context.
package backoff

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Policy is a capped exponential backoff: Base before the first retry, doubled for each
// following one, never more than Cap.
type Policy struct {
	// Base is the wait before the first retry.
	Base time.Duration
	// Cap caps one wait (zero: no cap). A Retry-After (After) may exceed it.
	Cap time.Duration
	// Jitter draws each wait uniformly in [d/2, d] instead of d, so that clients that failed
	// together do not come back together. Without it the waits are exact, so that jobs made
	// due by one failure keep their order.
	Jitter bool
}

// Delay returns the wait before retry number attempt (1-based): d = min(Cap, Base·2^(attempt-1)),
// or a random duration in [d/2, d] with Jitter.
func (p Policy) Delay(attempt int) time.Duration {
	d := p.Base
	if d <= 0 {
		return 0
	}
	for i := 1; i < attempt && (p.Cap <= 0 || d < p.Cap) && d <= math.MaxInt64/2; i++ {
		d *= 2
	}
	if p.Cap > 0 && d > p.Cap {
		d = p.Cap
	}
	if !p.Jitter {
		return d
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(d-half+1)
}

// After is the wait before retry number attempt when the server may have asked for one: its
// Retry-After (zero when it named none) when it gave one, whatever the cap, else Delay(attempt).
// The server's word is the floor of the next try and is taken as it is: a backoff grown over
// earlier failures does not stretch it.
func (p Policy) After(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	return p.Delay(attempt)
}

// Sleep waits d unless ctx ends first, and then returns ctx's error.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
