package nlu

import (
	"regexp"
	"strings"
)

// clockRe is one time of day. Groups: 1 midi/minuit/noon/midnight; 2,3 « 14 h 30 », « 16 heures »;
// 4,5 "14:30"; 6,7,8 "2pm", "10:30 am"; 9 an hour in words (« à dix heures »); then 10 « et
// quart/demie » or 11 « moins le quart », and 12 a qualifier (« du soir », "pm").
const clockRe = `(?:(midi|minuit|noon|midnight)` +
	`|(\d{1,2})\s*(?:heures?|h)(?:\s*(\d{2})\b|\b)` +
	`|(\d{1,2}):(\d{2})\b` +
	`|(\d{1,2})(?:[:.](\d{2}))?\s*(a\.m\.|p\.m\.|am\b|pm\b)` +
	`|(une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)\s+heures?\b)` +
	`(?:\s+et\s+(quart|demie?)\b|\s+moins\s+(?:le\s+)?(quart)\b)?` +
	`(?:\s*(a\.m\.|p\.m\.|am\b|pm\b)|\s+(du\s+matin|le\s+matin|in\s+the\s+morning|de\s+l'apres-midi|de\s+l'apres\s+midi|in\s+the\s+afternoon|du\s+soir|le\s+soir|in\s+the\s+evening|at\s+night|de\s+la\s+nuit))?`

