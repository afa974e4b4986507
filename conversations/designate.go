package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// MaxMarkdownBytes is Webex's limit on a message's markdown, counted in UTF-8 bytes to be safe.
const MaxMarkdownBytes = 7439

// GroupNumber writes a meeting number the way Webex shows it: « 129 647 7859 » (groups of three
// from the left, the last group holding the remaining four digits or fewer).
func GroupNumber(n string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, n)
	if len(digits) != len(strings.ReplaceAll(n, " ", "")) || len(digits) < 7 {
		return esc(n) // not a plain number: show it as it came
	}
	var groups []string
	for len(digits) > 4 {
		groups = append(groups, digits[:3])
		digits = digits[3:]
	}
	return strings.Join(append(groups, digits), " ")
}

// DesignateMessage is the 1:1 message the designate receives once the meeting exists: why they
// get it, the meeting's details with the host key, and the steps to claim the host role, in the
// organizer's language. The markdown stays within MaxMarkdownBytes (call-in numbers are cut
// first when needed). card is an Adaptive Card 1.3 with the details and a « Rejoindre la
// réunion » button, to send as an attachment beside the markdown.
func DesignateMessage(l nlu.Lang, d MeetingDetails) (markdown string, card map[string]any) {
	return designateMarkdown(l, d, kindCreated, 0), designateCard(l, d)
}

// ResentMessage is the 1:1 message of « renvoie la clé »: the same as DesignateMessage, with
// the freshly fetched host key in d, introduced as a resend.
func ResentMessage(l nlu.Lang, d MeetingDetails) (markdown string, card map[string]any) {
	return designateMarkdown(l, d, kindResent, 0), designateCard(l, d)
}

// ReminderMessage reminds the designate, before the start, of the meeting, the (freshly
// fetched) host key and the steps.
func ReminderMessage(l nlu.Lang, d MeetingDetails, before time.Duration) string {
	return designateMarkdown(l, d, kindReminder, before)
}

// CancelledNotice tells the designate that the organizer cancelled the meeting.
func CancelledNotice(l nlu.Lang, d MeetingDetails) string {
	org := esc(d.Organizer.Name())
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	s := t(l,
		fmt.Sprintf("Bonjour,\n\n**%s** a annulé la rencontre Webex « %s » prévue le %s, dont vous deviez prendre l'animation. Vous n'avez rien à faire : la clé organisateur que je vous avais transmise ne sert plus.", org, esc(d.Title), when),
		fmt.Sprintf("Hello,\n\n**%s** cancelled the Webex meeting \"%s\" planned for %s, which you were to run. There is nothing for you to do: the host key I sent you is no longer needed.", org, esc(d.Title), when))
	return capBytes(s)
}

type messageKind int

const (
	kindCreated messageKind = iota
	kindResent
	kindReminder
)

func designateMarkdown(l nlu.Lang, d MeetingDetails, kind messageKind, before time.Duration) string {
	for n := len(d.CallIn); n >= 0; n-- {
		s := designateText(l, d, kind, before, n)
		if len(s) <= MaxMarkdownBytes {
			return s
		}
	}
	return capBytes(designateText(l, d, kind, before, 0))
}

