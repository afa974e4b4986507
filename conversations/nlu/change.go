package nlu

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Intents on a meeting already handed over.
const (
	// IntentChange changes a scheduled meeting: « déplace la rencontre 1 à jeudi 15 h »,
	// « change le titre de la rencontre 2 pour Bilan », "move meeting 1 to Friday at 10".
	IntentChange Intent = "change"
	// IntentHandOver gives a scheduled meeting to someone else: « donne la rencontre 1 à Jean
	// Dupont », "hand meeting 1 over to Jean". Designate is the new designate.
	IntentHandOver Intent = "handOver"
)

// A command on a scheduled meeting starts with its verb and names the meeting: « la rencontre
// 2 », « ma rencontre », "meeting #2", "the 2nd meeting". The reference is taken out of the
// message (as spaces, so that « change le titre de la rencontre 2 pour Bilan » reads as
// « change le titre pour Bilan »); the rest is read like any message. Without a reference, a
// change verb is a correction of the request under way (« déplace-la à 11 h »).
var (
	rePolite = `^\s*(?:(?:actually|en\s+fait|finalement|plutot|instead|ok|okay|and|et|alors|so)[,\s]+)*(?:(?:peux-tu|peux\s+tu|pourrais-tu|pourrais\s+tu|pouvez-vous|pourriez-vous|svp|please|` +
		`can\s+you|could\s+you|would\s+you|je\s+veux|je\s+voudrais|j'aimerais|i\s+want\s+to|i'd\s+like\s+to|` +
		`i\s+would\s+like\s+to)\s+)?`
	reChangeVerb = regexp.MustCompile(rePolite + `(?:deplace[rsz]?|bouge[rsz]?|reporte[rsz]?|decale[rsz]?|avance[rsz]?|` +
		`recule[rsz]?|repousse[rsz]?|retarde[rsz]?|change[rsz]?|modifie[rsz]?|renomme[rsz]?|allonge[rsz]?|prolonge[rsz]?|` +
		`raccourci[rsz]?|raccourcissez|ecourte[rsz]?|mets|mettre|mettez|move|reschedule|push|postpone|shift|change|modify|` +
		`edit|update|rename|extend|lengthen|shorten|retitle|put|delay)\b`)
	reHandOverVerb = regexp.MustCompile(rePolite + `(?:donne[rsz]?|confie[rsz]?|transfere[rsz]?|passe[rsz]?|refile[rsz]?|` +
		`reassigne[rsz]?|delegue[rsz]?|hand|give|transfer|reassign|pass|delegate)\b`)
	// reLengthVerb: a time after it is a length (« allonge la rencontre 1 à 2 h »).
	reLengthVerb = regexp.MustCompile(rePolite + `(?:allonge[rsz]?|prolonge[rsz]?|raccourci[rsz]?|raccourcissez|ecourte[rsz]?|` +
		`extend|lengthen|shorten)\b`)
	reShortenVerb = regexp.MustCompile(rePolite + `(?:raccourci[rsz]?|raccourcissez|ecourte[rsz]?|shorten)\b`)
	// reShiftVerb: a length after it moves the meeting (« décale la rencontre 2 d'une heure »,
	// "push meeting 2 back an hour"); earlier with « avance », « plus tôt », "earlier", "forward".
	reShiftVerb = regexp.MustCompile(rePolite + `(?:decale[rsz]?|repousse[rsz]?|retarde[rsz]?|avance[rsz]?|recule[rsz]?|` +
		`deplace[rsz]?|bouge[rsz]?|reporte[rsz]?|move|push|postpone|shift|delay|bring)\b`)
	reEarlier = regexp.MustCompile(`\b(?:avance[rsz]?|plus\s+tot|earlier|forward|sooner)\b`)
	// reBy: « de 30 minutes », "by half an hour" after a length verb is an amount to add.
	reBy = regexp.MustCompile(`\b(?:de|d'|by)\s*(?:\d|une?\b|an?\b|half|quinze|trente|vingt|dix|ten|fifteen|twenty|thirty|forty)`)

	// reMeetingRef names a scheduled meeting: a definite or possessive article before the noun
	// (« la rencontre », « ma 2e rencontre », "the meeting"), or a number after it ("meeting
	// 2"). « une rencontre », "a meeting" is a new one.
	reMeetingRef = regexp.MustCompile(`(?:\b(?:de|du|of)\s+)?(?:` +
		`\b(?:la|ma|le|mon|notre|the|my|our|cette|this)\s+(?:(\d{1,3})(?:e|er|re|eme|ieme|st|nd|rd|th)\s+|(` + ordinalsRe + `)\s+)?` +
		`(?:rencontre|reunion|meeting|rendez-vous|rdv)\b(?:\s*(?:n°|no\.?|numero|number)?\s*#?\s*(\d{1,3})\b)?|` +
		`\b(?:rencontre|reunion|meeting)\s*(?:n°|no\.?|numero|number)?\s*#?\s*(\d{1,3})\b)`)
	// reIt: « -la », "it" right after the verb: the meeting at hand.
	reIt = regexp.MustCompile(`^(?:-la|-le|\s+la|\s+le|\s+it|\s+this|\s+that)\b`)
	// reItOver: « donne-la à Jean », "give it to Jean": a hand-over of the meeting at hand.
	reItOver = regexp.MustCompile(`^(?:-la|-le|\s+la|\s+le|\s+it|\s+this|\s+that)?\s+(?:over\s+)?(?:a|to)\s+`)
)

