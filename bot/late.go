package bot

import (
	"errors"
	"time"
)

// A message handled late (Relais was stopped, disconnected, or the message came back through
// the catch-up) is handled as of now, by the dialogue's own rules: the dialogue expires by the
// clock of now, a meeting never starts less than the minimum lead from now, and the person is
// told that Relais was unavailable and since when (conversations.Input.Late).

// errTooSoon refuses a meeting whose start is now too close (a confirmation handled late).
var errTooSoon = errors.New("the meeting would start too soon from now")

// tooSoon reports whether a meeting starting at start is now too close to be created.
func (b *Bot) tooSoon(start time.Time) bool {
	return start.Sub(b.now()) <= b.minLead()
}

func (b *Bot) minLead() time.Duration {
	if b.cfg.Dialogue.MinLead > 0 {
		return b.cfg.Dialogue.MinLead
	}
	return 15 * time.Minute
}

// lateSince returns when a message written at created started waiting, if it is handled late
// (more than Config.LateAfter after it was written); zero otherwise.
func (b *Bot) lateSince(created string) time.Time {
	at, err := time.Parse(time.RFC3339Nano, created)
	if err != nil || at.IsZero() {
		return time.Time{}
	}
	if b.now().Sub(at) <= b.cfg.LateAfter {
		return time.Time{}
	}
	return at.UTC()
}
