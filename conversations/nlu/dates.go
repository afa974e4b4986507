package nlu

import (
	"strconv"
	"strings"
	"time"
)

var (
	reISODate = anchor(`(\d{4})-(\d{1,2})-(\d{1,2})\b`, isDigit)
	// Day first: 23/06, 23-06, 23/06/2027. Hyphenated needs a two-digit month ("1-2 pm" is a
	// range). When the day/month reading is impossible, month/day is tried (06/23).
	reNumDate = anchor(`(?:(?:le|du|the|on)\s+)?(\d{1,2})(/|-)(\d{1,2})(?:/(\d{4}|\d{2}))?\b`, either(isDigit, articles))
	// « mardi le 23 juin 2027 », « le 1er juillet », "the 23rd of June", "Tuesday, 23 June".
	reDayMonth = anchor(`(?:(`+weekdaysRe+`)\s*,?\s+)?(?:(?:le|du|the|on)\s+)?(\d{1,2}|premier|first)(?:er|re|e|st|nd|rd|th)?\s+(?:of\s+)?(`+monthsRe+`)\b\.?(?:\s*,?\s*(\d{4})\b)?`,
		either(isDigit, articles, inMap(weekdays), oneOf("premier", "first")))
	// "June 23", "on Tuesday, June 23rd, 2027".
	reMonthDay = anchor(`(?:(`+weekdaysRe+`)\s*,?\s+)?(?:on\s+)?(`+monthsRe+`)\.?\s+(\d{1,2})(?:st|nd|rd|th|er)?\b(?:\s*,?\s*(\d{4})\b)?`,
		either(inMap(weekdays), inMap(months), oneOf("on")))
	reRelDay = anchor(`(?:apres-demain|apres\s+demain|(?:the\s+)?day\s+after\s+tomorrow|aujourd'hui|aujourd\s?hui|today|tonight|ce\s+soir|cet\s+apres-midi|this\s+(?:afternoon|evening|morning)|ce\s+matin|demain|tomorrow)\b`,
		oneOf("apres-demain", "apres", "the", "day", "aujourd", "aujourdhui", "today", "tonight", "ce", "cet", "this", "demain", "tomorrow"))
	reWeekday = anchor(`(?:(ce|cette|this|next|coming|le|prochain)\s+)?(`+weekdaysRe+`)\b(?:\s+(prochain|qui\s+vient|d'apres))?`,
		either(inMap(weekdays), oneOf("ce", "cette", "this", "next", "coming", "le", "prochain")))
	// « le 23 », "the 24th": a day of the month alone (its next occurrence).
	reMonthDayAlone = anchor(`(?:le|the|on\s+the)\s+(\d{1,2})(?:er|e|st|nd|rd|th)?\b`, oneOf("le", "the", "on"))
	reInDays        = anchor(`(?:dans|in)\s+(\d{1,3}|`+numberWordsRe+`)\s+(jours?|days?|semaines?|weeks?)\b`, oneOf("dans", "in"))
)

