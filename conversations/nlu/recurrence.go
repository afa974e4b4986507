package nlu

import (
	"regexp"
	"strings"
	"time"
)

// Recurrence is how a meeting repeats, as the organizer said it: « chaque mardi pendant 6
// semaines », « tous les jours de semaine jusqu'au 19 décembre », "every other Thursday, 5
// times". The dialogue turns it into an RRULE once the first occurrence is known.
type Recurrence struct {
	// Freq is "daily", "weekly", "monthly" or "yearly".
	Freq string `json:"freq"`
	// Interval is every how many periods (« toutes les deux semaines »: 2); 0 means 1.
	Interval int `json:"interval,omitempty"`
	// Days are the weekdays of a weekly rule (« les mardis et jeudis »), or the one weekday of a
	// monthly rule with Nth.
	Days []time.Weekday `json:"days,omitempty"`
	// Nth is the week of the month of a monthly rule (« le premier mardi du mois »: 1, last: -1).
	Nth int `json:"nth,omitempty"`
	// MonthDay is the day of the month of a monthly rule (« chaque 15 du mois », "on the 15th
	// of every month": 15), 0 when the rule follows the first date.
	MonthDay int `json:"monthDay,omitempty"`
	// Count is the number of occurrences (« 5 fois »).
	Count int `json:"count,omitempty"`
	// Until is the last day (« jusqu'au 19 décembre »), included.
	Until *DateSpec `json:"until,omitempty"`
	// ForN and ForUnit are a span (« pendant 6 semaines »): ForUnit is "day", "week", "month"
	// or "year".
	ForN    int    `json:"forN,omitempty"`
	ForUnit string `json:"forUnit,omitempty"`
}

const (
	dayListRe  = `(` + weekdaysRe + `)s?((?:\s*(?:,|et|and|&)\s*(?:` + weekdaysRe + `)s?)*)`
	everyNRe   = `(\d{1,2}|deux|trois|quatre|two|three|four|other|second|2nd|third|3rd)`
	unitRe     = `(jours?|semaines?|mois|ans?|annees?|days?|weeks?|months?|years?)`
	monthDayRe = `(\d{1,2})(?:er|re|e|st|nd|rd|th)?`
	nthRe      = `(premier|1er|first|1st|deuxieme|2e|second|2nd|troisieme|3e|third|3rd|quatrieme|4e|fourth|4th|dernier|last)`
)

