package nlu

import (
	"regexp"
	"strings"
	"time"
)

var (
	reMention = regexp.MustCompile(`^\s*@?relais\b[\s,:]*`)
	// reChoice is a whole message that picks from a numbered list: « 2 », « le 2 », « la 2e »,
	// « numéro 2 », "#2", "the 2nd one", « la deuxième », "the second one".
	reChoice = regexp.MustCompile(`^(?:(?:le|la|l'|the|choix|option|choice|numero|number|no|n°|#)\s*)*` +
		`(?:#\s*)?(?:(\d{1,3})(?:er|ere|re|e|eme|ieme|st|nd|rd|th)?|(` + ordinalsRe + `)|(` + numberWordsRe + `))` +
		`(?:\s+(?:one|choix|option|svp|please|personne|person))?$`)
	// reItem is the meeting a cancel or a resend is about: « la rencontre 2 », "meeting #2", « la 2 ».
	reItem = regexp.MustCompile(`(?:\b(?:rencontre|reunion|meeting|numero|number|no|n°|la|le|du|the)\s*#?\s*|#\s*)(\d{1,3})(?:er|ere|re|e|eme|ieme|st|nd|rd|th)?\b|` +
		`\b(?:la|le|the)\s+(` + ordinalsRe + `)\b`)
)

// Parse reads one message. now and loc resolve relative words; loc is the organizer's zone
// (nil means UTC). Parse never panics and reads at most the first 1,000 bytes of text.
//
// Slots are taken out one kind at a time, each pass blanking what it understood so that the
// next does not read it again: title, e-mail, day, range or time of day, length and relative
// start (« dans 2 heures »), then the person, then the intent from the words that are left.
// A message that is only a number or an ordinal (« 2 », « la deuxième ») fills Number alone.
// A message starting with « non » / "no" is IntentDeny even when it carries slots, which are
// then corrections (« non, plutôt à 15 h »).
func Parse(text string, now time.Time, loc *time.Location) Understanding {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	m := newMessage(text)
	if l := reMention.FindIndex(m.s); l != nil {
		m.clear(l[0], l[1])
	}
	u := Understanding{Intent: IntentUnknown, Lang: language(string(m.s), m.accented)}
	m.french = u.Lang == French

	if sub := reChoice.FindSubmatch([]byte(restOf(m))); sub != nil {
		if n, ok := choice(string(sub[1]), string(sub[2]), string(sub[3])); ok {
			u.Number = n
			return u
		}
	}

	cmd, isCmd := takeCommand(m) // change.go: « déplace la rencontre 2 … »
	u.Title = findTitle(m)
	if u.Title == "" {
		u.Title = findMoreTitle(m) // « appelle-la … », "call it …"
	}
	late, early := partOfDay(restOf(m)) // before the date and time are taken out of m
	email := findEmail(m)
	u.Recurrence = findRecurrence(m, now) // before the date: « jusqu'au 19 décembre » is its end
	u.Series = isSeries(m)
	past := findPastDay(m, now) // « hier », « mardi dernier »: to be refused, not read as a name
	u.Date, u.BadDate = findDate(m, now)
	if u.Date == nil && !u.BadDate {
		u.Date = past
	}
	if r := u.Recurrence; r != nil && r.MonthDay > 0 && u.Date == nil && !u.BadDate {
		u.Date = &DateSpec{Day: r.MonthDay} // « chaque 15 du mois »: from the next 15th
	}
	u.BadTime = findBadTime(m)
	u.Time, u.End = findRange(m)
	if u.End == nil {
		u.End = findEnd(m) // « jusqu'à 15 h »
	}
	if u.Time == nil {
		u.Time = findClock(m)
	}
	if late && !early {
		afternoon(u.Time, u.End) // « demain soir à 7 h », "this afternoon at 3"
	}
	var rel time.Time
	u.Duration, rel = findDurations(m, now)
	if !rel.IsZero() {
		if u.Date == nil {
			u.Date = dayOf(rel)
		}
		if u.Time == nil {
			u.Time = &Clock{Hour: rel.Hour(), Minute: rel.Minute()}
		}
	}

	rest := restOf(m)
	slots := u.Title != "" || email != "" || u.Date != nil || u.Time != nil || u.Duration != 0 || u.Recurrence != nil
	u.Intent = intentOf(rest, slots)
	if email != "" {
		u.Designate = email
	} else if u.Intent != IntentAbort && u.Intent != IntentHelp && u.Intent != IntentList {
		u.Designate = findName(m, u.Intent == IntentResend)
		if u.Designate != "" && u.Intent == IntentUnknown && !slots {
			// « en fait pour Jean », "with Marie": a correction of the person.
			u.Intent = intentOf(restOf(m), true)
		}
	}
	if u.Intent == IntentUnknown && u.Designate == "" && !slots {
		u.Designate = bareName(m)
	}
	if d := u.Date; d != nil && d.Month == 0 && !d.IsWeekday && u.Time == nil &&
		(u.Intent == IntentAbort || u.Intent == IntentCancel || u.Intent == IntentResend) {
		// « annule le 2 »: the second meeting of a list, not the 2nd of the month.
		u.Intent, u.Number, u.Date = IntentCancel, d.Day, nil
		if strings.Contains(rest, "envo") || strings.Contains(rest, "send") {
			u.Intent = IntentResend
		}
	}
	if isCmd {
		cmd.apply(m, &u)
	}
	u.ForSelf = u.Designate == "" && (reForSelf.Match(m.s) || (u.Intent == IntentHandOver && reToSelf.Match(m.s)))
	if u.Intent == IntentCancel || u.Intent == IntentResend {
		if sub := reItem.FindSubmatch(m.s); sub != nil {
			if n, ok := choice(string(sub[1]), string(sub[2]), ""); ok {
				u.Number = n
			}
		}
	}
	return u
}

func choice(digits, ordinal, word string) (int, bool) {
	switch {
	case digits != "":
		n := atoi(digits)
		return n, n > 0
	case ordinal != "":
		n, ok := ordinals[ordinal]
		return n, ok
	case word != "" && word != "a" && word != "an":
		n, ok := numberWords[strings.Replace(word, " ", "-", 1)]
		return n, ok && n <= 20
	}
	return 0, false
}

// partOfDay tells whether the text speaks of the afternoon or evening (« ce soir », « demain
// après-midi », "tomorrow evening", "tonight") or of the morning.
func partOfDay(text string) (late, early bool) {
	for _, w := range []string{"soir", "apres-midi", "apres midi", "afternoon", "evening", "tonight"} {
		if strings.Contains(text, w) {
			late = true
		}
	}
	for _, w := range []string{"matin", "morning", " am", "a.m"} {
		if strings.Contains(text, w) {
			early = true
		}
	}
	return late, early
}

// afternoon moves times said on the 12-hour clock (1 to 11) to the afternoon or evening; an end
// follows its start.
func afternoon(start, end *Clock) {
	if start != nil && start.Hour >= 1 && start.Hour <= 11 {
		start.Hour += 12
	}
	if end != nil && end.Hour >= 1 && end.Hour <= 11 && (start == nil || end.Hour+12 > start.Hour) {
		end.Hour += 12
	}
}
