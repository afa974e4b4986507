package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// This file is the message catalog of the dialogue, French (Quebec usage) beside English.
// Everything a person typed is escaped with esc before it is repeated.

func t(l nlu.Lang, fr, en string) string {
	if l == nlu.English {
		return en
	}
	return fr
}

const (
	frExampleRequest = "« programme une rencontre pour Marie Tremblay demain à 14 h pendant 1 h, titre : Suivi de projet »"
	enExampleRequest = "\"schedule a meeting for Marie Tremblay tomorrow at 2pm for 1 hour, titled Project follow-up\""
)

func msgTooLong(l nlu.Lang, max int) string {
	return t(l,
		fmt.Sprintf("Votre message est trop long pour moi (plus de %d caractères). Écrivez-moi en une phrase ou deux, par exemple : %s", max, frExampleRequest),
		fmt.Sprintf("Your message is too long for me (over %d characters). Please write one or two sentences, for example: %s", max, enExampleRequest))
}

func msgHelp(l nlu.Lang) string {
	return t(l,
		"Je suis **Relais**. Je programme une rencontre Webex pour une autre personne et je lui transmets en message privé tout ce qu'il faut pour l'animer : le lien, le numéro, le mot de passe et la **clé organisateur**, avec les étapes pour prendre le rôle d'organisateur. La rencontre s'ouvre 15 minutes avant le début ; votre présence n'est pas nécessaire.\n\n"+
			"Par exemple : "+frExampleRequest+"\n\n"+
			"Ce que vous pouvez m'écrire :\n"+
			"- « programme une rencontre pour … » : une nouvelle rencontre (je pose les questions qui manquent) ; ajoutez « chaque mardi pendant 6 semaines » pour une série ;\n"+
			"- « formulaire » : la même chose en remplissant un formulaire ;\n"+
			"- « mes rencontres » : vos rencontres à venir programmées pour d'autres ;\n"+
			"- « déplace la rencontre 1 à jeudi 15 h », « change le titre de la rencontre 1 pour … », « donne la rencontre 1 à … » : la modifier (la personne désignée reçoit la clé à jour) ;\n"+
			"- « annule une rencontre » : l'annuler (la personne désignée en est avisée) ;\n"+
			"- « renvoie la clé » : renvoyer la clé organisateur à jour à la personne désignée ;\n"+
			"- « annuler » : abandonner la demande en cours ;\n"+
			"- « aide » : ce message.",
		"I'm **Relais**. I schedule a Webex meeting for someone else and send them, in a private message, everything they need to run it: the link, the number, the password and the **host key**, with the steps to claim the host role. The meeting opens 15 minutes before the start; you don't need to attend.\n\n"+
			"For example: "+enExampleRequest+"\n\n"+
			"What you can write:\n"+
			"- \"schedule a meeting for …\": a new meeting (I ask for whatever is missing); add \"every Tuesday for 6 weeks\" for a series;\n"+
			"- \"form\": the same, by filling in a form;\n"+
			"- \"my meetings\": your upcoming meetings scheduled for others;\n"+
			"- \"move meeting 1 to Friday at 10\", \"rename meeting 1 to …\", \"hand meeting 1 over to …\": change it (the designate gets the current key);\n"+
			"- \"cancel a meeting\": cancel one (the designate is told);\n"+
			"- \"resend the key\": send the current host key to the designate again;\n"+
			"- \"cancel\": drop the request in progress;\n"+
			"- \"help\": this message.")
}

func msgHint(l nlu.Lang) string {
	return t(l,
		"Je n'ai pas compris. Je programme des rencontres Webex pour d'autres personnes, par exemple : "+frExampleRequest+". Écrivez « aide » pour tout ce que je sais faire.",
		"I didn't understand. I schedule Webex meetings for other people, for example: "+enExampleRequest+". Write \"help\" for everything I can do.")
}

func msgStartOver(l nlu.Lang) string {
	return t(l,
		"Pour recommencer, écrivez par exemple : "+frExampleRequest+".",
		"To start over, write for example: "+enExampleRequest+".")
}

func msgNothingToAbort(l nlu.Lang) string {
	return t(l,
		"Il n'y a aucune demande en cours à abandonner. Pour annuler une rencontre déjà programmée, écrivez « annule une rencontre ».",
		"There is no request in progress to drop. To cancel a meeting already scheduled, write \"cancel a meeting\".")
}

