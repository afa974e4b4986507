// Package rrule reads, writes and expands the RFC 2445 recurrence rules (RRULE) that the Webex
// Meetings API accepts in a meeting's `recurrence`: FREQ DAILY, WEEKLY, MONTHLY or YEARLY, with
// INTERVAL, BYDAY (an ordinal like 2TU for monthly and yearly rules), BYMONTHDAY, BYMONTH, WKST,
// and an end given by COUNT or UNTIL (not both). Sub-daily frequencies and the other BY parts
// are refused, as Webex refuses them.
//
// Webex's own limits on a rule with an end (the spec's "Create a Meeting"): at most 5 yearly,
// 60 monthly, 261 weekly or 1,826 daily occurrences. Multiple days or dates in a monthly or
// yearly rule are only "partially supported" (the first one is taken); Parse keeps only the first.
//
// It is pure (no I/O, no clock), shared by the dialogue, the bot and the fake Webex.
package rrule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Freq is how often a rule repeats.
type Freq string

// Frequencies Webex accepts.
const (
	Daily   Freq = "DAILY"
	Weekly  Freq = "WEEKLY"
	Monthly Freq = "MONTHLY"
	Yearly  Freq = "YEARLY"
)

// Rule is one recurrence rule. The zero Interval means 1.
type Rule struct {
	Freq     Freq
	Interval int
	// ByDay are the weekdays of a weekly rule (or the one weekday of a monthly/yearly rule).
	ByDay []time.Weekday
	// Nth is the ordinal of a monthly or yearly BYDAY (2TU: 2; -1TU: last), 0 when none.
	Nth        int
	ByMonthDay int
	ByMonth    time.Month
	// Count is the number of occurrences, 0 when the rule ends otherwise (or never).
	Count int
	// Until is the last instant an occurrence may start at (UTC), zero when none.
	Until time.Time
}

// Webex's caps on the occurrences of a rule that has an end.
var maxOccurrences = map[Freq]int{Yearly: 5, Monthly: 60, Weekly: 261, Daily: 1826}

var dayCodes = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

var codeOf = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// ErrInvalid is wrapped by every error of Parse.
var ErrInvalid = errors.New("invalid recurrence")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Parse reads a rule as Webex accepts it (an optional "RRULE:" prefix is allowed) and checks
// Webex's rules on it.
func Parse(s string) (Rule, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "RRULE:")
	if s == "" {
		return Rule{}, invalid("empty rule")
	}
	var r Rule
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.ToUpper(strings.TrimSpace(v))
		if !ok || k == "" || v == "" {
			return Rule{}, invalid("malformed part %q", part)
		}
		if seen[k] {
			return Rule{}, invalid("%s given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "FREQ":
			switch f := Freq(v); f {
			case Daily, Weekly, Monthly, Yearly:
				r.Freq = f
			default:
				err = invalid("FREQ=%s is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)", v)
			}
		case "INTERVAL":
			r.Interval, err = positive(k, v, 999)
		case "COUNT":
			r.Count, err = positive(k, v, 100000)
		case "UNTIL":
			r.Until, err = until(v)
		case "BYDAY":
			err = r.byDay(v)
		case "BYMONTHDAY":
			first, _, _ := strings.Cut(v, ",")
			r.ByMonthDay, err = positive(k, first, 31)
		case "BYMONTH":
			first, _, _ := strings.Cut(v, ",")
			var n int
			n, err = positive(k, first, 12)
			r.ByMonth = time.Month(n)
		case "WKST":
			if _, ok := dayCodes[v]; !ok {
				err = invalid("WKST=%s is not a day", v)
			}
		default:
			err = invalid("%s is not supported", k)
		}
		if err != nil {
			return Rule{}, err
		}
	}
	if r.Freq == "" {
		return Rule{}, invalid("FREQ is required")
	}
	if r.Count > 0 && !r.Until.IsZero() {
		return Rule{}, invalid("COUNT and UNTIL cannot both be given")
	}
	if r.Nth != 0 && r.Freq != Monthly && r.Freq != Yearly {
		return Rule{}, invalid("an ordinal BYDAY only applies to MONTHLY or YEARLY rules")
	}
	if r.Count > maxOccurrences[r.Freq] {
		return Rule{}, invalid("at most %d occurrences for a %s rule", maxOccurrences[r.Freq], strings.ToLower(string(r.Freq)))
	}
	return r, nil
}

func positive(k, v string, max int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, invalid("%s=%s must be a number from 1 to %d", k, v, max)
	}
	return n, nil
}

func until(v string) (time.Time, error) {
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			if layout == "20060102" {
				t = t.Add(24*time.Hour - time.Second) // the whole day
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, invalid("UNTIL=%s is not a date (YYYYMMDD or YYYYMMDDTHHMMSSZ)", v)
}

func (r *Rule) byDay(v string) error {
	for i, d := range strings.Split(v, ",") {
		d = strings.TrimSpace(d)
		if len(d) < 2 {
			return invalid("BYDAY=%s is not a day", v)
		}
		code, prefix := d[len(d)-2:], d[:len(d)-2]
		wd, ok := dayCodes[code]
		if !ok {
			return invalid("BYDAY=%s is not a day", v)
		}
		if prefix != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(prefix, "+"))
			if err != nil || n == 0 || n < -5 || n > 5 {
				return invalid("BYDAY=%s has a bad ordinal", v)
			}
			if i == 0 {
				r.Nth = n
			}
		}
		if i > 0 && (r.Freq == Monthly || r.Freq == Yearly || r.Nth != 0) {
			break // Webex takes the first day of a monthly or yearly rule
		}
		r.ByDay = append(r.ByDay, wd)
	}
	return nil
}