var (
	// Weekdays, Monday to Friday.
	reWorkdays = regexp.MustCompile(`\b(?:(?:tous\s+les|chaque)\s+jours?\s+(?:de\s+(?:la\s+)?semaine|ouvrables?|de\s+travail)|` +
		`(?:tous\s+les\s+)?jours\s+de\s+semaine|en\s+semaine|du\s+lundi\s+au\s+vendredi|` +
		`(?:every|each)\s+(?:week\s?day|business\s+day|working\s+day|work\s+day)|(?:on\s+)?weekdays|` +
		`(?:from\s+)?monday\s+(?:to|through|thru)\s+friday)\b`)
	// « le premier mardi de chaque mois », "the first Tuesday of every month".
	reNthWeekday = regexp.MustCompile(`\b(?:le\s+|the\s+|every\s+|chaque\s+)?` + nthRe + `\s+(` + weekdaysRe + `)\s+` +
		`(?:de\s+chaque\s+mois|du\s+mois|de\s+tous\s+les\s+mois|of\s+(?:every|each|the)\s+month)\b`)
	// A day of the month: « chaque 15 du mois », « tous les 15 du mois », "every 15th of the
	// month" (group 1); « le 1er de chaque mois », "on the 15th of every month" (group 2).
	reEveryMonthDay = regexp.MustCompile(`\b(?:(?:chaque|tous\s+les|every|each)\s+(?:the\s+)?` + monthDayRe +
		`\s+(?:du\s+mois|de\s+chaque\s+mois|de\s+tous\s+les\s+mois|of\s+(?:the|every|each)\s+month)|` +
		`(?:le\s+|on\s+the\s+|the\s+)?` + monthDayRe + `\s+(?:de\s+chaque\s+mois|de\s+tous\s+les\s+mois|of\s+(?:every|each)\s+month))\b`)
	// A day of the month said short: « tous les 15 », « chaque 1er », "every 15th" (group 1, its
	// suffix group 2). Taken only when what follows makes it clear (everyDayOfMonthClear).
	reEveryDayOfMonth = regexp.MustCompile(`\b(?:chaque|tous\s+les|every|each)\s+(?:the\s+)?(\d{1,2})(er|re|e|st|nd|rd|th)?\b`)
	// What follows a short day of the month: a time (« à 10 h », "at 2pm", « 13 h 30 », "10:00")…
	reTimeAhead = regexp.MustCompile(`^\s*,?\s*(?:(?:a|at|@|vers|around)\s+\d|\d{1,2}\s*(?:h\b|:\d\d|am\b|pm\b)|(?:a|at)\s+(?:midi|noon))`)
	// … or, for an ordinal (« 1er », "15th"), anything but a unit or a weekday ("every 2nd week",
	// "every 3rd Tuesday" are other rules).
	reUnitAhead = regexp.MustCompile(`^\s*(?:` + unitRe + `|minutes?|heures?|hours?|fois|times|` + weekdaysRe + `)`)
	// « un mardi sur deux ».
	reOneInN = regexp.MustCompile(`\b(?:un|une)\s+(` + weekdaysRe + `)\s+sur\s+(deux|trois|quatre|2|3|4)\b`)
	// « toutes les deux semaines », « aux deux semaines », "every 2 weeks", "every other week".
	reEveryN = regexp.MustCompile(`\b(?:tous\s+les|toutes\s+les|aux|chaque|every)\s+` + everyNRe + `\s+` + unitRe +
		`\b(?:\s*,?\s*(?:le|les|on)\s+` + dayListRe + `)?`)
	// « chaque mardi », « tous les mardis et jeudis », « les lundis », "every (other) Thursday",
	// "on Tuesdays".
	reEveryDay = regexp.MustCompile(`\b(?:chaque|tous\s+les|every|each)\s+(other\s+|second\s+)?` + dayListRe + `\b|` +
		`\b(?:on|les)\s+(` + weekdaysRe + `)s((?:\s*(?:,|et|and|&)\s*(?:` + weekdaysRe + `)s?)*)\b`)
	// Every period: « chaque semaine », « tous les jours », "weekly", "daily"…
	rePeriod = regexp.MustCompile(`\b(?:(?:chaque|tous\s+les|toutes\s+les|every|each)\s+(jour|jours|semaine|semaines|mois|annee|annees|ans|day|week|month|year)|` +
		`(quotidiennement|quotidienne|quotidien|daily|hebdomadairement|hebdomadaire|weekly|mensuellement|mensuelle|mensuel|monthly|` +
		`annuellement|annuelle|annuel|yearly|annually|biweekly|fortnightly|every\s+fortnight|bimensuelle|bimensuel))\b`)

	reBiweekly = regexp.MustCompile(`\b(?:biweekly|fortnightly|every\s+fortnight|every\s+other\s+week)\b`)

	// Ends.
	reCount = regexp.MustCompile(`\b(\d{1,4}|` + numberWordsRe + `)\s+(?:fois|times|occurrences?|seances?|sessions?)\b`)
	reSpan  = regexp.MustCompile(`\b(?:pendant|durant|sur|pour|for)\s+(?:les\s+|the\s+next\s+|the\s+)?(\d{1,3}|` + numberWordsRe + `)\s+(?:prochain(?:e?s)?\s+)?` +
		`(jours?|semaines?|mois|ans|annees?|days?|weeks?|months?|years?)\b(?:\s+(?:prochain(?:e?s)?|suivant(?:e?s)?))?`)
	reUntil      = regexp.MustCompile(`\b(?:jusqu'(?:au|a|à)|jusqu\s+(?:au|a)|until|till|through|thru)\s+(?:(?:le|the)\s+)?`)
	reUntilMonth = regexp.MustCompile(`\b(?:jusqu'en|jusqu'(?:a|au)\s+(?:la\s+)?fin\s+(?:de\s+|d')?|until\s+the\s+end\s+of)\s*(` + monthsRe + `)\b`)
	// « la série », "the (whole) series", « toutes les occurrences ».
	reSeries = regexp.MustCompile(`\b(?:serie|series|toutes\s+les\s+occurrences|all\s+(?:the\s+)?occurrences|recurrence)\b`)
)