var (
	reClock    = anchor(clockRe, clockFirst)
	reRangePre = regexp.MustCompile(`^(de|from|entre|between)\s+`)
	reBareHour = regexp.MustCompile(`^(\d{1,2})(?::(\d{2}))?\b`)
	reRangeSep = regexp.MustCompile(`^\s*(-|(?:jusqu'a|until|till|and|au|a|to|et)\b)\s*`)
	rangeFirst = either(clockFirst, oneOf("de", "from", "entre", "between"))
	reAtHour   = anchor(`(?:a|at|vers|around)\s+(\d{1,2})\b`, oneOf("a", "at", "vers", "around"))

	clockFirst = either(isDigit, oneOf("midi", "minuit", "noon", "midnight", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"))
)

// clockMatch is a time of day found in the text, with what decides whether it is one.
type clockMatch struct {
	Clock
	qualified bool // am/pm, « du soir », midi, "14:30": surely a time of day
	unitH     bool // written « N h » / « N heures »: may be a duration
	words     bool // an hour in words: a time only after « à »
}

// readClock interprets the groups of clockRe (sub[0] is the whole match).
func readClock(sub []string) (clockMatch, bool) {
	var c clockMatch
	switch {
	case sub[1] != "":
		c.qualified = true
		if sub[1] == "midi" || sub[1] == "noon" {
			c.Hour = 12
		}
	case sub[2] != "":
		c.Hour, c.unitH = atoi(sub[2]), true
		if sub[3] != "" {
			c.Minute = atoi(sub[3])
		}
	case sub[4] != "":
		c.Hour, c.Minute, c.qualified = atoi(sub[4]), atoi(sub[5]), true
	case sub[6] != "":
		c.Hour, c.qualified = atoi(sub[6]), true
		if sub[7] != "" {
			c.Minute = atoi(sub[7])
		}
		if !halfDay(&c.Clock, sub[8]) {
			return c, false
		}
	case sub[9] != "":
		c.Hour, c.words = numberWords[sub[9]], true
	default:
		return c, false
	}
	switch {
	case sub[10] == "quart":
		c.Minute += 15
	case sub[10] != "":
		c.Minute += 30
	case sub[11] != "":
		c.Minute -= 15
		if c.Minute < 0 {
			c.Minute += 60
			c.Hour = (c.Hour + 23) % 24
		}
	}
	if sub[12] != "" {
		c.qualified = true
		if !halfDay(&c.Clock, sub[12]) {
			return c, false
		}
	}
	if q := sub[13]; q != "" {
		c.qualified = true
		switch {
		case strings.Contains(q, "apres") || strings.Contains(q, "afternoon") || strings.Contains(q, "soir") ||
			strings.Contains(q, "evening") || strings.Contains(q, "night") && c.Hour >= 6:
			if c.Hour < 12 {
				c.Hour += 12
			}
		case strings.Contains(q, "nuit") || strings.Contains(q, "night"):
			if c.Hour == 12 {
				c.Hour = 0
			}
		default: // morning
			if c.Hour == 12 {
				c.Hour = 0
			}
		}
	}
	if c.Hour < 0 || c.Hour > 23 || c.Minute < 0 || c.Minute > 59 {
		return c, false
	}
	return c, true
}

// halfDay applies am/pm to an hour of the 12-hour clock.
func halfDay(c *Clock, ampm string) bool {
	if c.Hour < 1 || c.Hour > 12 {
		return c.Hour == 0 || c.Hour > 12 && ampm[0] == 'p' // "0 am" and "14pm" are read leniently
	}
	pm := ampm[0] == 'p'
	switch {
	case pm && c.Hour < 12:
		c.Hour += 12
	case !pm && c.Hour == 12:
		c.Hour = 0
	}
	return true
}

// durationWords are the words after which « 2 h » is a length, not a time of day.
var durationWords = map[string]bool{
	"pendant": true, "durant": true, "duree": true, "de": true, "d'une": true, "pour": true,
	"for": true, "during": true, "lasting": true, "dure": true, "length": true, "durée": true,
	"dans": true, "in": true, "plus": true, "moins": true, "environ": true, "about": true,
}

// atWords are the words after which a number is a time of day.
var atWords = map[string]bool{"a": true, "at": true, "vers": true, "around": true, "des": true, "avant": true, "apres": true, "by": true}

func hasHalf(s string) bool {
	return strings.Contains(s, "am") || strings.Contains(s, "pm") || strings.Contains(s, "a.m") ||
		strings.Contains(s, "p.m") || strings.Contains(s, "matin") || strings.Contains(s, "soir") ||
		strings.Contains(s, "apres") || strings.Contains(s, "midi") || strings.Contains(s, "minuit")
}

func hasPM(s string) bool { return strings.Contains(s, "pm") || strings.Contains(s, "p.m") }

// isClock decides whether a match of clockRe, after the word prev, is a time of day.
func isClock(c clockMatch, prev string) bool {
	switch {
	case atWords[prev]:
		return true
	case c.words:
		return false
	case prev == "pour" || prev == "for" || prev == "de" || prev == "du": // "for 2pm", « pour 14 h », « de 14 h » but « pour 2 h »
		return c.qualified || c.unitH && c.Hour >= 5
	case durationWords[prev]:
		return false
	case c.unitH && !c.qualified:
		return c.Hour >= 5
	}
	return true
}

// findRange reads « de 13 h à 14 h 30 »: an optional « de » / "from" / « entre », a time (or a
// bare hour when the second has a unit), a separator, a time. It is read piece by piece with
// small anchored patterns rather than one large one.
func findRange(m *message) (start, end *Clock) {
	next := 0
	for _, t := range m.words {
		if t.a < next || m.s[t.a] == blank || !rangeFirst(t.w) {
			continue
		}
		pos, prefix := t.a, ""
		if l := reRangePre.FindSubmatchIndex(m.at(pos)); l != nil {
			prefix, pos = string(m.s[pos+l[2]:pos+l[3]]), pos+l[1]
		}
		var a clockMatch
		var aText string
		if l := reClock.re.FindSubmatchIndex(m.at(pos)); l != nil {
			var ok bool
			if a, ok = readClock(submatches(m.at(pos), l)); !ok {
				continue
			}
			aText, pos = string(m.s[pos:pos+l[1]]), pos+l[1]
		} else if l := reBareHour.FindSubmatchIndex(m.at(pos)); l != nil {
			a.Hour, a.Minute = atoi(string(m.s[pos+l[2]:pos+l[3]])), 0
			if l[4] >= 0 {
				a.Minute = atoi(string(m.s[pos+l[4] : pos+l[5]]))
			}
			aText, pos = string(m.s[pos:pos+l[1]]), pos+l[1]
			if a.Hour > 23 || a.Minute > 59 {
				continue
			}
		} else {
			continue
		}
		l := reRangeSep.FindSubmatchIndex(m.at(pos))
		if l == nil {
			continue
		}
		sep := string(m.s[pos+l[2] : pos+l[3]])
		pos += l[1]
		lb := reClock.re.FindSubmatchIndex(m.at(pos))
		if lb == nil {
			continue
		}
		b, ok := readClock(submatches(m.at(pos), lb))
		bText := string(m.s[pos : pos+lb[1]])
		switch {
		case !ok, b.words && prefix == "":
			continue
		case (sep == "et" || sep == "and") && prefix != "entre" && prefix != "between":
			continue
		case !a.qualified && !a.unitH && prefix == "" && sep != "-":
			continue // « le 12 à 14 h » is a day and a time, not a range
		case !a.qualified && !a.unitH && !b.qualified && !b.unitH:
			continue
		}
		// "1-2pm", "from 1:00 to 2:30 pm": the first end shares the second's half of the day
		// when it has none of its own and that keeps it first.
		if !hasHalf(aText) && hasPM(bText) && a.Hour < 12 && a.Hour+12 <= b.Hour {
			a.Hour += 12
		}
		m.clear(t.a, pos+lb[1])
		return &a.Clock, &b.Clock
	}
	return nil, nil
}

// endWords introduce the end of a meeting alone: « jusqu'à 15 h », "until 3pm".
var endWords = map[string]bool{"jusqu'a": true, "until": true, "till": true, "to": true}

// findEnd reads an end said alone (« jusqu'à 15 h », "until 3pm").
func findEnd(m *message) *Clock {
	for _, loc := range reClock.findAll(m, 8) {
		if !endWords[m.prevWord(loc[0])] {
			continue
		}
		if c, ok := readClock(submatches(m.s, loc)); ok {
			m.clear(loc[0], loc[1])
			return &c.Clock
		}
	}
	return nil
}

// findClock reads a time of day. « 2 h » with nothing around it is a length when the hour is
// below 5 (« 1 h 30 plutôt »), a time otherwise (« 14 h »); after « à » it is always a time,
// after « pendant », « de », « pour », "for" it is always a length (left to findDuration).
func findClock(m *message) *Clock {
	for _, loc := range reClock.findAll(m, 8) {
		sub := submatches(m.s, loc)
		c, ok := readClock(sub)
		if !ok {
			continue
		}
		prev := m.prevWord(loc[0])
		if prev == "dans" || prev == "in" {
			continue // relative: « dans 2 h »
		}
		if prev == "a" && !m.french {
			prev = "" // the English article: "a 1h meeting"
		}
		if !isClock(c, prev) {
			continue
		}
		m.clear(loc[0], loc[1])
		return &c.Clock
	}
	// "at 10", « à 8 »: a bare hour after « à »; 1 to 6 are afternoon hours.
	for _, loc := range reAtHour.findAll(m, 4) {
		if m.s[loc[0]] == 'a' && m.s[loc[0]+1] == ' ' && !m.french {
			continue
		}
		h := atoi(string(m.s[loc[2]:loc[3]]))
		if h < 1 || h > 23 {
			continue
		}
		if h <= 6 {
			h += 12
		}
		m.clear(loc[0], loc[1])
		return &Clock{Hour: h}
	}
	return nil
}