// capBytes cuts a message to MaxMarkdownBytes on a character boundary.
func capBytes(s string) string {
	if len(s) <= MaxMarkdownBytes {
		return s
	}
	cut := MaxMarkdownBytes - len("…")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// designateText writes the message with the first calls call-in numbers.
func designateText(l nlu.Lang, d MeetingDetails, kind messageKind, before time.Duration, calls int) string {
	org := esc(d.Organizer.Name())
	first := d.Designate.FirstName
	if first == "" {
		first = d.Designate.Name()
	}
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	loc, _ := location(d.TimeZone, "UTC")
	early := formatClock(l, d.Start.In(loc).Add(-15*time.Minute))
	key := esc(d.HostKey)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }

	line(t(l, "Bonjour "+esc(first)+",", "Hello "+esc(first)+","))
	line("")
	switch kind {
	case kindCreated:
		line(t(l,
			fmt.Sprintf("**%s** a programmé pour vous une rencontre Webex et vous en confie l'animation : vous la démarrerez vous-même, sans attendre l'organisateur, grâce à la **clé organisateur** ci-dessous. Ce message vous est adressé à vous seulement ; ne transmettez pas la clé.", org),
			fmt.Sprintf("**%s** scheduled a Webex meeting for you and is handing it over to you: you will start it yourself, without waiting for the host, using the **host key** below. This message is for you only; don't share the key.", org)))
	case kindResent:
		line(t(l,
			fmt.Sprintf("À la demande de **%s**, voici de nouveau les renseignements de la rencontre que vous animerez, avec la **clé organisateur** à jour (elle remplace toute clé reçue auparavant).", org),
			fmt.Sprintf("At **%s**'s request, here again are the details of the meeting you will run, with the current **host key** (it replaces any key you received before).", org)))
	case kindNote:
		line(d.Note)
	case kindReminder:
		line(t(l,
			fmt.Sprintf("Rappel : la rencontre que **%s** vous a confiée commence dans %s. Voici la **clé organisateur** à jour et les étapes.", org, formatDuration(l, before)),
			fmt.Sprintf("Reminder: the meeting **%s** handed over to you starts in %s. Here is the current **host key** and the steps.", org, formatDuration(l, before))))
	}
	line("")
	line(t(l, "**Rencontre** : « "+esc(d.Title)+" »  ", "**Meeting**: \""+esc(d.Title)+"\"  "))
	line(t(l, "**Quand** : "+when+"  ", "**When**: "+when+"  "))
	if s := seriesLines(l, d); s != "" {
		line(s)
	}
	if d.WebLink != "" {
		line(t(l, "**Lien** : ", "**Link**: ") + d.WebLink + "  ")
	}
	if d.MeetingNumber != "" {
		line(t(l, "**Numéro de la rencontre** : ", "**Meeting number**: ") + GroupNumber(d.MeetingNumber) + "  ")
	}
	if d.Password != "" {
		line(t(l, "**Mot de passe** : ", "**Password**: ") + esc(d.Password) + "  ")
	}
	line(t(l, "**Clé organisateur** : **", "**Host key**: **") + key + "**  ")
	if d.SIPAddress != "" {
		line(t(l, "**Système vidéo (SIP)** : ", "**Video system (SIP)**: ") + esc(d.SIPAddress) + "  ")
	}
	if len(d.CallIn) > 0 {
		line("")
		line(t(l, "**Par téléphone** :", "**By phone**:"))
		for _, c := range d.CallIn[:calls] {
			if c.Label != "" {
				line(fmt.Sprintf("- **%s** — %s", esc(c.Number), esc(c.Label)))
			} else {
				line("- **" + esc(c.Number) + "**")
			}
		}
		if calls < len(d.CallIn) {
			line(t(l,
				fmt.Sprintf("- %d autres numéros : voyez l'invitation reçue par courriel", len(d.CallIn)-calls),
				fmt.Sprintf("- %d more numbers: see the invitation you received by e-mail", len(d.CallIn)-calls)))
		}
		if d.AccessCode != "" {
			line("")
			line(t(l, "Code d'accès : ", "Access code: ") + GroupNumber(d.AccessCode))
		}
	}
	line("")
	line(t(l,
		fmt.Sprintf("Vous pouvez rejoindre la rencontre jusqu'à 15 minutes avant le début, dès %s.", early),
		fmt.Sprintf("You can join up to 15 minutes before the start, from %s.", early)))
	if d.ReminderBefore > 0 && kind != kindReminder {
		line("")
		line(msgReminderComing(l, d.ReminderBefore))
	}
	line("")
	line(t(l, "**Pour prendre le rôle d'organisateur**", "**To claim the host role**"))
	line("")
	line(t(l,
		"1. Rejoignez la rencontre avec le bouton vert « Rejoindre la réunion » de l'invitation reçue par courriel, ou avec le lien ci-dessus.",
		"1. Join the meeting with the green \"Join meeting\" button in the invitation you received by e-mail, or with the link above."))
	line(t(l,
		"2. Une fenêtre indique que l'organisateur n'est pas présent dans la réunion : c'est un simple avis, cliquez sur « OK » pour la fermer.",
		"2. A window says that the host is not present in the meeting: it's only a notice, click \"OK\" to close it."))
	line(t(l,
		"3. Dans le menu en haut de la fenêtre Webex, cliquez sur « Participants », puis sur « Prendre le rôle d'organisateur » (dans la version anglaise : *Reclaim host role*). Dans l'application Webex récente, ouvrez « Plus d'options » (…) puis *Reclaim host role* (ou l'option pour récupérer le rôle d'organisateur), ou ouvrez le panneau des participants et faites un clic droit sur votre propre nom.",
		"3. In the Webex meeting client, open the \"Participant\" menu, then \"Reclaim Host Role\". In the current Webex App, open \"More options\" (…) and choose \"Reclaim host role\", or open the participants panel and right-click your own name."))
	line(t(l,
		"4. Entrez la clé organisateur : **"+key+"**.",
		"4. Enter the host key: **"+key+"**."))
	line("")
	line(t(l,
		"La mention « Organisateur » (« Host » en anglais) apparaît alors à côté de votre nom dans la liste des participants : c'est réussi.",
		"\"Host\" then shows next to your name in the participant list: you're the host."))
	line("")
	line(t(l,
		fmt.Sprintf("Bon à savoir : la clé fonctionne parce que l'option « Rejoindre avant l'organisateur » est activée pour cette rencontre. Si %s rejoint la rencontre plus tard, le rôle d'organisateur lui revient automatiquement. Une question ? Écrivez à %s.", org, personLine(d.Organizer)),
		fmt.Sprintf("Good to know: the key works because \"join before host\" is on for this meeting. If %s joins later, the host role goes back to them automatically. Questions? Write to %s.", org, personLine(d.Organizer))))
	return strings.TrimRight(b.String(), "\n")
}

