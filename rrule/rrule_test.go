package rrule

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAcceptsWebexForms(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"FREQ=DAILY;INTERVAL=1;COUNT=10":                       "FREQ=DAILY;INTERVAL=1;COUNT=10",
		"RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6":                   "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5":              "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5",
		"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261219":      "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261219T235959Z",
		"FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10,11,12": "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=10;COUNT=10",
		"FREQ=MONTHLY;BYDAY=2TU":                               "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU",
		"FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=23;COUNT=3":          "FREQ=YEARLY;INTERVAL=1;BYMONTHDAY=23;BYMONTH=6;COUNT=3",
		"FREQ=DAILY;INTERVAL=1;UNTIL=21241001T000000Z":         "FREQ=DAILY;INTERVAL=1;UNTIL=21241001T000000Z",
	} {
		r, err := Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, r.String(), in)
	}
}

func TestParseRefusesWhatWebexRefuses(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "FREQ=HOURLY", "FREQ=MINUTELY;COUNT=3", "INTERVAL=2", "FREQ=DAILY;BYHOUR=9",
		"FREQ=DAILY;COUNT=3;UNTIL=20270101", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=2TU",
		"FREQ=DAILY;INTERVAL=0", "FREQ=YEARLY;COUNT=6", "FREQ=MONTHLY;COUNT=61", "FREQ=WEEKLY;COUNT=262",
		"FREQ=DAILY;UNTIL=tomorrow", "FREQ=DAILY;FREQ=WEEKLY", "FREQ",
	} {
		_, err := Parse(in)
		assert.True(t, errors.Is(err, ErrInvalid), "%q: %v", in, err)
	}
}

func TestOccurrences(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	day := func(t time.Time) string { return t.Format("Mon 2006-01-02 15:04 MST") }
	days := func(ts []time.Time) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = day(t)
		}
		return out
	}
	tue := time.Date(2026, 12, 8, 10, 0, 0, 0, loc)
	r, _ := Parse("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6")
	got := r.Occurrences(tue, 100)
	require.Len(t, got, 6)
	assert.Equal(t, "Tue 2027-01-12 10:00 EST", day(got[5]))

	thu := time.Date(2026, 12, 10, 14, 0, 0, 0, loc)
	r, _ = Parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=5")
	assert.Equal(t, []string{"Thu 2026-12-10 14:00 EST", "Thu 2026-12-24 14:00 EST", "Thu 2027-01-07 14:00 EST",
		"Thu 2027-01-21 14:00 EST", "Thu 2027-02-04 14:00 EST"}, days(r.Occurrences(thu, 100)))

	mon := time.Date(2026, 12, 14, 9, 0, 0, 0, loc)
	r, _ = Parse("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261219T235959Z")
	assert.Len(t, r.Occurrences(mon, 100), 5, "Monday 14 to Friday 18 December")

	// Wall-clock time kept across the change to daylight time (8 March 2026 in Toronto).
	r, _ = Parse("FREQ=DAILY;COUNT=3")
	got = r.Occurrences(time.Date(2026, 3, 7, 9, 0, 0, 0, loc), 100)
	assert.Equal(t, "Mon 2026-03-09 09:00 EDT", day(got[2]))

	// The 31st of each month skips the short months.
	r, _ = Parse("FREQ=MONTHLY;COUNT=3")
	assert.Equal(t, []string{"Sun 2027-01-31 09:00 EST", "Wed 2027-03-31 09:00 EDT", "Mon 2027-05-31 09:00 EDT"},
		days(r.Occurrences(time.Date(2027, 1, 31, 9, 0, 0, 0, loc), 100)))

	// The second Tuesday of the month.
	r, _ = Parse("FREQ=MONTHLY;BYDAY=2TU;COUNT=2")
	assert.Equal(t, []string{"Tue 2026-12-08 10:00 EST", "Tue 2027-01-12 10:00 EST"}, days(r.Occurrences(tue, 100)))

	last, ok := Rule{Freq: Daily}.Last(tue)
	assert.False(t, ok)
	assert.True(t, last.IsZero())
	r, _ = Parse("FREQ=DAILY;UNTIL=20320101")
	assert.Error(t, r.CheckEnd(tue), "more than 1,826 daily occurrences")
}

// A rule that ends before its first occurrence (an UNTIL in the past, from a client or an old
// record) is refused by CheckEnd, and Last does not panic on it.
func TestRuleEndingBeforeStart(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	r, err := Parse("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201")
	require.NoError(t, err)
	assert.Empty(t, r.Occurrences(start, 10))
	assert.True(t, errors.Is(r.CheckEnd(start), ErrInvalid))
	last, ok := r.Last(start)
	assert.True(t, ok)
	assert.Equal(t, start, last)
}

// Any rule Parse accepts (from a client, the fake Webex, an old record) is written back as a
// rule Parse accepts, and expanding it, its end and its check never panic.
func FuzzRule(f *testing.F) {
	for _, s := range []string{"FREQ=WEEKLY;BYDAY=TU;COUNT=6", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261201",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", "FREQ=DAILY;INTERVAL=999;UNTIL=99991231T235959Z",
		"FREQ=MONTHLY;BYDAY=5MO,TU;COUNT=60", "FREQ=WEEKLY;BYDAY=SA,SU;WKST=SU"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, offset int64) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(r.String())
		require.NoError(t, err, "%q written as %q", s, r.String())
		assert.Equal(t, r.String(), again.String())
		start := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC).Add(time.Duration(offset%(1<<50)) * time.Second)
		_ = r.Occurrences(start, 50)
		_, _ = r.Last(start)
		_ = r.CheckEnd(start)
	})
}
