package nlu

import (
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	tue := DateSpec{Weekday: time.Tuesday, IsWeekday: true}
	nextTue := DateSpec{Weekday: time.Tuesday, IsWeekday: true, Next: true}
	cases := []struct {
		name string
		now  string
		d    DateSpec
		c    Clock
		want string
	}{
		{"full date in the past stays", wed, DateSpec{Year: 2026, Month: 6, Day: 1}, Clock{9, 0}, "2026-06-01T09:00:00-04:00"},
		{"date without year, ahead", wed, DateSpec{Month: 6, Day: 17}, Clock{10, 0}, "2026-06-17T10:00:00-04:00"},
		{"date without year, passed today", wed, DateSpec{Month: 6, Day: 17}, Clock{9, 0}, "2027-06-17T09:00:00-04:00"},
		{"date without year, same minute is passed", wed, DateSpec{Month: 6, Day: 17}, Clock{9, 15}, "2027-06-17T09:15:00-04:00"},
		{"29 February without year", wed, DateSpec{Month: 2, Day: 29}, Clock{9, 0}, "2028-02-29T09:00:00-05:00"},
		{"weekday today ahead", "2026-06-23T09:00:00-04:00", tue, Clock{10, 0}, "2026-06-23T10:00:00-04:00"},
		{"weekday today passed", "2026-06-23T11:00:00-04:00", tue, Clock{10, 0}, "2026-06-30T10:00:00-04:00"},
		{"next weekday said that weekday", "2026-06-23T09:00:00-04:00", nextTue, Clock{10, 0}, "2026-06-30T10:00:00-04:00"},
		{"next weekday said the day before", "2026-06-22T09:00:00-04:00", nextTue, Clock{10, 0}, "2026-06-23T10:00:00-04:00"},
		{"time alone ahead", wed, DateSpec{}, Clock{9, 16}, "2026-06-17T09:16:00-04:00"},
		{"time alone passed", wed, DateSpec{}, Clock{9, 0}, "2026-06-18T09:00:00-04:00"},
		{"spring forward gap moves forward", dst1, DateSpec{Year: 2026, Month: 3, Day: 8}, Clock{2, 30}, "2026-03-08T03:30:00-04:00"},
		{"spring forward gap at 02:00", dst1, DateSpec{Year: 2026, Month: 3, Day: 8}, Clock{2, 0}, "2026-03-08T03:00:00-04:00"},
		{"after the gap", dst1, DateSpec{Year: 2026, Month: 3, Day: 8}, Clock{3, 0}, "2026-03-08T03:00:00-04:00"},
		{"before the gap", dst1, DateSpec{Year: 2026, Month: 3, Day: 8}, Clock{1, 59}, "2026-03-08T01:59:00-05:00"},
		{"fall back: first occurrence", dst2, DateSpec{Year: 2026, Month: 11, Day: 1}, Clock{1, 30}, "2026-11-01T01:30:00-04:00"},
		{"fall back: after", dst2, DateSpec{Year: 2026, Month: 11, Day: 1}, Clock{2, 0}, "2026-11-01T02:00:00-05:00"},
		{"weekday across spring forward", "2026-03-07T10:00:00-05:00", DateSpec{Weekday: time.Sunday, IsWeekday: true}, Clock{0, 30}, "2026-03-08T00:30:00-05:00"},
		{"time alone passed, tomorrow in the gap", "2026-03-07T10:00:00-05:00", DateSpec{}, Clock{2, 15}, "2026-03-08T03:15:00-04:00"},
		{"out of range clock is clamped", wed, DateSpec{Year: 2026, Month: 6, Day: 18}, Clock{99, -5}, "2026-06-18T23:00:00-04:00"},
	}
	for _, c := range cases {
		got := Resolve(c.d, c.c, ref(t, c.now), loc).Format(time.RFC3339)
		if got != c.want {
			t.Errorf("%s: Resolve(%+v, %+v) at %s = %s, want %s", c.name, c.d, c.c, c.now, got, c.want)
		}
	}
}