// designateCard is the Adaptive Card 1.3 of the designate's message.
func designateCard(l nlu.Lang, d MeetingDetails) map[string]any {
	fact := func(title, value string) map[string]any { return map[string]any{"title": title, "value": value} }
	facts := []any{
		fact(t(l, "Rencontre", "Meeting"), esc(d.Title)),
		fact(t(l, "Quand", "When"), formatRange(l, d.Start, d.End, d.TimeZone)),
	}
	if rule := describeSeries(l, d.Recurrence, d.Start, d.TimeZone); rule != "" {
		facts = append(facts, fact(t(l, "Répétition", "Repeats"), rule))
	}
	if d.MeetingNumber != "" {
		facts = append(facts, fact(t(l, "Numéro", "Meeting number"), GroupNumber(d.MeetingNumber)))
	}
	if d.Password != "" {
		facts = append(facts, fact(t(l, "Mot de passe", "Password"), esc(d.Password)))
	}
	facts = append(facts, fact(t(l, "Clé organisateur", "Host key"), esc(d.HostKey)))
	for i, c := range d.CallIn {
		if i == 3 {
			break
		}
		facts = append(facts, fact(t(l, "Téléphone", "Phone"), strings.TrimSpace(esc(c.Number)+" "+parens(esc(c.Label)))))
	}
	if d.AccessCode != "" && len(d.CallIn) > 0 {
		facts = append(facts, fact(t(l, "Code d'accès", "Access code"), GroupNumber(d.AccessCode)))
	}
	body := []any{
		map[string]any{"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true,
			"text": t(l, "Rencontre confiée par ", "Meeting handed over by ") + esc(d.Organizer.Name())},
		map[string]any{"type": "FactSet", "facts": facts},
		map[string]any{"type": "TextBlock", "wrap": true, "text": t(l,
			"Rejoignez jusqu'à 15 minutes avant le début. « Participants » → « Prendre le rôle d'organisateur » (Reclaim host role), puis entrez la clé organisateur.",
			"Join up to 15 minutes early. \"Participant\" → \"Reclaim host role\", then enter the host key.")},
	}
	card := map[string]any{
		"type":    "AdaptiveCard",
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"version": "1.3",
		"body":    body,
	}
	if d.WebLink != "" {
		card["actions"] = []any{map[string]any{"type": "Action.OpenUrl", "title": t(l, "Rejoindre la réunion", "Join meeting"), "url": d.WebLink}}
	}
	return card
}

func parens(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}
