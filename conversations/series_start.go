package conversations

import (
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// SeriesStart tells, for a message that describes a series (« chaque mardi à 10 h »), its first
// occurrence — the first day of the rule on or after the start said — and the RRULE the dialogue
// would give Webex ("" when Webex would refuse it). ok is false for one meeting, or when the
// start is not known. `relais parse` shows them.
func SeriesStart(u nlu.Understanding, now time.Time, loc *time.Location) (first time.Time, rule string, ok bool) {
	if u.Recurrence == nil || u.Recurrence.Freq == nlu.Once {
		return time.Time{}, "", false
	}
	if loc == nil {
		loc = time.UTC
	}
	start, ok := u.Start(now, loc)
	if !ok {
		return time.Time{}, "", false
	}
	r := *u.Recurrence
	d := &dialogue{st: State{Lang: u.Lang, Draft: Draft{Recurrence: &r}}, now: now.In(loc), loc: loc, cfg: DefaultConfig()}
	first = d.firstOccurrence(start.In(loc))
	if rr, _, ok := d.rule(first); ok {
		rule = rr.String()
	}
	return first, rule, true
}
