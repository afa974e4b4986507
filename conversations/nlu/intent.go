package nlu

import (
	"regexp"
	"strings"
)

var (
	reAbort = regexp.MustCompile(`^(?:non\s+)?(?:annuler?|annulez|cancel|stop|arrete[rz]?|abandonne[rz]?|abandon|quit|quitter|exit|` +
		`laisse\s+(?:faire|tomber)|laissez\s+tomber|oublie[rz]?|oubliez|forget\s+(?:it|about\s+it)|never\s?mind|nvm|` +
		`on\s+oublie|on\s+laisse\s+tomber|on\s+arrete|cancel\s+(?:it|that|this)|annule[rz]?\s+(?:ca|cela|tout))` +
		`(?:\s+(?:ca|cela|tout|ca|svp|merci|please|thanks|that|it|this|la|demande))*$`)
	reCancel = regexp.MustCompile(`^(?:(?:peux-tu|peux\s+tu|pourrais-tu|please|svp|je\s+veux|je\s+voudrais|j'aimerais|i\s+want\s+to|i'd\s+like\s+to|can\s+you)\s+)?` +
		`(?:annule[rsz]?|cancel|supprime[rsz]?|delete|remove|efface[rsz]?)\b`)
	reResend = regexp.MustCompile(`\b(?:renvoie[rsz]?|renvoyer|renvoyez|re-?envoie[rsz]?|re-?envoyer|resend|re-send|renvoi|` +
		`send\s+(?:again|back)|envoie[rsz]?\s+(?:a\s+nouveau|de\s+nouveau|encore))\b`)
	reSendKey   = regexp.MustCompile(`\b(?:envoie[rsz]?|envoyer|send|donne[rsz]?|transmet[sz]?|transmettre)\b.*\b(?:cle|key)\b`)
	reSchedVerb = regexp.MustCompile(`\b(?:programme[rsz]?|planifie[rsz]?|organise[rsz]?|cedule[rsz]?|cree[rsz]?|prevois|prevoir|prevoyez|` +
		`prepare[rsz]?|fixe[rsz]?|booke[rsz]?|book|schedule|set\s+up|setup|create|arrange|organi[sz]e|plan|` +
		`nouvelle\s+(?:rencontre|reunion)|new\s+meeting)\b`)
	reRequest = regexp.MustCompile(`\b(?:peux-tu|peux\s+tu|pourrais-tu|pourrais\s+tu|pouvez-vous|j'aimerais|je\s+voudrais|je\s+veux|` +
		`j'ai\s+besoin|il\s+me\s+faut|can\s+you|could\s+you|would\s+you|i'd\s+like|i\s+would\s+like|i\s+want|i\s+need|let's\s+have)\b`)
	reMeetingNoun = regexp.MustCompile(`\b(?:rencontres?|reunions?|meetings?|rendez-vous|rdv|appel|call|visio|webex)\b`)
	reList        = regexp.MustCompile(`\b(?:mes|my)\s+(?:prochaines\s+|upcoming\s+|next\s+)?(?:rencontres|reunions|meetings|rendez-vous)\b|` +
		`^(?:liste[rz]?|list|affiche[rz]?|montre[rz]?|voir|show|quelles\s+sont|what\s+are)\b|^(?:rencontres|meetings|reunions)$`)
	reHelp = regexp.MustCompile(`^(?:aide|aide-moi|aidez-moi|help|help\s+me|\?+|menu|commandes?|commands?|info|bonjour|salut|allo|hello|hi|hey)$|` +
		`\b(?:que\s+sais-tu\s+faire|que\s+peux-tu\s+faire|qu'est-ce\s+que\s+tu\s+(?:sais|peux)\s+faire|tu\s+fais\s+quoi|` +
		`comment\s+(?:ca|tu)\s+(?:marche|fonctionne)|what\s+can\s+you\s+do|how\s+does\s+(?:this|it)\s+work|how\s+do\s+i\s+use)\b|^(?:aide|help)\b`)
	reDeny = regexp.MustCompile(`^(?:non|no|nope|nan|negatif|pas\s+vraiment|not\s+really|pas\s+ca|incorrect)\b`)
)

// confirmWords confirm on their own; fillerWords may come with them (« oui, merci »).
var (
	confirmWords = wordSet(`oui ouais ouep yep yes yeah yup ok okay oke k parfait parfaitement vas-y go confirme confirmer
		confirm confirmed confirmes sure certainly certainement absolument exact exactement correct d'accord daccord dac
		entendu beau bon marche perfect great good fine allez-y allons-y excellent super 👍 ✅`)
	fillerWords = wordSet(`c'est c ca cela tout est bien tres very merci thanks thank you svp please s'il te plait vous
		plait it's it is that's that all looks sounds ahead let's do it fais-le oui go`)
)

// intentOf decides what the message asks, from what is left once slots are taken out (rest)
// and whether slots were found.
func intentOf(rest string, slots bool) Intent {
	if rest == "" && !slots {
		return IntentUnknown
	}
	if reAbort.MatchString(rest) {
		return IntentAbort
	}
	if reCancel.MatchString(rest) {
		return IntentCancel
	}
	if has(rest, "envo", "send") && (reResend.MatchString(rest) || reSendKey.MatchString(rest)) ||
		has(rest, "donne", "transmet") && reSendKey.MatchString(rest) {
		return IntentResend
	}
	list := has(rest, "mes", "my", "list", "affiche", "montre", "voir", "show", "quelles", "what", "rencontres", "reunions", "meetings") &&
		reList.MatchString(rest)
	if !list && (reSchedVerb.MatchString(rest) ||
		(slots || reRequest.MatchString(rest)) && reMeetingNoun.MatchString(rest)) {
		return IntentSchedule
	}
	switch {
	case list:
		return IntentList
	case !slots && reHelp.MatchString(rest):
		return IntentHelp
	case !slots && isConfirm(rest):
		return IntentConfirm
	case reDeny.MatchString(rest):
		return IntentDeny
	}
	return IntentUnknown
}

func isConfirm(rest string) bool {
	strong := false
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return r == ' ' || r == ',' || r == '.' || r == '!' || r == ';' || r == ':'
	}) {
		switch {
		case confirmWords[w]:
			strong = true
		case fillerWords[w]:
		default:
			return false
		}
	}
	return strong
}

// restOf is what is left of the message once slots are blanked: single spaces, no end
// punctuation.
func restOf(m *message) string {
	var b strings.Builder
	b.Grow(len(m.s))
	space := true
	for _, c := range m.s {
		if c == blank || c == ' ' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteByte(c)
		space = false
	}
	return strings.Trim(b.String(), " .!,;:")
}

// has is a cheap filter before a pattern: whether s holds one of the literals.
func has(s string, literals ...string) bool {
	for _, l := range literals {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}
