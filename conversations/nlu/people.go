package nlu

import (
	"regexp"
	"strings"
)

var (
	reEmail = regexp.MustCompile(`[a-z0-9][a-z0-9._%+'-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}`)
	// reFor introduces the designate: « pour Marie », « avec Jean Dupont », "for Marie", "with Jean".
	reFor = anchor(`(?:pour|avec|for|with|invite|inviter|invite[rz])\s+`, oneOf("pour", "avec", "for", "with", "invite", "inviter", "invitez"))
	// reTo introduces the recipient of a resent key: « renvoie la clé à Marie », "to Marie".
	reTo     = anchor(`(?:pour|avec|for|with|a|to)\s+`, oneOf("pour", "avec", "for", "with", "a", "to"))
	reNameWd = regexp.MustCompile(`^[\p{L}][\p{L}'.-]*`)
)

// notNames are words that follow « pour » / "for" without being a person.
var notNames = wordSet(`le la les l' un une des du de d' the a an this that ce cet cette ces
	mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs my your his her our their
	moi toi lui elle eux nous vous me myself us him them it everyone everybody tout tous toute toutes
	quelqu'un someone somebody personne nobody
	rencontre rencontres reunion reunions meeting meetings rendez-vous rdv appel call equipe team
	demain aujourd'hui tomorrow today tonight ce soir matin apres-midi semaine week mois month
	prochain prochaine next dernier last
	et and ou or mais but avec with pour for a at au aux en in on par by sur dans vers
	parler discuter faire voir revoir regarder preparer planifier valider presenter jaser
	discuss talk review plan prepare meet chat sync catch
	titre sujet title subject topic qu'on que qui
	lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday
	janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
	january february march april may june july august september october november december
	heure heures minute minutes hour hours demi-heure
	plutot instead s'il svp please merci thanks`)

func wordSet(words string) map[string]bool {
	set := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// findEmail takes an e-mail address out of m, as written.
func findEmail(m *message) string {
	if !containsAny(m.s, "@") {
		return ""
	}
	loc := reEmail.FindIndex(m.s)
	if loc == nil {
		return ""
	}
	e := m.text(loc[0], loc[1])
	m.clear(loc[0], loc[1])
	return e
}

// findName reads a person's name after an introducer: up to four words that are not
// common words, as written. toToo also accepts « à » / "to" (resending a key).
func findName(m *message, toToo bool) string {
	re := reFor
	if toToo {
		re = reTo
	}
	for _, loc := range re.findAll(m, 8) {
		start, end := loc[1], loc[1]
		words := 0
		for i := loc[1]; words < 4; {
			w := reNameWd.Find(m.s[i:])
			if w == nil {
				break
			}
			word := strings.TrimRight(string(w), ".'-")
			if notNames[word] || recurrenceStops[word] || strings.HasPrefix(word, "l'") || strings.HasPrefix(word, "d'") ||
				strings.HasPrefix(word, "qu'") || word == "" {
				break
			}
			end = i + len(word)
			words++
			i = end
			j := i
			for j < len(m.s) && m.s[j] == ' ' {
				j++
			}
			if j == i {
				break
			}
			i = j
		}
		if words > 0 {
			name := m.text(start, end)
			m.clear(loc[0], end)
			return name
		}
	}
	return ""
}

// bareName reads a message that is only a name written with capitals (« Marie Tremblay »,
// "Jean"), the answer to "for whom?". Lower-case answers are left to the dialogue, which knows
// what it asked.
func bareName(m *message) string {
	var first, last int
	n := 0
	for _, t := range m.words {
		if m.s[t.a] == blank {
			continue
		}
		r := m.orig[m.off[t.a]]
		if n == 4 || notNames[t.w] || recurrenceStops[t.w] || confirmWords[t.w] || fillerWords[t.w] || !(r >= 'A' && r <= 'Z' || r >= 0xC0) {
			return ""
		}
		if n == 0 {
			first = t.a
		}
		last = t.b
		n++
	}
	for _, c := range m.s {
		if c < 0x80 && c != blank && c != ' ' && c != '-' && c != '\'' && c != '.' && !(c >= 'a' && c <= 'z') {
			return "" // digits, punctuation: not a bare name
		}
	}
	if n == 0 {
		return ""
	}
	return m.text(first, last)
}