// findDate reads the day of the meeting out of m. today is now in the organizer's zone.
func findDate(m *message, today time.Time) (*DateSpec, bool) {
	var d *DateSpec
	bad := false
	checked := func(v *DateSpec) *DateSpec {
		if v == nil {
			bad = true
		}
		return v
	}
	// agrees refuses « mardi 23 juin » when that 23 June is no Tuesday.
	agrees := func(v *DateSpec, weekday string) *DateSpec {
		if v == nil || weekday == "" {
			return v
		}
		if on := Resolve(*v, Clock{Hour: 12}, today, today.Location()); on.Weekday() != weekdays[weekday] {
			bad = true
			return nil
		}
		return v
	}
	take := func(re anchored, read func(sub []string) *DateSpec) {
		if d != nil {
			return
		}
		for _, loc := range re.findAll(m, 4) {
			sub := submatches(m.s, loc)
			if v := read(sub); v != nil {
				d = v
				m.clear(loc[0], loc[1])
				return
			}
		}
	}
	take(reISODate, func(sub []string) *DateSpec {
		return checked(calendarDay(atoi(sub[1]), atoi(sub[2]), atoi(sub[3])))
	})
	take(reDayMonth, func(sub []string) *DateSpec {
		day := atoi(sub[2])
		if sub[2] == "premier" || sub[2] == "first" {
			day = 1
		}
		return agrees(checked(calendarDay(year(sub[4]), int(months[sub[3]]), day)), sub[1])
	})
	take(reMonthDay, func(sub []string) *DateSpec {
		return agrees(checked(calendarDay(year(sub[4]), int(months[sub[2]]), atoi(sub[3]))), sub[1])
	})
	for _, loc := range reNumDate.findAll(m, 4) {
		if d != nil {
			break
		}
		sub := submatches(m.s, loc)
		after := strings.TrimLeft(string(m.s[loc[1]:]), " ")
		if strings.HasPrefix(after, "am") || strings.HasPrefix(after, "pm") || strings.HasPrefix(after, "h") ||
			strings.HasPrefix(after, "a.m") || strings.HasPrefix(after, "p.m") {
			continue // « 13-14 h », "1-2 pm": a range of hours
		}
		if sub[2] == "-" && len(sub[3]) != 2 {
			continue
		}
		a, b, y := atoi(sub[1]), atoi(sub[3]), year(sub[4])
		if v := calendarDay(y, b, a); v != nil {
			d = v
		} else if v := calendarDay(y, a, b); v != nil {
			d = v
		}
		if d != nil {
			m.clear(loc[0], loc[1])
		} else if len(sub[4]) > 0 || (a <= 31 && b <= 31) {
			bad = true // « 31/09 »: neither day-month nor month-day exists
		}
	}
	if d == nil && bad {
		return nil, true // an impossible date is not the 31st of another month
	}
	take(reRelDay, func(sub []string) *DateSpec {
		w := sub[0]
		switch {
		case strings.Contains(w, "afternoon") || strings.Contains(w, "apres-midi"):
			return dayOf(today) // "this afternoon", « cet après-midi »
		case strings.HasPrefix(w, "apres") || strings.Contains(w, "after"):
			return dayOf(today.AddDate(0, 0, 2))
		case w == "demain" || w == "tomorrow":
			return dayOf(today.AddDate(0, 0, 1))
		default:
			return dayOf(today)
		}
	})
	take(reInDays, func(sub []string) *DateSpec {
		n, ok := number(sub[1])
		if !ok || n > 400 {
			return nil
		}
		if strings.HasPrefix(sub[2], "s") || strings.HasPrefix(sub[2], "w") {
			n *= 7
		}
		return dayOf(time.Date(today.Year(), today.Month(), today.Day()+n, 12, 0, 0, 0, today.Location()))
	})
	for _, loc := range reMonthDayAlone.findAll(m, 4) {
		if d != nil {
			break
		}
		next := strings.Fields(strings.ReplaceAll(string(m.s[loc[1]:min(len(m.s), loc[1]+16)]), "of ", ""))
		if len(next) > 0 && months[strings.Trim(next[0], ".,")] != 0 {
			continue // « le 30 février »: an impossible date, not the 30th of this month
		}
		if day := atoi(string(m.s[loc[2]:loc[3]])); day >= 1 && day <= 31 {
			d = &DateSpec{Day: day}
			m.clear(loc[0], loc[1])
		}
	}
	if d != nil && !d.IsWeekday && d.Day != 0 {
		// « jeudi le 13 » when the 13th is a Friday: a contradiction, not a choice to make.
		if locs := reWeekday.findAll(m, 1); len(locs) > 0 {
			loc := locs[0]
			wd := weekdays[submatches(m.s, loc)[2]]
			if on := Resolve(*d, Clock{Hour: 12}, today, today.Location()); on.Weekday() != wd {
				return nil, true
			}
			m.clear(loc[0], loc[1])
		}
		return d, false
	}
	take(reWeekday, func(sub []string) *DateSpec {
		next := sub[1] == "next" || sub[1] == "coming" || sub[1] == "prochain" || sub[3] != ""
		return &DateSpec{Weekday: weekdays[sub[2]], IsWeekday: true, Next: next}
	})
	return d, d == nil && bad
}

// calendarDay validates a day; year 0 means "its next occurrence" (29 February is accepted).
// articles may come before a day (« le 23 juin », "on June 23").
var articles = oneOf("le", "du", "the", "on")

func calendarDay(y, mo, d int) *DateSpec {
	if mo < 1 || mo > 12 || d < 1 || y < 0 || y > 9999 {
		return nil
	}
	checkYear := y
	if checkYear == 0 {
		checkYear = 2028 // a leap year
	}
	if d > daysIn(checkYear, time.Month(mo)) {
		return nil
	}
	return &DateSpec{Year: y, Month: time.Month(mo), Day: d}
}

func daysIn(y int, mo time.Month) int {
	return time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func dayOf(t time.Time) *DateSpec {
	return &DateSpec{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func year(s string) int {
	if s == "" {
		return 0
	}
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

func atoi(s string) int {
	if len(s) > 6 {
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// submatches returns the groups of one match as strings ("" when a group did not take part).
func submatches(s []byte, loc []int) []string {
	out := make([]string, len(loc)/2)
	for i := range out {
		if loc[2*i] >= 0 {
			out[i] = string(s[loc[2*i]:loc[2*i+1]])
		}
	}
	return out
}
