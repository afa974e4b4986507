package conversations

import (
	"fmt"
	"strings"

	"github.com/relaisbot/relais/conversations/nlu"
)

// The catalog of the cards and of the greeting, French (Quebec usage) beside English.

func msgGreeting(l nlu.Lang, group bool, botName string) string {
	if botName == "" {
		botName = "Relais"
	}
	intro := t(l,
		"Bonjour, je suis **Relais** ! Je programme une rencontre Webex pour une autre personne et je lui envoie, en message privé, le lien et la **clé organisateur** pour qu'elle l'anime à votre place.",
		"Hello, I'm **Relais**! I schedule a Webex meeting for someone else and send them, in a private message, the link and the **host key** so they can run it for you.")
	if group {
		return intro + "\n\n" + t(l,
			fmt.Sprintf("Pour me demander une rencontre ici, mentionnez-moi : « @%s programme une rencontre pour Marie Tremblay demain à 14 h », ou ouvrez le formulaire. Je n'écris jamais ici la clé organisateur, le mot de passe ni le lien : la personne désignée les reçoit en privé. « @%s aide » pour tout ce que je sais faire.", esc(botName), esc(botName)),
			fmt.Sprintf("To ask me for a meeting here, mention me: \"@%s schedule a meeting for Marie Tremblay tomorrow at 2pm\", or open the form. I never write the host key, the password or the link here: the designate gets them privately. \"@%s help\" for everything I can do.", esc(botName), esc(botName)))
	}
	return intro + "\n\n" + t(l,
		"Écrivez-moi votre demande en une phrase, par exemple "+frExampleRequest+", ou ouvrez le formulaire. « aide » pour tout ce que je sais faire.",
		"Write me your request in one sentence, for example "+enExampleRequest+", or open the form. \"help\" for everything I can do.")
}

func msgCardStale(l nlu.Lang, about string) string {
	if about == CardAboutChange {
		return t(l,
			"Cette carte a déjà servi ou ce changement a expiré : je n'en tiens plus compte, et la rencontre reste telle qu'elle est maintenant. Écrivez « mes rencontres » pour la voir, ou redemandez le changement.",
			"This card was already used or this change has expired, so I'm ignoring it: the meeting stays as it is now. Write \"my meetings\" to see it, or ask for the change again.")
	}
	return t(l,
		"Cette carte a déjà servi ou sa demande a expiré : je n'en tiens plus compte. Rien n'a été programmé en double. Écrivez « formulaire » pour en ouvrir un nouveau, ou « mes rencontres » pour voir ce qui est programmé.",
		"This card was already used or its request has expired, so I'm ignoring it. Nothing was scheduled twice. Write \"form\" to open a new one, or \"my meetings\" to see what is scheduled.")
}

func msgFormFallback(l nlu.Lang) string {
	return t(l,
		"Voici le formulaire : remplissez-le, puis appuyez sur « Programmer ». (Si votre application n'affiche pas les formulaires, écrivez votre demande en une phrase, par exemple "+frExampleRequest+".)",
		"Here is the form: fill it in, then press \"Schedule\". (If your app shows no forms, write your request in one sentence, for example "+enExampleRequest+".)")
}

func msgFormBadDate(l nlu.Lang) string {
	return t(l, "Je ne reconnais pas cette date. Choisissez-la dans le calendrier (ex. : 2026-06-23).",
		"I don't recognize this date. Pick it from the calendar (e.g. 2026-06-23).")
}

func msgFormBadTime(l nlu.Lang) string {
	return t(l, "Je ne reconnais pas cette heure. Inscrivez-la sur 24 heures (ex. : 14:30).",
		"I don't recognize this time. Use the 24-hour clock (e.g. 14:30).")
}

func msgFormBadDuration(l nlu.Lang) string {
	return t(l, "Je ne reconnais pas cette durée. Choisissez-en une de la liste.",
		"I don't recognize this length. Pick one from the list.")
}

func msgFormMissing(l nlu.Lang, field string) string {
	switch field {
	case FieldWho:
		return t(l, "Indiquez pour qui est la rencontre : un nom ou une adresse courriel.", "Say who the meeting is for: a name or an e-mail.")
	case FieldDate:
		return t(l, "Indiquez le jour de la rencontre.", "Give the day of the meeting.")
	case FieldTime:
		return t(l, "Indiquez l'heure de début.", "Give the start time.")
	}
	return t(l, "Vérifiez ce champ.", "Please check this field.")
}

// msgFormChoose says, next to the form's "who", that several people match.
func msgFormChoose(l nlu.Lang, query string, people []Person) string {
	var names []string
	for _, p := range people {
		names = append(names, personLine(p))
	}
	return t(l,
		fmt.Sprintf("Plusieurs personnes correspondent à « %s » : %s. Inscrivez l'adresse courriel de la bonne personne.", esc(query), strings.Join(names, " ; ")),
		fmt.Sprintf("Several people match \"%s\": %s. Enter the right person's e-mail.", esc(query), strings.Join(names, "; ")))
}
