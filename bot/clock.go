package bot

import "time"

// The bot has one clock, b.now (Deps.Now; the runtime's r.now): every instant it decides on,
// every due time, every duration it reports comes from it, so that the tests and
// `relais demo --now` can move it.
//
// Two kinds of stamp come from outside and are wall-clock time, whatever the bot's clock says:
// webexapi.Event.Ready (the listener's and the webhook receiver's) and the store's own
// CreatedAt/UpdatedAt. A duration measured against such a stamp, and a new stamp meant to be
// compared with them, use wallNow and wallSince below: the only readings of the wall clock in
// this package (clock_test.go holds that).

// wallNow is the wall clock, for stamps compared with the listener's and the store's.
func wallNow() time.Time { return time.Now() }

// wallSince is how long ago a wall-clock stamp was.
func wallSince(t time.Time) time.Duration { return time.Since(t) }