func msgAbandoned(l nlu.Lang) string {
	return t(l,
		"D'accord, j'abandonne cette demande ; rien n'a été créé.",
		"OK, I've dropped this request; nothing was created.")
}

func msgWorking(l nlu.Lang) string {
	return t(l, "Un instant, je m'en occupe.", "One moment, I'm on it.")
}

func msgCreating(l nlu.Lang) string {
	return t(l,
		"C'est parti : je crée la rencontre dans Webex, puis j'envoie les détails à la personne désignée.",
		"On it: I'm creating the meeting in Webex, then I'll send the details to the designate.")
}

func msgFinishFirst(l nlu.Lang) string {
	return t(l,
		"Une rencontre est en préparation. Terminons-la d'abord, ou écrivez « annuler » pour l'abandonner.",
		"A meeting is being prepared. Let's finish it first, or write \"cancel\" to drop it.")
}

func msgNotUnderstood(l nlu.Lang) string {
	return t(l, "Je n'ai pas compris votre réponse.", "I didn't understand your answer.")
}

func msgWhatToChange(l nlu.Lang) string {
	return t(l,
		"Que voulez-vous changer ? Par exemple : « plutôt à 15 h », « jeudi à 10 h », « pendant 30 minutes », « change le titre pour Bilan », « en fait pour Jean Dupont ». Ou écrivez « annuler » pour tout abandonner.",
		"What would you like to change? For example: \"at 3pm instead\", \"Thursday at 10am\", \"for 30 minutes\", \"change the title to Review\", \"actually for John Smith\". Or write \"cancel\" to drop it all.")
}

func msgExpired(l nlu.Lang, st State, idle time.Duration) string {
	who := ""
	if st.Stage.scheduling() {
		if p := st.Draft.Designate; p != nil {
			who = p.Name()
		} else {
			who = st.Draft.Query
		}
	}
	dur := formatDuration(l, idle)
	switch {
	case st.Stage == StageCreating:
		return t(l,
			fmt.Sprintf("Je n'ai pas eu de nouvelles de Webex pour votre dernière rencontre depuis %s. Écrivez « mes rencontres » pour vérifier si elle a été créée.", dur),
			fmt.Sprintf("I've had no word from Webex about your last meeting for %s. Write \"my meetings\" to check whether it was created.", dur))
	case who != "":
		return t(l,
			fmt.Sprintf("Votre demande de rencontre pour %s a expiré après %s sans réponse ; rien n'a été créé.", esc(who), dur),
			fmt.Sprintf("Your request for a meeting for %s expired after %s without an answer; nothing was created.", esc(who), dur))
	default:
		return t(l,
			fmt.Sprintf("Votre demande précédente a expiré après %s sans réponse ; rien n'a été fait.", dur),
			fmt.Sprintf("Your previous request expired after %s without an answer; nothing was done.", dur))
	}
}

func msgAskWho(l nlu.Lang) string {
	return t(l,
		"Pour qui est la rencontre ? Donnez le nom ou l'adresse courriel de la personne qui l'animera (ex. : « Marie Tremblay » ou « marie.tremblay@exemple.ca »).",
		"Who is the meeting for? Give the name or e-mail of the person who will run it (e.g. \"Marie Tremblay\" or \"marie.tremblay@example.com\").")
}

func personLine(p Person) string {
	if p.Email == "" || strings.EqualFold(p.Name(), p.Email) {
		return esc(p.Name())
	}
	return fmt.Sprintf("%s (%s)", esc(p.Name()), esc(p.Email))
}

func msgChoose(l nlu.Lang, query string, people []Person) string {
	var b strings.Builder
	b.WriteString(t(l,
		fmt.Sprintf("J'ai trouvé plusieurs personnes pour « %s » :\n\n", esc(query)),
		fmt.Sprintf("I found several people for \"%s\":\n\n", esc(query))))
	for i, p := range people {
		fmt.Fprintf(&b, "%d. %s\n", i+1, personLine(p))
	}
	b.WriteString("\n")
	b.WriteString(t(l,
		"Laquelle ? Répondez par son numéro (ex. : « 2 »), son nom complet ou son adresse courriel.",
		"Which one? Answer with the number (e.g. \"2\"), the full name or the e-mail."))
	return b.String()
}

