package conversations

import (
	"strings"
	"time"
)

// monday is Monday 22 June 2026, 9:00, Eastern time: « mardi 23 juin 2026 » is tomorrow.
const monday = "2026-06-22T09:00:00-04:00"

var scenarios = []scenario{
	{
		name: "fr_impossible_date", now: monday,
		lines: []line{
			say("programme une rencontre pour Jean Dupont le 31 juin à 14 h"),
			say("le 30 juin"),
			say("oui"),
		},
	},
	{
		// The summary said « aujourd'hui 14 h »; « oui » after 14 h must not quietly move
		// the meeting to tomorrow (the next occurrence of « 14 h »).
		name: "fr_confirm_after_the_time_passed", now: "2026-06-22T13:40:00-04:00",
		lines: []line{
			say("programme une rencontre pour Jean Dupont à 14 h"),
			sayAfter(25*time.Minute, "oui"),
		},
	},
	{
		name: "fr_questions_one_at_a_time", now: monday,
		lines: []line{
			say("programme une rencontre pour Marie Tremblay"),
			say("demain"),
			say("11 h"),
			say("oui"),
		},
	},
	{
		name: "fr_everything_in_first_sentence", now: monday,
		lines: []line{
			say("Peux-tu programmer une rencontre pour Jean Dupont demain de 13 h à 14 h 30, titre : Suivi de projet"),
			say("parfait"),
		},
	},
	{
		name: "en_happy_path", now: monday,
		lines: []line{
			say(`schedule a meeting for John Smith next Tuesday at 2pm for 45 minutes called "Budget review"`),
			say("yes"),
		},
	},
	{
		name: "en_questions", now: monday,
		lines: []line{
			say("set up a meeting"),
			say("john.smith@example.com"),
			say("tomorrow at 10:30 am"),
			say("confirm"),
		},
	},
	{
		name: "fr_two_maries_by_number", now: monday,
		lines: []line{
			say("planifie une rencontre pour Marie demain à 10 h"),
			say("2"),
			say("ok"),
		},
	},
	{
		name: "fr_two_maries_by_name", now: monday,
		lines: []line{
			say("cédule une rencontre avec Marie mardi à 15 h"),
			say("Marie Tremblay"),
			say("vas-y"),
		},
	},
	{
		name: "fr_unknown_person_then_email", now: monday,
		lines: []line{
			say("programme une rencontre pour Paul Inconnu le 25 juin à 9 h"),
			say("paul.inconnu@exemple.ca"),
			say("oui"),
		},
	},
	{
		name: "fr_too_soon", now: monday,
		lines: []line{
			say("programme une rencontre pour Jean Dupont dans 10 minutes"),
			say("9 h 30"),
			say("oui"),
		},
	},
	{
		name: "fr_past_time_and_past_day", now: monday,
		lines: []line{
			say("programme une rencontre pour Jean Dupont aujourd'hui à 8 h"),
			say("2026-06-01 à 10 h"),
			say("demain à 10 h"),
			say("oui"),
		},
	},
	{
		name: "fr_corrections_before_summary", now: monday,
		lines: []line{
			say("programme une rencontre pour Marie Tremblay"),
			say("en fait pour Jean Dupont"),
			say("jeudi à 15 h pendant 2 heures"),
			say("oui"),
		},
	},
	{
		name: "fr_corrections_at_summary", now: monday,
		lines: []line{
			say("programme une rencontre pour Marie Tremblay demain à 14 h"),
			say("plutôt à 15 h"),
			say("change le titre pour « Bilan annuel »"),
			say("en fait pour Sophie Roy"),
			say("oui"),
		},
	},
	{
		name: "fr_no_then_change", now: monday,
		lines: []line{
			say("organise une réunion pour Sophie Roy mercredi à 9 h"),
			say("non"),
			say("pendant 30 minutes"),
			say("oui"),
		},
	},
	{
		name: "fr_abandon", now: monday,
		lines: []line{
			say("programme une rencontre pour Jean Dupont"),
			say("annuler"),
			say("oui"),
		},
	},
	{
		name: "fr_expiry", now: monday,
		lines: []line{
			say("programme une rencontre pour Marie Tremblay demain à 14 h"),
			sayAfter(31*time.Minute, "oui"),
			say("programme une rencontre pour Jean Dupont demain à 14 h"),
			sayAfter(10*time.Minute, "oui"),
		},
	},
	{
		name: "en_expiry_then_new_request", now: monday,
		lines: []line{
			say("schedule a meeting for John Smith"),
			sayAfter(45*time.Minute, "schedule a meeting for John Smith tomorrow at noon"),
			say("yes"),
		},
	},
	{
		name: "fr_credential_refused", now: monday,
		creates: []FailureKind{FailureCredential},
		lines: []line{
			say("programme une rencontre pour Jean Dupont demain à 14 h"),
			say("oui"),
			say("annuler"),
		},
	},
	{
		name: "fr_webex_down_then_retry", now: monday,
		creates:     []FailureKind{FailureUnavailable, ""},
		undelivered: true,
		lines: []line{
			say("programme une rencontre pour Jean Dupont demain à 14 h"),
			say("oui"),
			say("oui"),
		},
	},
	{
		name: "fr_webex_refuses_start", now: monday,
		creates: []FailureKind{FailureTooSoon},
		lines: []line{
			say("programme une rencontre pour Jean Dupont demain à 14 h"),
			say("oui"),
			say("15 h"),
			say("oui"),
		},
	},
	{
		name: "fr_group_space", now: monday, group: true,
		lines: []line{
			{text: "programme une rencontre pour Marie Gagnon demain à 14 h", mentions: []Person{marieGagnon}},
			say("oui"),
			say("mes rencontres"),
		},
	},
	{
		name: "en_group_space", now: monday, group: true,
		lines: []line{
			say("help"),
			say("schedule a meeting for John Smith tomorrow at 3pm"),
			say("yes"),
		},
	},
	{
		name: "fr_list_cancel_resend", now: monday,
		lines: []line{
			say("mes rencontres"),
			say("annule la rencontre 2"),
			say("oui"),
			say("renvoie la clé"),
			say("Marie"),
		},
	},
	{
		name: "en_cancel_kept", now: monday,
		lines: []line{
			say("cancel a meeting"),
			say("1"),
			say("no"),
		},
	},
	{
		name: "fr_help_hint_and_long_message", now: monday,
		lines: []line{
			say("aide"),
			say("quelle température fait-il ?"),
			say(strings.Repeat("bla ", 600)),
			say(""),
		},
	},
	{
		name: "fr_invalid_duration_and_title", now: monday,
		lines: []line{
			say("programme une rencontre pour Jean Dupont demain à 14 h pendant 5 minutes"),
			say("45 minutes"),
			say("change le titre pour « " + strings.Repeat("Très long titre ", 10) + "»"),
			say("Point d'étape"),
			say("oui"),
		},
	},
	{
		name: "fr_hostile_title_escaped", now: monday,
		lines: []line{
			say(`programme une rencontre pour Jean Dupont demain à 14 h, titre : "<@all> [lien](http://exemple.invalid) **x**"`),
			say("oui"),
		},
	},
	{
		name: "fr_winter_time_and_correction_while_choosing", now: "2026-10-30T16:00:00-04:00",
		lines: []line{
			say("programme une rencontre pour Marie le 3 novembre à 10 h pendant une heure et demie"),
			say("en fait pour Jean Dupont"),
			say("oui"),
		},
	},
	{
		// The night the clocks go back, 1 h 00 happens twice: every message says which.
		name: "fr_autumn_clock_change", now: "2026-10-30T16:00:00-04:00",
		lines: []line{
			say("programme une rencontre pour Jean Dupont dimanche à 1 h pendant une heure"),
			say("oui"),
		},
	},
	{
		name: "en_autumn_clock_change", now: "2026-10-30T16:00:00-04:00",
		lines: []line{
			say("schedule a meeting for John Smith on Sunday at 1:30 am for 1 hour"),
			say("yes"),
		},
	},
	{
		name: "en_help_during_dialogue_and_switch", now: monday,
		lines: []line{
			say("programme une rencontre pour Sophie Roy"),
			say("help"),
			say("tomorrow at 9am for 30 minutes please"),
			say("yes"),
		},
	},
}
