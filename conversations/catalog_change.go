package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// This file is the catalog of changing a meeting handed over, and of the plain answers to what
// cannot be right (an hour that does not exist, a meeting for oneself).

func quote(l nlu.Lang, s string) string {
	if l == nlu.English {
		return "\"" + esc(s) + "\""
	}
	return "« " + esc(s) + " »"
}

// changeLines lists what differs between a meeting before and after a change, one markdown
// item per aspect: when, title, designate (the last only when who is true).
func changeLines(l nlu.Lang, before, after MeetingSummary, who bool) string {
	var b strings.Builder
	for _, c := range changeItems(l, before, after, who) {
		b.WriteString("- **" + c.label + "**" + t(l, " : ", ": ") + c.before + " → **" + c.after + "**\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// changeItem is one thing a change makes different, as said to people (already escaped).
type changeItem struct{ label, before, after string }

// changeItems are what a change makes different: the times, the title, the designate (who).
func changeItems(l nlu.Lang, before, after MeetingSummary, who bool) []changeItem {
	var out []changeItem
	zone := after.TimeZone
	if !before.Start.Equal(after.Start) || !before.End.Equal(after.End) {
		out = append(out, changeItem{t(l, "Quand", "When"), formatRange(l, before.Start, before.End, zone), formatRange(l, after.Start, after.End, zone)})
	}
	if before.Title != after.Title {
		out = append(out, changeItem{t(l, "Titre", "Title"), quote(l, before.Title), quote(l, after.Title)})
	}
	if who && !strings.EqualFold(before.Designate.Email, after.Designate.Email) {
		out = append(out, changeItem{t(l, "Animée par", "Run by"), esc(before.Designate.Name()), personLine(after.Designate)})
	}
	return out
}

func msgWhatChange(l nlu.Lang, p Purpose, m MeetingSummary) string {
	if p == PurposeHandOver {
		return t(l,
			fmt.Sprintf("À qui voulez-vous confier la rencontre %s ? Donnez le nom ou l'adresse courriel de la personne (ex. : « Jean Dupont »), ou écrivez « annuler ».", meetingLine(l, m)),
			fmt.Sprintf("Who should run the meeting %s instead? Give their name or e-mail (e.g. \"John Smith\"), or write \"cancel\".", meetingLine(l, m)))
	}
	return t(l,
		fmt.Sprintf("Que voulez-vous changer à la rencontre %s ? Par exemple : « jeudi à 15 h », « pendant 2 h », « change le titre pour Bilan », « donne-la à Jean Dupont ». Ou écrivez « annuler ».", meetingLine(l, m)),
		fmt.Sprintf("What would you like to change in the meeting %s? For example: \"Thursday at 3pm\", \"for 2 hours\", \"call it Review\", \"give it to John Smith\". Or write \"cancel\".", meetingLine(l, m)))
}

func msgWhatElse(l nlu.Lang) string {
	return t(l,
		"Que voulez-vous changer d'autre ? Par exemple : « plutôt à 15 h », « pendant 30 minutes », « appelle-la Bilan », « donne-la à Jean Dupont ». Ou écrivez « annuler » pour ne rien changer.",
		"What else would you like to change? For example: \"at 3pm instead\", \"for 30 minutes\", \"call it Review\", \"give it to John Smith\". Or write \"cancel\" to change nothing.")
}

func msgChangeSummary(l nlu.Lang, before, after MeetingSummary) string {
	name := esc(after.Designate.Name())
	var b strings.Builder
	b.WriteString(t(l, "Voici le changement que je vais faire à la rencontre ", "Here is the change I'm about to make to the meeting ") +
		meetingLine(l, before) + t(l, " :\n\n", ":\n\n"))
	b.WriteString(changeLines(l, before, after, true) + "\n\n")
	b.WriteString(t(l,
		fmt.Sprintf("Je la modifierai dans Webex (elle s'ouvrira toujours 15 minutes avant le début) et j'enverrai à %s, en message privé, les renseignements à jour avec la **clé organisateur**.", name),
		fmt.Sprintf("I'll update it in Webex (it will still open 15 minutes before the start) and send %s, in a private message, the updated details with the **host key**.", name)))
	if !strings.EqualFold(before.Designate.Email, after.Designate.Email) {
		prev := esc(before.Designate.Name())
		b.WriteString(t(l,
			fmt.Sprintf(" J'inviterai %s à la rencontre ; j'aviserai %s, en message privé, que la rencontre ne repose plus sur cette personne, et je retirerai son invitation.", name, prev),
			fmt.Sprintf(" I'll invite %s to the meeting; I'll tell %s, in a private message, that the meeting no longer relies on them, and withdraw their invitation.", name, prev)))
	}
	b.WriteString(t(l,
		"\n\nJe fais ce changement ? Répondez « oui » pour confirmer, dites ce qu'il faut changer d'autre, ou « annuler ».",
		"\n\nShall I make this change? Answer \"yes\" to confirm, tell me what else to change, or \"cancel\"."))
	return b.String()
}

func summaryOfDetails(d MeetingDetails) MeetingSummary {
	return MeetingSummary{Ref: d.ID, Title: d.Title, Start: d.Start, End: d.End, TimeZone: d.TimeZone, Designate: d.Designate}
}

// msgChanged confirms the change to the organizer; it never shows the password or the host key.
func msgChanged(l nlu.Lang, before MeetingSummary, d MeetingDetails, notified bool) string {
	after := summaryOfDetails(d)
	if after.TimeZone == "" {
		after.TimeZone = before.TimeZone
	}
	name := esc(d.Designate.Name())
	var b strings.Builder
	b.WriteString(t(l,
		fmt.Sprintf("C'est fait : la rencontre %s est modifiée dans Webex.\n\n", quote(l, d.Title)),
		fmt.Sprintf("Done: the meeting %s is updated in Webex.\n\n", quote(l, d.Title))))
	if lines := changeLines(l, before, after, true); lines != "" {
		b.WriteString(lines + "\n\n")
	}
	if notified {
		b.WriteString(t(l,
			fmt.Sprintf("%s a reçu en message privé les renseignements à jour avec la clé organisateur ; les invités reçoivent la mise à jour par courriel.", name),
			fmt.Sprintf("%s got the updated details with the host key in a private message; the invitees get the update by e-mail.", name)))
	} else {
		b.WriteString(t(l,
			fmt.Sprintf("Le message privé à %s (renseignements à jour et clé organisateur) est en attente d'envoi ; il partira dès que Webex le permettra.", name),
			fmt.Sprintf("The private message to %s (updated details and host key) is waiting to be sent; it will go out as soon as Webex allows.", name)))
	}
	if !strings.EqualFold(before.Designate.Email, d.Designate.Email) {
		b.WriteString(t(l,
			fmt.Sprintf(" J'ai avisé %s, en message privé, que la rencontre ne repose plus sur cette personne.", esc(before.Designate.Name())),
			fmt.Sprintf(" I told %s, in a private message, that the meeting no longer relies on them.", esc(before.Designate.Name()))))
	}
	return b.String()
}

func msgChangeFailed(l nlu.Lang, f Failure) string {
	switch f.Kind {
	case FailureNotFound, FailureCredential, FailureAccount:
		return msgCommandFailed(l, MeetingChanged, f)
	case FailureTooSoon:
		return t(l,
			"Webex a refusé la nouvelle heure de début : elle est trop proche ou déjà passée. Rien n'a changé.",
			"Webex refused the new start time: it is too close or already past. Nothing was changed.")
	case FailureNotAllowed:
		return t(l,
			"Je ne peux pas confier la rencontre à cette personne : son adresse n'est pas dans un domaine que Relais dessert. Rien n'a changé.",
			"I can't hand the meeting over to this person: their address is not in a domain Relais serves. Nothing was changed.")
	case FailureUnavailable:
		return t(l,
			"Webex ne répond pas pour le moment ; rien n'a changé. Réessayez dans quelques minutes en répondant « oui », ou écrivez « annuler ».",
			"Webex isn't answering right now; nothing was changed. Try again in a few minutes by answering \"yes\", or write \"cancel\".")
	case FailureInvalid:
		return t(l,
			"Webex a refusé la modification telle quelle ; rien n'a changé. Corrigez-la (ex. : « plutôt à 15 h ») ou répondez « oui » pour réessayer.",
			"Webex refused the change as it stands; nothing was changed. Correct it (e.g. \"at 3pm instead\") or answer \"yes\" to try again.")
	default:
		return t(l,
			"La modification a échoué ; rien n'a changé. Répondez « oui » pour réessayer, ou « annuler ».",
			"The change failed; nothing was changed. Answer \"yes\" to try again, or \"cancel\".")
	}
}

func msgChangeDropped(l nlu.Lang) string {
	return t(l,
		"D'accord, je ne change rien : la rencontre reste telle qu'elle était.",
		"OK, I'm changing nothing: the meeting stays as it was.")
}

func msgAlreadyTheirs(l nlu.Lang, m MeetingSummary) string {
	return t(l,
		fmt.Sprintf("%s anime déjà cette rencontre.", esc(m.Designate.Name())),
		fmt.Sprintf("%s already runs this meeting.", esc(m.Designate.Name())))
}

// msgSeriesTimesKept answers a new day, hour or length asked for a series: its dates stay,
// and what can be done instead is said.
func msgSeriesTimesKept(l nlu.Lang, m MeetingSummary) string {
	rule := describeSeries(l, m.Recurrence, seriesFirst(m), m.TimeZone)
	loc, _ := location(m.TimeZone, "UTC")
	next := shortDay(l, m.Start.In(loc)) // the list's date: the next one
	return t(l,
		fmt.Sprintf("La rencontre %s est une série (%s) : je n'en change pas les dates, l'heure ni la durée. "+
			"Pour une seule date, annulez-la (« annule la rencontre du %s ») et programmez-en une autre ; "+
			"pour toute la série, « annule la série », puis programmez-la de nouveau à la nouvelle heure. "+
			"Je peux toutefois en changer le titre (« change le titre de la rencontre 1 pour Bilan ») ou la confier à quelqu'un d'autre (« donne la rencontre 1 à Jean Dupont »).",
			quote(l, m.Title), rule, next),
		fmt.Sprintf("The meeting %s is a series (%s): I don't change its dates, time or length. "+
			"For one date, cancel it (\"cancel the meeting on %s\") and schedule another; "+
			"for the whole series, \"cancel the series\", then schedule it again at the new time. "+
			"I can still rename it (\"rename meeting 1 to Review\") or hand it over to someone else (\"hand meeting 1 over to John Smith\").",
			quote(l, m.Title), rule, next))
}

// seriesFirst is a series' first occurrence (its next one when the first is not known).
func seriesFirst(m MeetingSummary) time.Time {
	if !m.SeriesStart.IsZero() {
		return m.SeriesStart
	}
	return m.Start
}

func msgAlreadyStarted(l nlu.Lang, m MeetingSummary) string {
	return t(l,
		fmt.Sprintf("La rencontre %s a déjà commencé : Webex ne permet plus de la modifier.", quote(l, m.Title)),
		fmt.Sprintf("The meeting %s has already started: Webex no longer lets it be changed.", quote(l, m.Title)))
}

func msgForSelf(l nlu.Lang) string {
	return t(l,
		"Pour vous-même, vous n'avez pas besoin de moi : vous êtes déjà l'organisateur des rencontres que vous programmez dans Webex. Relais sert à programmer une rencontre pour **une autre personne** et à lui transmettre la clé organisateur, pour qu'elle l'anime sans vous.",
		"You don't need me for yourself: you are already the host of the meetings you schedule in Webex. Relais schedules a meeting for **someone else** and hands them the host key, so that they can run it without you.")
}

func msgBadTime(l nlu.Lang) string {
	return t(l,
		"Cette heure n'existe pas : les heures vont de 0 h à 23 h 59 (ex. : « 14 h », « 9 h 30 »).",
		"That time does not exist: hours run from 12:00 AM to 11:59 PM (e.g. \"2pm\", \"9:30am\").")
}

func msgNothingToChange(l nlu.Lang, p Purpose) string {
	if p == PurposeHandOver {
		return t(l, "Vous n'avez aucune rencontre à venir à confier à quelqu'un d'autre.", "You have no upcoming meeting to hand over.")
	}
	return t(l, "Vous n'avez aucune rencontre à venir à modifier.", "You have no upcoming meeting to change.")
}

func msgPickToChange(l nlu.Lang, p Purpose) string {
	if p == PurposeHandOver {
		return t(l, "Quelle rencontre voulez-vous confier à quelqu'un d'autre ?\n\n", "Which meeting do you want to hand over?\n\n")
	}
	return t(l, "Quelle rencontre voulez-vous modifier ?\n\n", "Which meeting do you want to change?\n\n")
}

func msgListChangeHint(l nlu.Lang, n int) string {
	return t(l,
		fmt.Sprintf(" Pour en modifier une : « déplace la rencontre %d à jeudi 15 h », « change le titre de la rencontre %d pour Bilan », « donne la rencontre %d à Jean Dupont ».", n, n, n),
		fmt.Sprintf(" To change one: \"move meeting %d to Thursday at 3pm\", \"rename meeting %d to Review\", \"hand meeting %d over to John Smith\".", n, n, n))
}

// msgReminderComing tells the designate that a reminder will bring the current host key.
func msgReminderComing(l nlu.Lang, before time.Duration) string {
	return t(l,
		fmt.Sprintf("Je vous enverrai un rappel avec la clé organisateur à jour %s avant le début.", formatDuration(l, before)),
		fmt.Sprintf("I'll send you a reminder with the current host key %s before the start.", formatDuration(l, before)))
}

// ChangedMessage is the designate's 1:1 message after a change: what changed, then the
// meeting's details with the freshly fetched host key in after and the steps, as in
// DesignateMessage. A new designate (a hand-over) is told the meeting is now theirs.
func ChangedMessage(l nlu.Lang, before, after MeetingDetails) (markdown string, card map[string]any) {
	org := esc(after.Organizer.Name())
	d := after
	if !strings.EqualFold(before.Designate.Email, after.Designate.Email) {
		d.Note = t(l,
			fmt.Sprintf("**%s** vous confie l'animation d'une rencontre Webex, jusqu'ici confiée à %s : vous la démarrerez vous-même, sans attendre l'organisateur, grâce à la **clé organisateur** ci-dessous. Ce message vous est adressé à vous seulement ; ne transmettez pas la clé.", org, esc(before.Designate.Name())),
			fmt.Sprintf("**%s** is handing a Webex meeting over to you, until now run by %s: you will start it yourself, without waiting for the host, using the **host key** below. This message is for you only; don't share the key.", org, esc(before.Designate.Name())))
	} else {
		b, a := summaryOfDetails(before), summaryOfDetails(after)
		if a.TimeZone == "" {
			a.TimeZone = b.TimeZone
		}
		d.Note = t(l,
			fmt.Sprintf("**%s** a modifié la rencontre que vous animerez :\n\n%s\n\nVoici les renseignements à jour, avec la **clé organisateur** à jour (elle remplace toute clé reçue auparavant).", org, changeLines(l, b, a, false)),
			fmt.Sprintf("**%s** changed the meeting you will run:\n\n%s\n\nHere are the updated details, with the current **host key** (it replaces any key you received before).", org, changeLines(l, b, a, false)))
	}
	return designateMarkdown(l, d, kindNote, 0), designateCard(l, d)
}

// ReleasedNotice tells the previous designate that the meeting was handed over to someone else.
func ReleasedNotice(l nlu.Lang, before MeetingDetails, next Person) string {
	org := esc(before.Organizer.Name())
	when := formatRange(l, before.Start, before.End, before.TimeZone)
	if rule := describeSeries(l, before.Recurrence, before.Start, before.TimeZone); rule != "" {
		// A series: every date goes, not only the one named.
		who := esc(next.Name())
		return capBytes(t(l,
			fmt.Sprintf("Bonjour,\n\n**%s** a confié à %s la série de rencontres Webex « %s » (%s, à partir du %s), que vous deviez animer : aucune de ses dates ne repose plus sur vous. Vous n'avez rien à faire ; les clés organisateur que je vous avais transmises ne vous serviront pas, et les rappels iront désormais à %s.", org, who, esc(before.Title), rule, when, who),
			fmt.Sprintf("Hello,\n\n**%s** handed the Webex meeting series \"%s\" (%s, from %s) over to %s: none of its dates relies on you any more. There is nothing for you to do; the host keys I sent you will not be needed, and the reminders will now go to %s.", org, esc(before.Title), rule, when, who, who)))
	}
	return capBytes(t(l,
		fmt.Sprintf("Bonjour,\n\n**%s** a confié à %s la rencontre Webex « %s » prévue le %s, que vous deviez animer : elle ne repose plus sur vous. Vous n'avez rien à faire ; la clé organisateur que je vous avais transmise ne vous servira pas.", org, esc(next.Name()), esc(before.Title), when),
		fmt.Sprintf("Hello,\n\n**%s** handed the Webex meeting \"%s\" planned for %s over to %s: it no longer relies on you. There is nothing for you to do; the host key I sent you will not be needed.", org, esc(before.Title), when, esc(next.Name()))))
}

// kindNote is the designate's message opened by MeetingDetails.Note.
const kindNote messageKind = 100
