package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// FailureRateLimited: the organizer created too many meetings in a short time.
const FailureRateLimited FailureKind = "rateLimited"

// DetectLang tells the language a message is written in, def when it cannot be told (an empty
// message, a bare number).
func DetectLang(text string, def nlu.Lang) nlu.Lang {
	if strings.TrimSpace(text) == "" {
		return def
	}
	return nlu.Parse(text, time.Unix(0, 0), time.UTC).Lang
}

// NotAllowedMessage answers someone outside the domains Relais serves.
func NotAllowedMessage(l nlu.Lang) string {
	return t(l,
		"Désolé, Relais est réservé aux membres de l'organisation qui l'a installé. Si vous pensez que c'est une erreur, écrivez à votre service informatique.",
		"Sorry, Relais is reserved for members of the organization that installed it. If you think this is a mistake, contact your IT department.")
}

// SlowDownNotice answers, once, someone who sends more messages than Relais handles from one
// person; what follows is ignored until the pace is back to normal.
func SlowDownNotice(l nlu.Lang) string {
	return t(l,
		"Vous m'écrivez plus vite que je ne peux suivre : j'ignore vos prochains messages pendant quelques instants. Réessayez dans une minute.",
		"You are writing faster than I can follow: I will ignore your next messages for a moment. Try again in a minute.")
}

// DeliveryFailedNotice tells the organizer that the designate's message could not be delivered
// after every retry, and what to do.
func DeliveryFailedNotice(l nlu.Lang, d MeetingDetails) string {
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	return t(l,
		fmt.Sprintf("Je n'ai pas réussi à envoyer à %s son message privé pour la rencontre « %s » (%s), malgré plusieurs essais. La rencontre existe et l'invitation lui est parvenue par courriel. Écrivez « renvoie la clé » pour réessayer, ou transmettez-lui la clé organisateur vous-même.",
			esc(d.Designate.Name()), esc(d.Title), when),
		fmt.Sprintf("I could not deliver %s's private message for the meeting \"%s\" (%s), despite several tries. The meeting exists and the invitation reached them by e-mail. Write \"resend the host key\" to try again, or give them the host key yourself.",
			esc(d.Designate.Name()), esc(d.Title), when))
}

// msgRateLimited is the polite refusal when an organizer schedules too much at once.
func msgRateLimited(l nlu.Lang) string {
	return t(l,
		"Vous avez programmé beaucoup de rencontres en peu de temps ; par prudence, je dois attendre un peu avant d'en créer une autre. Rien n'a été créé. Réessayez plus tard en répondant « oui ».",
		"You have scheduled many meetings in a short time; as a precaution I must wait a little before creating another. Nothing was created. Try again later by answering \"yes\".")
}

// msgOutsider refuses a designate outside the domains (or the organization) Relais serves.
func msgOutsider(l nlu.Lang, who string) string {
	return t(l,
		fmt.Sprintf("Je ne peux pas programmer de rencontre pour « %s » : cette personne n'est pas dans l'organisation que Relais dessert, et la clé organisateur ne doit pas en sortir. Pour qui est la rencontre ? Donnez le nom ou l'adresse courriel d'une personne de l'organisation, ou écrivez « annuler ».", esc(who)),
		fmt.Sprintf("I can't schedule a meeting for \"%s\": this person is outside the organization Relais serves, and the host key must not leave it. Who is the meeting for? Give the name or e-mail of someone in the organization, or write \"cancel\".", esc(who)))
}

// msgBadDate answers a day that does not exist (« le 31 juin », « 30/02 ») or contradicts its
// weekday (« mercredi 23 juin » when the 23rd is a Tuesday).
func msgBadDate(l nlu.Lang) string {
	return t(l,
		"Cette date ne tient pas : ce jour n'existe pas, ou il ne tombe pas le jour de la semaine indiqué.",
		"That date does not hold: the day does not exist, or it does not fall on the weekday given.")
}

// msgPrivateOnly sends list, cancel and resend requests made in a group space to the 1:1 space.
func msgPrivateOnly(l nlu.Lang) string {
	return t(l,
		"Pour voir, modifier ou annuler une rencontre, ou renvoyer une clé organisateur, écrivez-moi en message privé (1:1) : vos rencontres peuvent contenir des renseignements confidentiels, que je n'affiche pas dans un espace de groupe.",
		"To see your meetings, change or cancel one, or resend a host key, write to me in a private (1:1) message: your meetings may hold confidential details, which I do not show in a group space.")
}