// String writes the rule as Webex expects it: FREQ first, then INTERVAL, BYDAY, BYMONTHDAY,
// BYMONTH, and COUNT or UNTIL.
func (r Rule) String() string {
	parts := []string{"FREQ=" + string(r.Freq), "INTERVAL=" + strconv.Itoa(r.interval())}
	if len(r.ByDay) > 0 {
		codes := make([]string, len(r.ByDay))
		for i, d := range r.ByDay {
			codes[i] = codeOf[d]
		}
		if r.Nth != 0 {
			codes[0] = strconv.Itoa(r.Nth) + codes[0]
		}
		parts = append(parts, "BYDAY="+strings.Join(codes, ","))
	}
	if r.ByMonthDay > 0 {
		parts = append(parts, "BYMONTHDAY="+strconv.Itoa(r.ByMonthDay))
	}
	if r.ByMonth > 0 {
		parts = append(parts, "BYMONTH="+strconv.Itoa(int(r.ByMonth)))
	}
	switch {
	case r.Count > 0:
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	case !r.Until.IsZero():
		parts = append(parts, "UNTIL="+r.Until.UTC().Format("20060102T150405Z"))
	}
	return strings.Join(parts, ";")
}

func (r Rule) interval() int {
	if r.Interval < 1 {
		return 1
	}
	return r.Interval
}

// Occurrences returns up to max starts of the series that begins at start (its first
// occurrence, whatever the rule says about that day), in start's location with its wall-clock
// time kept across time-zone changes. It stops at Count, at Until, or after max.
func (r Rule) Occurrences(start time.Time, max int) []time.Time {
	var out []time.Time
	limit := max
	if r.Count > 0 && r.Count < limit {
		limit = r.Count
	}
	if limit <= 0 {
		return nil
	}
	add := func(t time.Time) bool {
		if !r.Until.IsZero() && t.After(r.Until) {
			return false
		}
		if len(out) == 0 || t.After(out[len(out)-1]) {
			out = append(out, t)
		}
		return len(out) < limit
	}
	if !add(start) {
		return out
	}
	loc := start.Location()
	y, mo, d := start.Date()
	h, mi, _ := start.Clock()
	at := func(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, loc) }
	n := r.interval()
	// Each period (day, week, month, year) is tried in turn; a rule no period satisfies gives up
	// after a bounded number of them.
	for p := 0; p < 20000; p++ {
		var cands []time.Time
		switch r.Freq {
		case Daily:
			cands = []time.Time{at(y, mo, d+p*n)}
		case Weekly:
			days := r.ByDay
			if len(days) == 0 {
				days = []time.Weekday{start.Weekday()}
			}
			// The week of start, from its Monday (WKST=MO, Webex's default).
			monday := d - (int(start.Weekday())+6)%7 + p*7*n
			for off := range 7 {
				t := at(y, mo, monday+off)
				for _, wd := range days {
					if t.Weekday() == wd {
						cands = append(cands, t)
					}
				}
			}
		case Monthly:
			first := time.Date(y, mo+time.Month(p*n), 1, 0, 0, 0, 0, loc)
			cands = r.inMonth(first.Year(), first.Month(), d, at)
		case Yearly:
			month := mo
			if r.ByMonth > 0 {
				month = r.ByMonth
			}
			cands = r.inMonth(y+p*n, month, d, at)
		}
		for _, t := range cands {
			if t.Before(start) || (t.Equal(start)) {
				continue
			}
			if !add(t) {
				return out
			}
		}
	}
	return out
}

// inMonth is the occurrence of a monthly or yearly rule in one month, if that month has it.
func (r Rule) inMonth(y int, mo time.Month, startDay int, at func(int, time.Month, int) time.Time) []time.Time {
	last := time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
	switch {
	case r.Nth != 0 && len(r.ByDay) > 0:
		wd := r.ByDay[0]
		var days []int
		for day := 1; day <= last; day++ {
			if time.Date(y, mo, day, 12, 0, 0, 0, time.UTC).Weekday() == wd {
				days = append(days, day)
			}
		}
		i := r.Nth - 1
		if r.Nth < 0 {
			i = len(days) + r.Nth
		}
		if i < 0 || i >= len(days) {
			return nil
		}
		return []time.Time{at(y, mo, days[i])}
	default:
		day := startDay
		if r.ByMonthDay > 0 {
			day = r.ByMonthDay
		}
		if day > last {
			return nil // no 31 February: Webex skips the month, as RFC 2445 does
		}
		return []time.Time{at(y, mo, day)}
	}
}

// Last returns the start of the last occurrence of a rule that ends (Count or Until), and false
// when the rule never ends. A rule that ends before start (which CheckEnd refuses) has start as
// its only occurrence.
func (r Rule) Last(start time.Time) (time.Time, bool) {
	if r.Count == 0 && r.Until.IsZero() {
		return time.Time{}, false
	}
	occ := r.Occurrences(start, maxOccurrences[r.Freq]+1)
	if len(occ) == 0 {
		return start, true
	}
	return occ[len(occ)-1], true
}

// CheckEnd applies Webex's cap on the occurrences of a rule that ends, and refuses one that
// ends before start.
func (r Rule) CheckEnd(start time.Time) error {
	if r.Count == 0 && r.Until.IsZero() {
		return nil
	}
	max := maxOccurrences[r.Freq]
	switch n := len(r.Occurrences(start, max+1)); {
	case n == 0:
		return invalid("UNTIL=%s comes before the first occurrence", r.Until.Format("20060102T150405Z"))
	case n > max:
		return invalid("at most %d occurrences for a %s rule", max, strings.ToLower(string(r.Freq)))
	}
	return nil
}
