package nlu

import "time"

// Parse reads one message. now and loc resolve relative words; loc is the organizer's zone.
// (Stub: being written.)
func Parse(text string, now time.Time, loc *time.Location) Understanding {
	return Understanding{Intent: IntentUnknown, Lang: French}
}

// Resolve turns a day and a time of day into an instant in loc, applying Relais's rules: a
// weekday is its next occurrence (today included when the time is still ahead of now), a date
// without a year is its next occurrence. (Stub: being written.)
func Resolve(d DateSpec, c Clock, now time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, loc)
}