// recurrenceWords filters messages that may hold a rule, so that the patterns run only then.
var recurrenceWords = []string{"chaque", "tous", "toutes", "every", "each", "daily", "weekly", "monthly", "yearly",
	"annually", "quotid", "hebdo", "mensuel", "annuel", "sur deux", "sur trois", "aux ", "weekdays", "semaine",
	"fortnight", "mardis", "lundis", "mercredis", "jeudis", "vendredis", "mondays", "tuesdays", "wednesdays",
	"thursdays", "fridays", "monday to", "monday through"}

// recurrenceStops are words of a repeat rule: a name never goes on through one of them, so that
// a rule not understood (or understood only in part) never ends up in the designate's name
// (« pour Jean Dupont chaque … » looked « Jean Dupont chaque » up in the directory).
var recurrenceStops = wordSet(`chaque every each tous toutes daily weekly monthly yearly annually biweekly
	fortnightly quotidien quotidienne quotidiennement hebdomadaire hebdomadairement mensuel mensuelle
	mensuellement annuel annuelle annuellement bimensuel bimensuelle jusqu'au jusqu'a jusqu'aux jusqu'en until
	pendant durant weekdays fois times lundis mardis mercredis jeudis vendredis samedis dimanches mondays
	tuesdays wednesdays thursdays fridays saturdays sundays`)

// Once is the Freq of a Recurrence that takes a rule back: « finalement une seule fois »,
// "just once".
const Once = "once"

var reOnce = regexp.MustCompile(`\b(?:une\s+seule\s+fois|sans\s+repetition|pas\s+de\s+repetition|pas\s+de\s+serie|` +
	`just\s+once|only\s+once|one\s+time\s+only|no\s+repeats?|not\s+recurring|no\s+series)\b`)

// everyDayOfMonth reads a day of the month said without « du mois » / "of the month" when what
// follows makes it clear: « tous les 15 à 10 h », "every 15th at 10am" (BYMONTHDAY). « tous les
// 15 jours » is every other week (reEveryN), « tous les 15 participants » no rule at all.
func everyDayOfMonth(m *message, s *string) *Recurrence {
	loc := reEveryDayOfMonth.FindStringSubmatchIndex(*s)
	if loc == nil {
		return nil
	}
	rest := (*s)[loc[1]:]
	ordinal := loc[4] >= 0
	if !reTimeAhead.MatchString(rest) && (!ordinal || reUnitAhead.MatchString(rest)) {
		return nil
	}
	n := atoi((*s)[loc[2]:loc[3]])
	if n < 1 || n > 31 {
		return nil
	}
	m.clear(loc[0], loc[1])
	*s = string(m.s)
	return &Recurrence{Freq: "monthly", MonthDay: n}
}