func msgNobody(l nlu.Lang, query string) string {
	return t(l,
		fmt.Sprintf("Je ne trouve personne du nom de « %s » dans l'annuaire Webex.", esc(query)),
		fmt.Sprintf("I can't find anyone called \"%s\" in the Webex directory.", esc(query)))
}

func msgLookupFailed(l nlu.Lang) string {
	return t(l,
		"Je n'arrive pas à consulter l'annuaire Webex pour le moment.",
		"I can't reach the Webex directory right now.")
}

func msgAskEmail(l nlu.Lang, query string) string {
	return t(l,
		"Quelle est son adresse courriel ? (ex. : « marie.tremblay@exemple.ca ») Vous pouvez aussi donner un autre nom, ou écrire « annuler ».",
		"What is their e-mail address? (e.g. \"marie.tremblay@example.com\") You can also give another name, or write \"cancel\".")
}

func msgAskWhen(l nlu.Lang, name string) string {
	return t(l,
		fmt.Sprintf("Quand aura lieu la rencontre avec %s ? Par exemple : « demain à 14 h », « mardi à 9 h 30 », « le 23 juin de 11 h à 12 h 30 », « dans 2 heures ».", esc(name)),
		fmt.Sprintf("When is the meeting with %s? For example: \"tomorrow at 2pm\", \"Tuesday at 9:30am\", \"June 23 from 11am to 12:30pm\", \"in 2 hours\".", esc(name)))
}

func msgAskTime(l nlu.Lang, day string) string {
	if day == "" {
		return t(l,
			"À quelle heure ? Par exemple : « 14 h », « 9 h 30 », « midi », « de 13 h à 14 h 30 ».",
			"At what time? For example: \"2pm\", \"9:30am\", \"noon\", \"from 1pm to 2:30pm\".")
	}
	return t(l,
		fmt.Sprintf("À quelle heure, %s ? Par exemple : « 14 h », « 9 h 30 », « midi », « de 13 h à 14 h 30 ».", day),
		fmt.Sprintf("At what time on %s? For example: \"2pm\", \"9:30am\", \"noon\", \"from 1pm to 2:30pm\".", day))
}

func msgAskDuration(l nlu.Lang) string {
	return t(l,
		"Combien de temps durera la rencontre ? Par exemple : « 30 minutes », « 1 h », « 1 h 30 », « 2 heures ».",
		"How long will the meeting last? For example: \"30 minutes\", \"1 hour\", \"an hour and a half\", \"2 hours\".")
}

func msgAskTitle(l nlu.Lang, max int) string {
	return t(l,
		fmt.Sprintf("Quel titre voulez-vous donner à la rencontre ? (%d caractères au plus, ex. : « Suivi de projet »)", max),
		fmt.Sprintf("What title should the meeting have? (at most %d characters, e.g. \"Project follow-up\")", max))
}

func msgTitleTooLong(l nlu.Lang, n, max int) string {
	return t(l,
		fmt.Sprintf("Le titre compte %d caractères ; Webex en accepte au plus %d.", n, max),
		fmt.Sprintf("The title has %d characters; Webex accepts at most %d.", n, max))
}

