package webexapi

import (
	"context"
	"sync/atomic"
	"time"
)

// CallTime adds up the time spent in Webex calls made with a context from WithCallTime: from
// the request to the decoded answer, retries, their waits and the token's refresh included. It
// lets a caller tell its own time from Webex's.
type CallTime struct{ ns atomic.Int64 }

type callTimeKey struct{}

// WithCallTime returns a context whose Webex calls are timed into the returned CallTime.
func WithCallTime(ctx context.Context) (context.Context, *CallTime) {
	ct := &CallTime{}
	return context.WithValue(ctx, callTimeKey{}, ct), ct
}

// Total is the time spent in the calls so far. Calls made concurrently each count in full.
func (c *CallTime) Total() time.Duration { return time.Duration(c.ns.Load()) }

func (c *CallTime) add(d time.Duration) { c.ns.Add(int64(d)) }

func callTimeOf(ctx context.Context) *CallTime {
	ct, _ := ctx.Value(callTimeKey{}).(*CallTime)
	return ct
}