// findRecurrence reads a repeat rule and its end out of m, blanking what it read.
func findRecurrence(m *message, today time.Time) *Recurrence {
	if containsAny(m.s, "seule", "repetition", "serie", "once", "repeat", "recurring", "series") {
		if loc := reOnce.FindIndex(m.s); loc != nil {
			m.clear(loc[0], loc[1])
			return &Recurrence{Freq: Once}
		}
	}
	if !containsAny(m.s, recurrenceWords...) {
		return nil
	}
	s := string(m.s)
	var r *Recurrence
	take := func(re *regexp.Regexp, read func(sub []string) *Recurrence) {
		if r != nil {
			return
		}
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return
		}
		sub := make([]string, len(loc)/2)
		for i := range sub {
			if loc[2*i] >= 0 {
				sub[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		if r = read(sub); r != nil {
			m.clear(loc[0], loc[1])
			s = string(m.s)
		}
	}
	take(reWorkdays, func([]string) *Recurrence {
		return &Recurrence{Freq: "weekly", Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
	})
	take(reNthWeekday, func(sub []string) *Recurrence {
		n := map[string]int{"premier": 1, "1er": 1, "first": 1, "1st": 1, "deuxieme": 2, "2e": 2, "second": 2, "2nd": 2,
			"troisieme": 3, "3e": 3, "third": 3, "3rd": 3, "quatrieme": 4, "4e": 4, "fourth": 4, "4th": 4, "dernier": -1, "last": -1}[sub[1]]
		return &Recurrence{Freq: "monthly", Nth: n, Days: []time.Weekday{weekdays[sub[2]]}}
	})
	take(reEveryMonthDay, func(sub []string) *Recurrence {
		n := atoi(sub[1] + sub[2])
		if n < 1 || n > 31 {
			return nil
		}
		return &Recurrence{Freq: "monthly", MonthDay: n}
	})
	if r == nil {
		r = everyDayOfMonth(m, &s)
	}
	take(reOneInN, func(sub []string) *Recurrence {
		n, _ := number(sub[2])
		return &Recurrence{Freq: "weekly", Interval: n, Days: []time.Weekday{weekdays[sub[1]]}}
	})
	take(reEveryN, func(sub []string) *Recurrence {
		n, ok := everyN(sub[1])
		if !ok {
			return nil
		}
		r := &Recurrence{Freq: freqOf(sub[2]), Interval: n}
		if r.Freq == "daily" && (n == 14 || n == 15) {
			r.Freq, r.Interval = "weekly", 2 // « tous les 15 jours »: every other week
		}
		if r.Freq == "weekly" && sub[3] != "" {
			r.Days = dayList(sub[3], sub[4])
		}
		return r
	})
	take(reEveryDay, func(sub []string) *Recurrence {
		if sub[4] != "" { // "on Tuesdays", « les lundis et mercredis »
			return &Recurrence{Freq: "weekly", Days: dayList(sub[4], sub[5])}
		}
		r := &Recurrence{Freq: "weekly", Days: dayList(sub[2], sub[3])}
		if sub[1] != "" {
			r.Interval = 2
		}
		return r
	})
	take(rePeriod, func(sub []string) *Recurrence {
		w := sub[1] + sub[2]
		switch {
		case strings.HasPrefix(w, "bi") || strings.Contains(w, "fortnight"):
			if strings.HasPrefix(w, "bimensu") {
				return nil // « bimensuel » is ambiguous (twice a month or every two months)
			}
			return &Recurrence{Freq: "weekly", Interval: 2}
		case strings.HasPrefix(w, "quotid") || w == "daily" || strings.HasPrefix(w, "jour") || w == "day":
			return &Recurrence{Freq: "daily"}
		case strings.HasPrefix(w, "hebdo") || w == "weekly" || strings.HasPrefix(w, "semaine") || w == "week":
			return &Recurrence{Freq: "weekly"}
		case strings.HasPrefix(w, "mensu") || w == "monthly" || w == "mois" || w == "month":
			return &Recurrence{Freq: "monthly"}
		default:
			return &Recurrence{Freq: "yearly"}
		}
	})
	if r == nil {
		return nil
	}
	if r.Freq == "weekly" && r.Interval == 0 {
		// "a biweekly meeting on Thursdays": the period word sets the interval of the days.
		if loc := reBiweekly.FindIndex(m.s); loc != nil {
			r.Interval = 2
			m.clear(loc[0], loc[1])
		}
	}
	findRecurrenceEnd(m, r, today)
	return r
}

// findRecurrenceEnd reads how a rule ends: a count, a span or a last day.
func findRecurrenceEnd(m *message, r *Recurrence, today time.Time) {
	s := string(m.s)
	if loc := reCount.FindStringSubmatchIndex(s); loc != nil {
		if n, ok := number(s[loc[2]:loc[3]]); ok && n > 0 {
			r.Count = n
			m.clear(loc[0], loc[1])
			return
		}
	}
	if loc := reSpan.FindStringSubmatchIndex(s); loc != nil {
		if n, ok := number(s[loc[2]:loc[3]]); ok && n > 0 {
			r.ForN, r.ForUnit = n, unitOf(s[loc[4]:loc[5]])
			m.clear(loc[0], loc[1])
			return
		}
	}
	if loc := reUntilMonth.FindStringSubmatchIndex(s); loc != nil {
		mo := months[s[loc[2]:loc[3]]]
		y := today.Year()
		if mo < today.Month() {
			y++
		}
		r.Until = &DateSpec{Year: y, Month: mo, Day: daysIn(y, mo)}
		m.clear(loc[0], loc[1])
		return
	}
	for _, loc := range reUntil.FindAllStringIndex(s, 3) {
		if d, end := m.dateAt(loc[1], today); d != nil {
			r.Until = d
			m.clear(loc[0], end)
			return
		}
	}
}

// dateAt reads a day written right at s[pos:] (« 19 décembre », "Dec 19", « vendredi »); it
// returns nil when the text there is no day (« jusqu'à 15 h » is an end time). end is where the
// day ends in s.
func (m *message) dateAt(pos int, today time.Time) (*DateSpec, int) {
	stop := min(len(m.s), pos+window)
	for stop < len(m.s) && isAlnum(m.s[stop]) {
		stop++
	}
	sub := newMessage(m.text(pos, stop))
	d, _ := findDate(sub, today)
	if d == nil {
		return nil, 0
	}
	first := strings.IndexFunc(string(sub.s), func(r rune) bool { return r != ' ' })
	if first < 0 || sub.s[first] != blank {
		return nil, 0 // the day is not right after « jusqu'au »
	}
	k := first
	for k < len(sub.s) && (sub.s[k] == blank || sub.s[k] == ' ') {
		k++
	}
	orig := m.off[pos] + sub.off[k]
	end := pos
	for end < stop && m.off[end] < orig {
		end++
	}
	return d, end
}

func everyN(w string) (int, bool) {
	switch w {
	case "other", "second", "2nd":
		return 2, true
	case "third", "3rd":
		return 3, true
	}
	n, ok := number(w)
	return n, ok && n >= 1 && n <= 52
}

func freqOf(unit string) string {
	switch unitOf(unit) {
	case "day":
		return "daily"
	case "week":
		return "weekly"
	case "month":
		return "monthly"
	default:
		return "yearly"
	}
}

func unitOf(w string) string {
	switch {
	case strings.HasPrefix(w, "jour") || strings.HasPrefix(w, "day"):
		return "day"
	case strings.HasPrefix(w, "semaine") || strings.HasPrefix(w, "week"):
		return "week"
	case w == "mois" || strings.HasPrefix(w, "month"):
		return "month"
	default:
		return "year"
	}
}

// dayList reads « mardi », « mardis et jeudis », "Monday, Wednesday and Friday".
func dayList(first, rest string) []time.Weekday {
	days := []time.Weekday{weekdays[first]}
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' || r == '&' }) {
		if d, ok := weekdays[strings.TrimSuffix(w, "s")]; ok {
			days = append(days, d)
		} else if d, ok := weekdays[w]; ok {
			days = append(days, d)
		}
	}
	return days
}

// isSeries tells whether a command is about a whole series (« annule la série »).
func isSeries(m *message) bool {
	return containsAny(m.s, "serie", "occurrences", "recurrence") && reSeries.Match(m.s)
}

// TrimRecurrence cuts a name as written at the first word of a repeat rule: « Jean Dupont chaque
// semaine » is « Jean Dupont ». The dialogue applies it to every name it is given (an answer to
// « Pour qui ? », the form), so that no such word is ever looked up as part of a name.
func TrimRecurrence(name string) string {
	off := 0
	for _, f := range strings.Fields(name) {
		i := off + strings.Index(name[off:], f)
		if recurrenceStops[strings.Trim(string(newMessage(f).s), ".,;:!?()«»\"")] {
			return strings.TrimRight(name[:i], " ,;:-")
		}
		off = i + len(f)
	}
	return name
}