func msgTimeProblem(l nlu.Lang, p Problem, now time.Time, cfg Config) string {
	// A time that is still valid once read and answered: the next quarter hour past the lead.
	earliest := now.Add(cfg.MinLead + 5*time.Minute).Truncate(15 * time.Minute)
	if !earliest.After(now.Add(cfg.MinLead)) {
		earliest = earliest.Add(15 * time.Minute)
	}
	lead := t(l, fmt.Sprintf("%d minutes", int(cfg.MinLead/time.Minute)), fmt.Sprintf("%d minutes", int(cfg.MinLead/time.Minute)))
	switch p.Kind {
	case ProblemPastDay:
		return t(l,
			fmt.Sprintf("Le %s est déjà passé : Webex ne programme pas de rencontre dans le passé.", formatDay(l, p.Start)),
			fmt.Sprintf("%s is already past: Webex does not schedule meetings in the past.", formatDay(l, p.Start)))
	case ProblemPast:
		return t(l,
			fmt.Sprintf("L'heure choisie (%s) est déjà passée aujourd'hui : Webex ne programme pas de rencontre dans le passé.", formatClock(l, p.Start)),
			fmt.Sprintf("%s has already passed today: Webex does not schedule meetings in the past.", formatClock(l, p.Start)))
	case ProblemTooSoon:
		return t(l,
			fmt.Sprintf("C'est trop tôt : la rencontre doit commencer dans plus de %s, parce que la personne désignée pourra s'y joindre %s avant le début pour prendre le rôle d'organisateur. Choisissez %s ou plus tard.", lead, lead, formatClock(l, earliest)),
			fmt.Sprintf("That's too soon: the meeting must start more than %s from now, because the designate may join %s early to claim the host role. Choose %s or later.", lead, lead, formatClock(l, earliest)))
	case ProblemEndBefore:
		return t(l,
			fmt.Sprintf("La fin (%s) doit venir après le début (%s).", formatClock(l, p.End), formatClock(l, p.Start)),
			fmt.Sprintf("The end (%s) must come after the start (%s).", formatClock(l, p.End), formatClock(l, p.Start)))
	case ProblemTooShort:
		return t(l,
			fmt.Sprintf("La rencontre durerait %s ; Webex exige au moins 10 minutes.", formatDuration(l, p.End.Sub(p.Start))),
			fmt.Sprintf("The meeting would last %s; Webex requires at least 10 minutes.", formatDuration(l, p.End.Sub(p.Start))))
	default:
		return t(l,
			fmt.Sprintf("La rencontre durerait %s ; Webex accepte au plus 23 h 59.", formatDuration(l, p.End.Sub(p.Start))),
			fmt.Sprintf("The meeting would last %s; Webex accepts at most 23 h 59 min.", formatDuration(l, p.End.Sub(p.Start))))
	}
}

func msgSummary(l nlu.Lang, who Person, title string, defTitle bool, when string, defDur bool, dur time.Duration) string {
	name := esc(who.Name())
	other := t(l, "Jean Dupont", "John Smith") // an example of another person
	if strings.Contains(fold(who.Name()), fold(other)) {
		other = "Marie Tremblay"
	}
	var b strings.Builder
	b.WriteString(t(l, "Voici la rencontre que je vais programmer :\n\n", "Here is the meeting I'm about to schedule:\n\n"))
	b.WriteString(t(l, "- **Pour** : ", "- **For**: ") + personLine(who) + "\n")
	b.WriteString(t(l, "- **Titre** : ", "- **Title**: ") + "« " + esc(title) + " »")
	if l == nlu.English {
		b.Reset()
		b.WriteString("Here is the meeting I'm about to schedule:\n\n- **For**: " + personLine(who) + "\n- **Title**: \"" + esc(title) + "\"")
	}
	if defTitle {
		b.WriteString(t(l, " *(titre par défaut)*", " *(default title)*"))
	}
	b.WriteString("\n" + t(l, "- **Quand** : ", "- **When**: ") + when)
	if defDur {
		b.WriteString(t(l,
			fmt.Sprintf(" *(durée par défaut : %s)*", formatDuration(l, dur)),
			fmt.Sprintf(" *(default length: %s)*", formatDuration(l, dur))))
	}
	b.WriteString("\n\n")
	b.WriteString(t(l,
		fmt.Sprintf("%s recevra l'invitation par courriel et, en message privé de ma part, le lien, le mot de passe et la **clé organisateur**, avec les étapes pour prendre le rôle d'organisateur. La rencontre s'ouvrira 15 minutes avant le début.\n\n", name)+
			"Je la programme ? Répondez « oui » pour confirmer, ou dites ce qu'il faut changer (ex. : « plutôt à 15 h », « change le titre pour Bilan », « en fait pour "+other+" »), ou « annuler ».",
		fmt.Sprintf("%s will get the invitation by e-mail and, in a private message from me, the link, the password and the **host key**, with the steps to claim the host role. The meeting will open 15 minutes before the start.\n\n", name)+
			"Shall I schedule it? Answer \"yes\" to confirm, or tell me what to change (e.g. \"at 3pm instead\", \"change the title to Review\", \"actually for "+other+"\"), or \"cancel\"."))
	return b.String()
}