// command is a command on a scheduled meeting found at the start of a message.
type command struct {
	intent  Intent
	number  int
	length  bool // a length verb: « allonge », "extend"
	shorten bool
	shift   bool // a moving verb: « décale », "push"
	earlier bool
	by      bool // « de 30 minutes », "by 15 minutes"
}

// takeCommand recognizes a change or a hand-over of a scheduled meeting and takes its
// reference out of m. ok is false for any other message.
func takeCommand(m *message) (command, bool) {
	s := string(m.s)
	verb := reHandOverVerb.FindStringIndex(s)
	hand := verb != nil
	if !hand && !reChangeVerb.MatchString(s) {
		return command{}, false
	}
	if strings.Contains(s, "cle") || strings.Contains(s, "key") {
		return command{}, false // « donne la clé à Jean »: a resend
	}
	c := command{intent: IntentChange}
	if hand {
		c.intent = IntentHandOver
	}
	loc := reMeetingRef.FindSubmatchIndex(m.s)
	if loc == nil {
		if hand && reItOver.MatchString(s[verb[1]:]) {
			return c, true // « donne-la à Jean »
		}
		// « avance-la de 30 minutes », "extend it by 15 minutes": the meeting at hand.
		if v := reShiftVerb.FindStringIndex(s); !hand && v != nil && reIt.MatchString(s[v[1]:]) {
			c.shift, c.earlier = true, reEarlier.MatchString(s)
			return c, true
		}
		if v := reLengthVerb.FindStringIndex(s); !hand && v != nil && reIt.MatchString(s[v[1]:]) {
			c.length, c.shorten = true, reShortenVerb.MatchString(s)
			c.by = reBy.Match(m.s)
			return c, true
		}
		return command{}, false
	}
	for g := 1; g <= 4; g++ {
		if loc[2*g] < 0 {
			continue
		}
		w := string(m.s[loc[2*g]:loc[2*g+1]])
		digits, ordinal := w, ""
		if g == 2 {
			digits, ordinal = "", w
		}
		if n, ok := choice(digits, ordinal, ""); ok {
			c.number = n
		}
	}
	m.erase(loc[0], loc[1])
	if !hand {
		c.length = reLengthVerb.MatchString(s)
		c.shorten = reShortenVerb.MatchString(s)
		c.by = c.length && reBy.Match(m.s)
		c.shift = reShiftVerb.MatchString(s)
		c.earlier = reEarlier.MatchString(s)
	}
	return c, true
}

// erase turns s[a:b] into spaces and forgets its words: the text around reads as if it had
// never been there.
func (m *message) erase(a, b int) {
	for i := a; i < b; i++ {
		m.s[i] = ' '
	}
	m.words = slices.DeleteFunc(m.words, func(t token) bool { return t.a >= a && t.a < b })
}

