package conversations

import (
	"fmt"

	"github.com/relaisbot/relais/conversations/nlu"
)

// The sweep of abandoned intents (bot/sweep.go): a confirmation whose handling stopped half-way
// (a crash) and was never taken up again. The organizer is told, in their 1:1 space only, what
// became of it. No secret here: the designate's own message carries the host key.

// AbandonedCreatedNotice tells the organizer the meeting of an interrupted confirmation exists
// after all. notified says whether the designate's message is already delivered (otherwise it
// is on its way, through the outbox).
func AbandonedCreatedNotice(l nlu.Lang, d MeetingDetails, notified bool) string {
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	who := esc(d.Designate.Name())
	fr := fmt.Sprintf("%s a reçu son message privé avec la clé organisateur.", who)
	en := fmt.Sprintf("%s got their private message with the host key.", who)
	if !notified {
		fr = fmt.Sprintf("%s recevra sous peu son message privé avec la clé organisateur.", who)
		en = fmt.Sprintf("%s will shortly get their private message with the host key.", who)
	}
	return t(l,
		fmt.Sprintf("Votre demande a été interrompue de mon côté, mais la rencontre « %s » (%s) pour %s a bien été créée finalement. %s",
			esc(d.Title), when, who, fr),
		fmt.Sprintf("Your request was interrupted on my side, but the meeting \"%s\" (%s) for %s was created after all. %s",
			esc(d.Title), when, who, en))
}

// AbandonedFailedNotice tells the organizer the meeting of an interrupted confirmation was not
// created, and how to ask again.
func AbandonedFailedNotice(l nlu.Lang, d MeetingDetails) string {
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	return t(l,
		fmt.Sprintf("Votre demande de rencontre « %s » (%s) pour %s a été interrompue de mon côté et la rencontre n'a pas été créée. Rien n'a été programmé. Pour la demander de nouveau, écrivez-moi ici une nouvelle demande, par exemple « rencontre avec %s demain à 14 h ».",
			esc(d.Title), when, esc(d.Designate.Name()), esc(d.Designate.Email)),
		fmt.Sprintf("Your request for the meeting \"%s\" (%s) for %s was interrupted on my side and the meeting was not created. Nothing was scheduled. To ask again, write me a new request here, for example \"meeting with %s tomorrow at 2 pm\".",
			esc(d.Title), when, esc(d.Designate.Name()), esc(d.Designate.Email)))
}