// msgCreated is the organizer's confirmation. In a group space it never shows the link, the
// meeting number, the password or the host key: with the number alone anyone in the space
// could look the meeting up and join it.
func msgCreated(l nlu.Lang, m MeetingDetails, group, notified bool) string {
	name := esc(m.Designate.Name())
	when := formatRange(l, m.Start, m.End, m.TimeZone)
	var b strings.Builder
	b.WriteString(t(l,
		fmt.Sprintf("C'est fait ! La rencontre « %s » est programmée pour %s, %s.\n\n", esc(m.Title), name, when),
		fmt.Sprintf("Done! The meeting \"%s\" is scheduled for %s, %s.\n\n", esc(m.Title), name, when)))
	head := b.Len()
	if !group { // issue 13: nor a join link
		if m.WebLink != "" {
			b.WriteString(t(l, "- **Lien** : ", "- **Link**: ") + m.WebLink + "\n")
		}
		if m.MeetingNumber != "" {
			b.WriteString(t(l, "- **Numéro de la rencontre** : ", "- **Meeting number**: ") + GroupNumber(m.MeetingNumber) + "\n")
		}
		if m.Password != "" {
			b.WriteString(t(l, "- **Mot de passe** : ", "- **Password**: ") + esc(m.Password) + "\n")
		}
		if m.HostKey != "" {
			b.WriteString(t(l, "- **Clé organisateur** : ", "- **Host key**: ") + esc(m.HostKey) + "\n")
		}
	}
	if b.Len() > head {
		b.WriteString("\n")
	}
	if notified {
		b.WriteString(t(l,
			fmt.Sprintf("%s a reçu en message privé le lien, le mot de passe et la clé organisateur, avec les étapes pour prendre le rôle d'organisateur ; l'invitation lui parvient aussi par courriel.", name),
			fmt.Sprintf("%s got the link, the password and the host key in a private message, with the steps to claim the host role; the invitation also reaches them by e-mail.", name)))
	} else {
		b.WriteString(t(l,
			fmt.Sprintf("Le message privé à %s (lien, mot de passe, clé organisateur et étapes) est en attente d'envoi ; il partira dès que Webex le permettra. L'invitation lui parvient par courriel.", name),
			fmt.Sprintf("The private message to %s (link, password, host key and steps) is waiting to be sent; it will go out as soon as Webex allows. The invitation reaches them by e-mail.", name)))
	}
	if group {
		b.WriteString(t(l,
			" Le lien, le numéro de la rencontre, le mot de passe et la clé organisateur ne sont jamais affichés dans un espace de groupe.",
			" The link, meeting number, password and host key are never shown in a group space."))
	}
	b.WriteString(t(l,
		"\n\nVotre présence n'est pas nécessaire ; si vous rejoignez la rencontre, le rôle d'organisateur vous reviendra.",
		"\n\nYou don't need to attend; if you do join, the host role goes back to you."))
	return b.String()
}

func msgMeetingFailed(l nlu.Lang, f Failure) string {
	switch f.Kind {
	case FailureAccount:
		return msgAccountRefused(l, true)
	case FailureCredential:
		return t(l,
			"Webex a refusé l'accès de Relais au service des rencontres (autorisation manquante, expirée ou insuffisante). Ce n'est pas de votre faute : l'administrateur de Relais en est avisé. Rien n'a été créé. Une fois le problème réglé, répondez « oui » pour réessayer, ou « annuler ».",
			"Webex refused Relais access to the meetings service (missing, expired or insufficient authorization). It's not your fault: the Relais administrator has been notified. Nothing was created. Once it's fixed, answer \"yes\" to try again, or \"cancel\".")
	case FailureRateLimited:
		return msgRateLimited(l)
	case FailureTooSoon:
		return t(l,
			"Webex a refusé l'heure de début : elle est trop proche ou déjà passée. Rien n'a été créé.",
			"Webex refused the start time: it is too close or already past. Nothing was created.")
	case FailureUnavailable:
		return t(l,
			"Webex ne répond pas pour le moment ; rien n'a été créé. Réessayez dans quelques minutes en répondant « oui », ou écrivez « annuler ».",
			"Webex isn't answering right now; nothing was created. Try again in a few minutes by answering \"yes\", or write \"cancel\".")
	case FailureNotAllowed:
		return t(l,
			"Je ne peux pas programmer de rencontre pour cette personne : son adresse n'est pas dans un domaine que Relais dessert. Rien n'a été créé.",
			"I can't schedule a meeting for this person: their address is not in a domain Relais serves. Nothing was created.")
	case FailureInvalid:
		return t(l,
			"Webex a refusé la rencontre telle quelle ; rien n'a été créé. Vérifiez l'heure, la durée et le titre : corrigez-les (ex. : « plutôt à 15 h », « change le titre pour Bilan ») ou répondez « oui » pour réessayer.",
			"Webex refused the meeting as it stands; nothing was created. Check the time, length and title: correct them (e.g. \"at 3pm instead\", \"change the title to Review\") or answer \"yes\" to try again.")
	default:
		return t(l,
			"La création de la rencontre a échoué ; rien n'a été créé. Répondez « oui » pour réessayer, ou « annuler ».",
			"Creating the meeting failed; nothing was created. Answer \"yes\" to try again, or \"cancel\".")
	}
}

