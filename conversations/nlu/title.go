package nlu

import (
	"bytes"
	"regexp"
	"strings"
)

// A title is quoted (« … », "…", “…”, '…') or introduced (« titre : », « sujet : »,
// « intitulée », « appelée », « change le titre pour », "called", "titled", "named",
// "change the title to"). "about" is not an introducer: "about 2pm", "about an hour" are
// too common. An introduced, unquoted title runs to the end of the sentence, or stops before
// what starts another slot (« pour », "with", a date, a time); quote a title that contains such
// words.
var (
	reQuoted = regexp.MustCompile(`«\s*([^»]{1,300}?)\s*»|"([^"]{1,300})"|“([^”"]{1,300})”|(?:^|[\s(:])'([^']{1,300})'(?:$|[\s.,;:!?)])`)

	reTitleIntro = anchor(`(?:titre|sujet|objet|title|subject|topic)\s*:\s*|(?:titre|sujet)\s+(?:c'est|est|sera)\s+|(?:title|subject)\s+is\s+|`+
		`(?:intitulee?s?|appelee?s?|nommee?s?|called|titled|entitled|named)\s+|`+
		`(?:change[rsz]?|modifie[rsz]?)\s+(?:le\s+)?(?:titre|sujet)\s+(?:pour|en|a|par|:)\s*|`+
		`(?:change|set|update)\s+(?:the\s+)?(?:title|subject)\s+(?:to|:)\s*|`+
		`rename\s+(?:it\s+|the\s+meeting\s+)?to\s+`,
		oneOf("titre", "sujet", "objet", "title", "subject", "topic", "intitule", "intitulee", "intitules", "intitulees",
			"appele", "appelee", "appeles", "appelees", "nomme", "nommee", "nommes", "nommees", "called", "titled", "entitled", "named",
			"change", "changer", "changes", "changez", "modifie", "modifier", "modifies", "modifiez", "set", "update", "rename"))

	reTitleStop = regexp.MustCompile(`[,;!?\n"«“]|\.(?:\s|$)|\s(?:pour|avec|for|with|demain|apres-demain|apres demain|aujourd'hui|tomorrow|today|tonight|prochaine?|next|dans\s+\d|in\s+\d|` +
		`(?:le|la|a|at|on|de|du|from|vers|pendant|durant|during|entre|between|des)\s+(?:\d|premier|` + weekdaysRe + `)|` +
		`(?:` + weekdaysRe + `)\b|\d{1,2}\s*(?:h\b|h\d|heures?\b|:\d\d|am\b|pm\b)|midi\b|noon\b|\d{1,2}[/-]\d{1,2})`)
)

// reClauseEnd ends a title introduced with a colon.
var reClauseEnd = regexp.MustCompile(`[,;!?\n"«“]|\.(?:\s|$)`)

// findTitle takes the title out of m.
func findTitle(m *message) string {
	if !containsAny(m.s, "«", "\"", "“", "'") {
		// no quote
	} else if loc := reQuoted.FindSubmatchIndex(m.s); loc != nil {
		for g := 1; g <= 4; g++ {
			a, b := loc[2*g], loc[2*g+1]
			if a < 0 {
				continue
			}
			t := cleanTitle(m.text(a, b))
			m.clear(loc[0], loc[1])
			if t != "" {
				return t
			}
		}
	}
	loc := reTitleIntro.find(m)
	if loc == nil {
		return ""
	}
	rest := m.s[loc[1]:]
	end := len(rest)
	stopAt := reTitleStop
	if bytes.IndexByte(m.s[loc[0]:loc[1]], ':') >= 0 {
		// « titre : Bilan d'équipe pour l'urgence »: after a colon the title runs to the end
		// of the clause; « pour » or a date inside it belong to it.
		stopAt = reClauseEnd
	}
	if stop := stopAt.FindIndex(rest); stop != nil {
		end = stop[0]
	}
	t := cleanTitle(m.text(loc[1], loc[1]+end))
	if t == "" {
		return ""
	}
	m.clear(loc[0], loc[1]+end)
	return t
}

func cleanTitle(t string) string {
	return strings.Trim(t, " \t\u00a0\u202f.:;,-—–")
}