// apply sets the intent of a command once the slots are read. A length verb reads a time as
// the new length (« allonge la rencontre 1 à 2 h ») and « de 30 minutes » as an amount to add
// (or take away: « raccourcis-la de 15 minutes »).
func (c command) apply(m *message, u *Understanding) {
	switch u.Intent {
	case IntentAbort, IntentCancel, IntentResend, IntentList, IntentHelp:
		return
	}
	u.Intent, u.Number = c.intent, c.number
	if c.intent == IntentHandOver && u.Designate == "" {
		u.Designate = findName(m, true)
	}
	// « avec Marie à 15 h », "with Marie to 3pm": the last word belongs to the time.
	for _, w := range []string{" to", " a", " à"} {
		u.Designate = strings.TrimSuffix(u.Designate, w)
	}
	if c.intent == IntentChange && u.Time == nil && u.End != nil && u.Duration == 0 && !c.length {
		u.Time, u.End = u.End, nil // "move it to 3pm": the new start, not an end
	}
	if c.shift && u.Duration != 0 && u.Time == nil && u.Date == nil && u.End == nil {
		// « décale-la d'une heure », "push it back 30 minutes": the same length, later.
		u.Shift, u.Duration = u.Duration, 0
		if c.earlier {
			u.Shift = -u.Shift
		}
	}
	if !c.length {
		return
	}
	if u.Time != nil && u.Date == nil && u.End == nil && u.Duration == 0 {
		u.Duration = time.Duration(u.Time.Hour)*time.Hour + time.Duration(u.Time.Minute)*time.Minute
		u.Time = nil
	}
	if c.by && u.Duration != 0 {
		u.Lengthen, u.Duration = u.Duration, 0
		if c.shorten {
			u.Lengthen = -u.Lengthen
		}
	}
}

// More ways to give a title, for corrections: « appelle-la Bilan », « renomme-la en Bilan »,
// "call it Budget", "name it …", and "about …" or « à propos de … » when it opens the message
// and is not followed by a time or a length ("about 2pm", "about an hour").
var (
	reMoreTitle = anchor(`(?:appelle[rz]?|nomme[rz]?|renomme[rz]?|intitule[rz]?)(?:-la|-le|\s+la|\s+le)?\s+(?:en\s+|pour\s+|:\s*)?|`+
		`(?:call|name|title|rename|retitle)\s+it\s+(?:to\s+)?|(?:rename|retitle)\s+to\s+`,
		oneOf("appelle", "appeler", "appelez", "nomme", "nommer", "nommez", "renomme", "renommer", "renommez",
			"intitule", "intituler", "intitulez", "appelle-la", "appelle-le", "appelez-la", "nomme-la", "nomme-le",
			"renomme-la", "renomme-le", "renommez-la", "intitule-la", "intitule-le", "call", "name", "title", "rename", "retitle"))
	reAbout      = regexp.MustCompile(`^[\s\x01]*(?:about|regarding|re:|(?:a\s+propos|au\s+sujet)\s+(?:des|de\s+la|de|du|d'))\s*`)
	reNotAboutMe = regexp.MustCompile(`^(?:\d|an?\s|half|noon|midnight|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|` +
		`une?\s|midi|minuit|deux|trois|quatre|quinze|trente)`)
)

// reAndThen ends a title where a second correction starts: "call it Retro and make it 3pm".
var reAndThen = regexp.MustCompile(`\s(?:and|et|puis|then)\s+(?:make|mets|change|set|move|deplace|put|at|a|le|la|the|pour|for|with|avec)\b`)

// findMoreTitle takes a title given in one of the correction forms out of m.
func findMoreTitle(m *message) string {
	if loc := reMoreTitle.find(m); loc != nil {
		return m.takeTitleFrom(loc[0], loc[1])
	}
	if loc := reAbout.FindIndex(m.s); loc != nil && !reNotAboutMe.Match(m.s[loc[1]:]) {
		return m.takeTitleFrom(loc[0], loc[1])
	}
	return ""
}