// meetingLine is one meeting in a list: « Titre » — Marie Tremblay — mardi 23 juin 2026, ….
func meetingLine(l nlu.Lang, m MeetingSummary) string {
	q1, q2 := "« ", " »"
	if l == nlu.English {
		q1, q2 = "\"", "\""
	}
	return fmt.Sprintf("%s%s%s — %s — %s", q1, esc(m.Title), q2, esc(m.Designate.Name()), formatRange(l, m.Start, m.End, m.TimeZone)) +
		seriesTag(l, m)
}

func numbered(l nlu.Lang, ms []MeetingSummary) string {
	var b strings.Builder
	for i, m := range ms {
		fmt.Fprintf(&b, "%d. %s\n", i+1, meetingLine(l, m))
	}
	return strings.TrimRight(b.String(), "\n")
}

func msgList(l nlu.Lang, ms []MeetingSummary) string {
	if len(ms) == 0 {
		return t(l,
			"Vous n'avez aucune rencontre à venir programmée pour quelqu'un d'autre. Pour en programmer une : "+frExampleRequest+".",
			"You have no upcoming meeting scheduled for someone else. To schedule one: "+enExampleRequest+".")
	}
	return t(l, "Vos rencontres à venir programmées pour d'autres :\n\n", "Your upcoming meetings scheduled for others:\n\n") +
		numbered(l, ms) + "\n\n" +
		t(l,
			fmt.Sprintf("Pour en annuler une : « annule la rencontre %d ». Pour renvoyer la clé organisateur : « renvoie la clé %d ».", len(ms), len(ms)),
			fmt.Sprintf("To cancel one: \"cancel meeting %d\". To resend the host key: \"resend key %d\".", len(ms), len(ms))) +
		msgListChangeHint(l, len(ms))
}

func msgNothingFor(l nlu.Lang, p Purpose) string {
	if p.changes() {
		return msgNothingToChange(l, p)
	}
	if p == PurposeCancel {
		return t(l, "Vous n'avez aucune rencontre à venir à annuler.", "You have no upcoming meeting to cancel.")
	}
	return t(l, "Vous n'avez aucune rencontre à venir pour laquelle renvoyer la clé.", "You have no upcoming meeting to resend a key for.")
}

func msgPick(l nlu.Lang, p Purpose, ms []MeetingSummary, wanted int) string {
	var b strings.Builder
	if wanted != 0 {
		b.WriteString(t(l,
			fmt.Sprintf("Il n'y a pas de rencontre n° %d. ", wanted),
			fmt.Sprintf("There is no meeting number %d. ", wanted)))
	}
	if p.changes() {
		b.WriteString(msgPickToChange(l, p))
	} else if p == PurposeCancel {
		b.WriteString(t(l, "Quelle rencontre voulez-vous annuler ?\n\n", "Which meeting do you want to cancel?\n\n"))
	} else {
		b.WriteString(t(l, "Pour quelle rencontre renvoyer la clé organisateur ?\n\n", "Which meeting should I resend the host key for?\n\n"))
	}
	b.WriteString(numbered(l, ms))
	b.WriteString(t(l,
		"\n\nRépondez par son numéro (ex. : « 1 ») ou le nom de la personne, ou « annuler ».",
		"\n\nAnswer with its number (e.g. \"1\") or the person's name, or \"cancel\"."))
	return b.String()
}

func msgConfirmCancel(l nlu.Lang, m MeetingSummary) string {
	name := esc(m.Designate.Name())
	return t(l,
		fmt.Sprintf("Annuler la rencontre %s ? Elle sera supprimée de Webex et j'en aviserai %s. Répondez « oui » pour l'annuler ou « non » pour la garder.", meetingLine(l, m), name),
		fmt.Sprintf("Cancel the meeting %s? It will be deleted from Webex and %s will be told. Answer \"yes\" to cancel it or \"no\" to keep it.", meetingLine(l, m), name))
}

