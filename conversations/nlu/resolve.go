package nlu

import "time"

// Resolve turns a day and a time of day into an instant in loc (nil means UTC):
//
//   - a full date (Year set) is that day, even if it is past (the dialogue says so);
//   - a date without a year is its next occurrence: this year when the instant is still ahead
//     of now, else next year (29 February: the next leap year);
//   - a weekday is its next occurrence, today included when the time is still ahead of now;
//     with Next (« mardi prochain », "next Tuesday") it is the first such day strictly after
//     today, so said on a Tuesday it means in 7 days, and said on a Wednesday, in 6 days;
//   - a day of the month alone (Day set, Month 0: « le 23 ») is its next occurrence;
//   - no day at all (zero DateSpec) is today when the time is still ahead, else tomorrow.
//
// Days are counted on the calendar, not in 24-hour steps, so the arithmetic holds across
// daylight-saving changes. A local time that does not exist (02:30 on the spring-forward day)
// moves forward by the gap (03:30 daylight time); a local time that happens twice (01:30 on the
// fall-back day) is its first occurrence (daylight time).
func Resolve(d DateSpec, c Clock, now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	c.Hour, c.Minute = min(max(c.Hour, 0), 23), min(max(c.Minute, 0), 59)
	y, mo, day := now.Date()
	switch {
	case d.Year != 0 && d.Month != 0 && d.Day != 0:
		return at(d.Year, d.Month, d.Day, c, loc)
	case d.Month != 0 && d.Day != 0:
		for yy := y; yy <= y+8; yy++ {
			if d.Day > daysIn(yy, d.Month) {
				continue // 29 February in a common year
			}
			if t := at(yy, d.Month, d.Day, c, loc); t.After(now) {
				return t
			}
		}
		return at(y+1, d.Month, d.Day, c, loc)
	case d.Day != 0: // a day of the month alone (« le 23 »): this month or the next that has it
		for k := 0; k <= 12; k++ {
			first := time.Date(y, mo+time.Month(k), 1, 12, 0, 0, 0, loc)
			if d.Day > daysIn(first.Year(), first.Month()) {
				continue
			}
			if t := at(first.Year(), first.Month(), d.Day, c, loc); t.After(now) {
				return t
			}
		}
		return at(y, mo+1, d.Day, c, loc)
	case d.IsWeekday:
		ahead := (int(d.Weekday) - int(now.Weekday()) + 7) % 7
		if ahead == 0 && (d.Next || !at(y, mo, day, c, loc).After(now)) {
			ahead = 7
		}
		return at(y, mo, day+ahead, c, loc)
	default:
		if t := at(y, mo, day, c, loc); t.After(now) {
			return t
		}
		return at(y, mo, day+1, c, loc)
	}
}

// at is time.Date with Relais's rule for local times that do not exist or happen twice.
func at(y int, mo time.Month, d int, c Clock, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, c.Hour, c.Minute, 0, 0, loc)
	if t.Hour() == c.Hour && t.Minute() == c.Minute {
		// Exists. When it happens twice, pick the first (the earlier offset's instant).
		if e := t.Add(-time.Hour); e.Hour() == c.Hour && e.Minute() == c.Minute {
			return e
		}
		return t
	}
	// In a spring-forward gap: the same wall-clock reading, moved forward by the gap.
	// The offset in force before the gap: the day before at noon (some zones change at midnight).
	_, offBefore := time.Date(y, mo, d-1, 12, 0, 0, 0, loc).Zone()
	naive := time.Date(y, mo, d, c.Hour, c.Minute, 0, 0, time.UTC).Add(-time.Duration(offBefore) * time.Second)
	return naive.In(loc)
}

// Start is when the meeting starts, when a time of day is known (a day alone is not a start).
func (u Understanding) Start(now time.Time, loc *time.Location) (time.Time, bool) {
	if u.Time == nil || u.BadDate {
		return time.Time{}, false
	}
	var d DateSpec
	if u.Date != nil {
		d = *u.Date
	}
	return Resolve(d, *u.Time, now, loc), true
}

// Length is the meeting's length: Duration when said, else the span from Time to End (an end
// before the start is on the next day). ok is false when neither was said.
func (u Understanding) Length(start time.Time) (time.Duration, bool) {
	if u.Duration > 0 {
		return u.Duration, true
	}
	if u.End == nil || u.Time == nil {
		return 0, false
	}
	y, mo, d := start.Date()
	end := at(y, mo, d, *u.End, start.Location())
	if !end.After(start) {
		end = at(y, mo, d+1, *u.End, start.Location())
	}
	return end.Sub(start), true
}

// HasSlots reports whether the message said anything about the meeting (a person, a title, a
// day, a time, a length).
func (u Understanding) HasSlots() bool {
	return u.Designate != "" || u.Title != "" || u.Date != nil || u.Time != nil || u.End != nil || u.Duration != 0
}