func TestResolveOtherZones(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 in Toronto on June 17 is already June 18 in Paris: « demain » is the organizer's.
	now := ref(t, "2026-06-17T23:30:00-04:00")
	u := Parse("demain à 9 h", now, paris)
	start, ok := u.Start(now, paris)
	if !ok || start.Format(time.RFC3339) != "2026-06-19T09:00:00+02:00" {
		t.Errorf("demain à 9 h in Paris = %v %v", start, ok)
	}
	// A nil zone is UTC, not a panic.
	if got := Resolve(DateSpec{Year: 2026, Month: 1, Day: 2}, Clock{3, 4}, now, nil); got.Format(time.RFC3339) != "2026-01-02T03:04:00Z" {
		t.Errorf("nil zone: %v", got)
	}
	_ = Parse("demain à 9 h", now, nil)
}

func TestResolveMidnightGap(t *testing.T) {
	t.Parallel()
	// Santiago springs forward at midnight: 2026-09-06 00:00 does not exist.
	scl, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, scl)
	got := Resolve(DateSpec{Year: 2026, Month: 9, Day: 6}, Clock{0, 30}, now, scl)
	if got.Day() != 6 || got.Hour() != 1 || got.Minute() != 30 {
		t.Errorf("00:30 in the midnight gap = %v, want 01:30 the same day", got)
	}
}

func TestLength(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	start := time.Date(2026, 6, 17, 13, 0, 0, 0, loc)
	if d, ok := (Understanding{}).Length(start); ok || d != 0 {
		t.Errorf("nothing said: %v %v", d, ok)
	}
	u := Understanding{Time: &Clock{13, 0}, End: &Clock{14, 30}}
	if d, ok := u.Length(start); !ok || d != 90*time.Minute {
		t.Errorf("range: %v %v", d, ok)
	}
	u.Duration = 45 * time.Minute
	if d, _ := u.Length(start); d != 45*time.Minute {
		t.Errorf("Duration wins over End: %v", d)
	}
	if (Understanding{}).HasSlots() || !u.HasSlots() {
		t.Error("HasSlots")
	}
	if _, ok := (Understanding{Date: &DateSpec{Year: 2026, Month: 6, Day: 18}}).Start(start, loc); ok {
		t.Error("a day alone is not a start")
	}
}

func TestImpossibleDatesAreFlaggedNotGuessed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC)
	for _, text := range []string{"le 31 juin à 14h", "le 31/09 à 10 h", "le 30 février", "2026-02-30", "June 31 at 2pm",
		"mercredi 23 juin à 11 h", "jeudi le 13 à 14 h", "Monday, June 23 at 2pm"} { // 23 June 2026 is a Tuesday
		u := Parse(text, now, time.UTC)
		if !u.BadDate || u.Date != nil {
			t.Errorf("%q: BadDate=%v Date=%+v, want an impossible date flagged", text, u.BadDate, u.Date)
		}
		if _, ok := u.Start(now, time.UTC); ok {
			t.Errorf("%q: a start was guessed from the time alone", text)
		}
	}
	for _, text := range []string{"le 30 juin à 14h", "le 29/02/2028", "de 13-14 h", "demain à 10 h", "mardi 23 juin à 11 h", "Tuesday, June 23 at 2pm"} {
		if u := Parse(text, now, time.UTC); u.BadDate {
			t.Errorf("%q: flagged as an impossible date", text)
		}
	}
}

func TestPartOfDayMovesTwelveHourTimes(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 9, 9, 0, 0, 0, loc) // Monday 09:00
	for text, want := range map[string]string{
		"this afternoon at 3pm":   "2026-03-09T15:00",
		"this afternoon at 3":     "2026-03-09T15:00",
		"demain soir à 7 h":       "2026-03-10T19:00",
		"demain après-midi à 3 h": "2026-03-10T15:00",
		"tomorrow evening at 7":   "2026-03-10T19:00",
		"ce soir à 7 h":           "2026-03-09T19:00",
		"tonight at 7":            "2026-03-09T19:00",
		"demain matin à 9 h":      "2026-03-10T09:00",
		"demain à 14 h":           "2026-03-10T14:00",
		"cet après-midi à 14 h":   "2026-03-09T14:00",
	} {
		u := Parse(text, now, loc)
		start, ok := u.Start(now, loc)
		if !ok || start.Format("2006-01-02T15:04") != want {
			t.Errorf("%q: start %v (ok %v), want %s", text, start, ok, want)
		}
	}
}