func msgKept(l nlu.Lang) string {
	return t(l, "D'accord, je ne l'annule pas.", "OK, I'm keeping it.")
}

// meetingRef names a meeting inside a sentence: « Bilan » du mardi 23 juin 2026, de 11 h 00 à 12 h 00.
func meetingRef(l nlu.Lang, m MeetingSummary) string {
	if l == nlu.English {
		return fmt.Sprintf("\"%s\", %s,", esc(m.Title), formatRange(l, m.Start, m.End, m.TimeZone))
	}
	return fmt.Sprintf("« %s », %s,", esc(m.Title), formatRange(l, m.Start, m.End, m.TimeZone))
}

func msgCancelled(l nlu.Lang, m MeetingSummary) string {
	return t(l,
		fmt.Sprintf("La rencontre %s est annulée dans Webex ; j'en ai avisé %s en message privé, et les invités reçoivent l'avis d'annulation par courriel.", meetingRef(l, m), esc(m.Designate.Name())),
		fmt.Sprintf("The meeting %s is cancelled in Webex; I told %s in a private message, and the invitees get the cancellation by e-mail.", meetingRef(l, m), esc(m.Designate.Name())))
}

func msgResent(l nlu.Lang, m MeetingSummary, notified bool) string {
	if !notified {
		return t(l,
			fmt.Sprintf("Le message à %s avec la clé organisateur à jour de la rencontre %s est en attente d'envoi ; il partira dès que Webex le permettra.", esc(m.Designate.Name()), meetingRef(l, m)),
			fmt.Sprintf("The message to %s with the current host key of the meeting %s is waiting to be sent; it will go out as soon as Webex allows.", esc(m.Designate.Name()), meetingRef(l, m)))
	}
	return t(l,
		fmt.Sprintf("C'est fait : %s a reçu de nouveau, en message privé, la clé organisateur à jour de la rencontre %s avec les étapes.", esc(m.Designate.Name()), meetingRef(l, m)),
		fmt.Sprintf("Done: %s got the current host key of the meeting %s again in a private message with the steps.", esc(m.Designate.Name()), meetingRef(l, m)))
}

func msgCommandFailed(l nlu.Lang, kind ResultKind, f Failure) string {
	switch f.Kind {
	case FailureAccount:
		return msgAccountRefused(l, false)
	case FailureNotAllowed:
		return t(l,
			"Je ne peux plus envoyer la clé à cette personne : elle n'est plus dans un domaine ou une organisation que Relais dessert. Rien n'a été envoyé.",
			"I can no longer send the key to this person: they are no longer in a domain or organization Relais serves. Nothing was sent.")
	case FailureNotFound:
		return t(l,
			"Cette rencontre n'existe plus dans Webex (elle a peut-être déjà été annulée). Écrivez « mes rencontres » pour voir la liste à jour.",
			"That meeting no longer exists in Webex (it may have been cancelled already). Write \"my meetings\" for the current list.")
	case FailureCredential:
		return t(l,
			"Webex a refusé l'accès de Relais au service des rencontres. Ce n'est pas de votre faute : l'administrateur de Relais en est avisé. Réessayez plus tard.",
			"Webex refused Relais access to the meetings service. It's not your fault: the Relais administrator has been notified. Please try again later.")
	case FailureUnavailable:
		return t(l,
			"Webex ne répond pas pour le moment ; rien n'a été fait. Réessayez dans quelques minutes.",
			"Webex isn't answering right now; nothing was done. Please try again in a few minutes.")
	}
	switch kind {
	case MeetingCancelled:
		return t(l, "L'annulation a échoué ; la rencontre est toujours prévue. Réessayez plus tard.", "Cancelling failed; the meeting is still on. Please try again later.")
	case HostKeyResent:
		return t(l, "Le renvoi de la clé a échoué. Réessayez plus tard.", "Resending the key failed. Please try again later.")
	default:
		return t(l, "Je n'arrive pas à obtenir vos rencontres pour le moment. Réessayez plus tard.", "I can't get your meetings right now. Please try again later.")
	}
}
