package conversations

import (
	"testing"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/rrule"
)

// Any rule Webex may give back (the sweep reads a series from Webex) is said, with its first
// dates, in both languages without a panic.
func FuzzDescribeRule(f *testing.F) {
	for _, s := range []string{"FREQ=WEEKLY;COUNT=4", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261201", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
		"FREQ=MONTHLY;BYDAY=5MO;COUNT=60", "FREQ=DAILY;INTERVAL=999", "FREQ=WEEKLY;BYDAY=SA,SU,MO;INTERVAL=3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := rrule.Parse(s); err != nil {
			return
		}
		start := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
		m := MeetingDetails{Title: "T", Start: start, End: start.Add(time.Hour), TimeZone: "America/Toronto", Recurrence: s, Designate: jeanDupont, Organizer: alex}
		for _, l := range []nlu.Lang{nlu.French, nlu.English} {
			if seriesLines(l, m) == "" || msgSeriesCreated(l, m, true) == "" {
				t.Fatalf("%q accepted but not said", s)
			}
		}
	})
}