// takeTitleFrom reads the title that starts at s[b] (introduced by s[a:b]) up to what starts
// another slot, and takes it out of m.
func (m *message) takeTitleFrom(a, b int) string {
	rest := m.s[b:]
	end := len(rest)
	if stop := reTitleStop.FindIndex(rest); stop != nil {
		end = stop[0]
	}
	if stop := reAndThen.FindIndex(rest[:end]); stop != nil {
		end = stop[0]
	}
	t := cleanTitle(m.text(b, b+end))
	if t == "" {
		return ""
	}
	m.clear(a, b+end)
	return t
}

// A past day is said so that the dialogue can refuse it plainly, instead of reading « hier »
// as part of a name: « hier », « avant-hier », "yesterday", "the day before yesterday",
// « mardi dernier », "last Tuesday".
var rePastDay = regexp.MustCompile(`\b(?:avant-hier|avant\s+hier|the\s+day\s+before\s+yesterday|hier|yesterday|` +
	`(?:last\s+(` + weekdaysRe + `))|(?:(` + weekdaysRe + `)\s+(?:dernier|passe)))\b`)

// findPastDay takes a past day out of m, as a full date (kept even though it is past).
func findPastDay(m *message, now time.Time) *DateSpec {
	loc := rePastDay.FindSubmatchIndex(m.s)
	if loc == nil {
		return nil
	}
	w := string(m.s[loc[0]:loc[1]])
	back := 1
	switch {
	case strings.HasPrefix(w, "avant") || strings.HasPrefix(w, "the day"):
		back = 2
	case loc[2] >= 0 || loc[4] >= 0:
		var name string
		if loc[2] >= 0 {
			name = string(m.s[loc[2]:loc[3]])
		} else {
			name = string(m.s[loc[4]:loc[5]])
		}
		wd, ok := weekdays[name]
		if !ok {
			return nil
		}
		back = (int(now.Weekday()) - int(wd) + 7) % 7
		if back == 0 {
			back = 7
		}
	}
	m.clear(loc[0], loc[1])
	return dayOf(now.AddDate(0, 0, -back))
}

// An hour that does not exist (« 25 h », « 10 h 75 », "25:00", "13pm") is flagged, never read
// as a length or a name. A length (« pendant 25 h ») is left to the length rules.
var reBadTime = regexp.MustCompile(`(?:^|[^\d:])(?:(?:a|at|vers|de|from|pour|to|jusqu'a|until)\s+)?` +
	`(?:(\d{1,3})\s*(?:h|:)\s*(\d{2})?|(\d{1,2})\s*(?:am|pm|a\.m\.|p\.m\.))(?:\b|$)`)

// findBadTime reports and takes out an hour that does not exist.
func findBadTime(m *message) bool {
	for _, loc := range reBadTime.FindAllSubmatchIndex(m.s, 4) {
		bad := false
		switch {
		case loc[2] >= 0:
			h := atoi(string(m.s[loc[2]:loc[3]]))
			min := 0
			if loc[4] >= 0 {
				min = atoi(string(m.s[loc[4]:loc[5]]))
			}
			bad = h > 24 || (h == 24 && min > 0) || min > 59
		case loc[6] >= 0:
			h := atoi(string(m.s[loc[6]:loc[7]]))
			bad = h > 12 || h == 0
		}
		if !bad {
			continue
		}
		if w := m.prevWord(loc[0] + 1); lengthWords[w] || w == "for" || w == "dans" || w == "in" {
			continue
		}
		m.clear(loc[0], loc[1])
		return true
	}
	return false
}

// reForSelf: « pour moi », "for me": the organizer is the host already.
var reForSelf = regexp.MustCompile(`\b(?:pour|for|avec|with)\s+(?:moi-meme|moi\s+meme|moi|me|myself)\b`)

// reToSelf: a hand-over « à moi », « confie-moi … », "to me": the organizer again.
var reToSelf = regexp.MustCompile(`\b(?:(?:a|to)\s+(?:moi-meme|moi\s+meme|moi|me|myself)|[a-z]+-moi)\b`)
