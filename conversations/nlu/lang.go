package nlu

import "strings"

// frenchWords and englishWords are frequent words of one language only (after folding).
var (
	frenchWords = wordSet(`le la les l' de du des d' pour avec une un demain apres-demain aujourd'hui rencontre rencontres
		reunion reunions oui non ouais midi minuit heure heures et je j' tu mes ma mon moi programme programmer planifie
		organise cedule ceduler cree creer prevois prepare annule annuler renvoie renvoyer cle aide liste plutot dans
		pendant lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier avril mai juin juillet aout septembre
		octobre novembre decembre prochain prochaine parfait vas-y c'est beau bon merci svp titre sujet intitulee appelee
		peux-tu voudrais aimerais laisse tomber oublie ca en fait change entre jusqu'a matin soir apres-midi demi demie
		demi-heure quart deuxieme premier premiere troisieme sais faire qui est au aux sur veux deux trois quatre cinq
		neuf dix onze douze ce cette avant apres vers d'une d'accord arrete rendez-vous quoi que mais il elle nous`)
	englishWords = wordSet(`the for with a an tomorrow today tonight meeting meetings yes no noon midnight hour hours and i
		you my me schedule set up book create cancel resend key host help list instead in at on from to next monday
		tuesday wednesday thursday friday saturday sunday january february march april june july august october
		november december please thanks thank sure confirm never mind stop called titled named can could would like want
		day days week after before pm am half an of one two three four five six seven eight nine ten eleven twelve
		what how is it this that show send again actually change title second third first nope yeah yep okay actually`)
)

// language guesses the language of a message (normalized, before slots are taken out).
// French wins ties: Relais is French first.
func language(s string, accented int) Lang {
	fr, en := accented, 0
	h, ampm := hourMarks(s)
	fr += 2 * h
	en += 2 * ampm
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '\'' || r == '-' || r >= 0x80)
	}) {
		if frenchWords[w] {
			fr++
		}
		if englishWords[w] {
			en++
		}
		// « j'aimerais », « l'équipe », « qu'on »: elisions are French.
		if len(w) > 2 && (w[1] == '\'' && strings.ContainsRune("ljdmnstc", rune(w[0])) || strings.HasPrefix(w, "qu'")) {
			fr++
		}
	}
	if en > fr {
		return English
	}
	return French
}

// hourMarks counts « 14h », « 14 h 30 » (French) and "2pm", "10:30 a.m." (English) marks.
func hourMarks(s string) (h, ampm int) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] == ' ' {
			j++
		}
		rest := s[j:]
		after := func(n int) bool { return len(rest) == n || len(rest) > n && !(rest[n] >= 'a' && rest[n] <= 'z') }
		switch {
		case len(rest) > 0 && rest[0] == 'h' && (after(1) || strings.HasPrefix(rest, "heure")):
			h++
		case strings.HasPrefix(rest, "am") && after(2), strings.HasPrefix(rest, "pm") && after(2),
			strings.HasPrefix(rest, "a.m"), strings.HasPrefix(rest, "p.m"):
			ampm++
		}
	}
	return h, ampm
}
