package nlu

import (
	"testing"
	"time"
)

// Reference times (America/Toronto).
const (
	wed  = "2026-06-17T09:15:00-04:00" // Wednesday, the probe's reference in LIBRARIES.md
	mon  = "2026-06-22T15:00:00-04:00" // Monday afternoon: weekday-today cases
	jan  = "2026-01-31T10:00:00-05:00" // month end (Saturday)
	dec  = "2026-12-31T16:00:00-05:00" // year end (Thursday)
	leap = "2028-02-28T10:00:00-05:00" // day before a leap day (Monday)
	mar  = "2027-03-01T10:00:00-05:00" // after February in a common year
	dst1 = "2026-03-07T10:00:00-05:00" // Saturday before spring forward (Sunday March 8)
	dst2 = "2026-10-31T10:00:00-04:00" // Saturday before fall back (Sunday November 1)
	fri  = "2026-03-06T20:00:00-05:00" // Friday before spring forward
)

func toronto(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func ref(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// phrase is one row: what Parse must understand from text said at now. start is the resolved
// start (RFC 3339) or "" when no time is known; day is the resolved day ("2006-01-02") when a
// day but no time was said; minutes is the length (Duration, or the range's span).
type phrase struct {
	now     string
	text    string
	intent  Intent
	lang    Lang
	who     string
	title   string
	start   string
	day     string
	minutes int
	number  int
}

const (
	fr = French
	en = English
	sc = IntentSchedule
	un = IntentUnknown
)

var phrases = []phrase{
	// Complete requests, French.
	{wed, "programme une rencontre pour Marie demain à 14h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "@Relais programme une rencontre pour Marie Tremblay demain à 14 h 30 pendant 1h30 titre : Revue du budget", sc, fr, "Marie Tremblay", "Revue du budget", "2026-06-18T14:30:00-04:00", "", 90, 0},
	{wed, "planifie une réunion avec Jean Dupont mardi prochain 10h30 « Point hebdo »", sc, fr, "Jean Dupont", "Point hebdo", "2026-06-23T10:30:00-04:00", "", 0, 0},
	{wed, "peux-tu organiser une rencontre pour marie tremblay le 23 juin à 11 h d'une demi-heure", sc, fr, "marie tremblay", "", "2026-06-23T11:00:00-04:00", "", 30, 0},
	{wed, "j'aimerais une rencontre avec marie@example.com le 1er juillet de 13 h à 14 h 30", sc, fr, "marie@example.com", "", "2026-07-01T13:00:00-04:00", "", 90, 0},
	{wed, "cédule un meeting pour Luc après-demain à midi et demi pour une heure", sc, fr, "Luc", "", "2026-06-19T12:30:00-04:00", "", 60, 0},
	{wed, "cedule une rencontre pour Luc apres-demain a midi", sc, fr, "Luc", "", "2026-06-19T12:00:00-04:00", "", 0, 0},
	{wed, "Programme une rencontre pour Hélène Côté vendredi à 9 h", sc, fr, "Hélène Côté", "", "2026-06-19T09:00:00-04:00", "", 0, 0},
	{wed, "crée une réunion intitulée Bilan trimestriel pour Marie lundi à 13 h 30 pendant 45 min", sc, fr, "Marie", "Bilan trimestriel", "2026-06-22T13:30:00-04:00", "", 45, 0},
	{wed, "prévois une rencontre appelée Planification pour Jean le 30 juin à 8 h du matin", sc, fr, "Jean", "Planification", "2026-06-30T08:00:00-04:00", "", 0, 0},
	{wed, "prépare une rencontre « Revue de code » avec Sophie demain de 10 h à 11 h 30", sc, fr, "Sophie", "Revue de code", "2026-06-18T10:00:00-04:00", "", 90, 0},
	{wed, "je voudrais une rencontre avec Paul le 23/06 à 15h", sc, fr, "Paul", "", "2026-06-23T15:00:00-04:00", "", 0, 0},
	{wed, "Organise une rencontre pour Marie aujourd'hui à 16 heures", sc, fr, "Marie", "", "2026-06-17T16:00:00-04:00", "", 0, 0},
	{wed, "organise une rencontre pour Marie aujourd’hui à 16 h", sc, fr, "Marie", "", "2026-06-17T16:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie dans 2 heures", sc, fr, "Marie", "", "2026-06-17T11:15:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie dans 3 jours à 10 h", sc, fr, "Marie", "", "2026-06-20T10:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre d'une heure et demie pour Marie jeudi à 14 h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 90, 0},
	{wed, "programme une rencontre de 2 heures pour Marie jeudi à 14 h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 120, 0},
	{wed, "programme une rencontre pour une heure avec Marie demain à 9 h", sc, fr, "Marie", "", "2026-06-18T09:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour demain à 9 h avec Marie", sc, fr, "Marie", "", "2026-06-18T09:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre le 2026-06-23 à 14:00 pour Marie, sujet : Budget", sc, fr, "Marie", "Budget", "2026-06-23T14:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre le 23 juin 2027 à 9h pour Marie", sc, fr, "Marie", "", "2027-06-23T09:00:00-04:00", "", 0, 0},
	{wed, "planifie une réunion entre 13 h et 14 h demain avec Jean", sc, fr, "Jean", "", "2026-06-18T13:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour Marie demain à 3 h de l'après-midi", sc, fr, "Marie", "", "2026-06-18T15:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à 8 h du soir", sc, fr, "Marie", "", "2026-06-18T20:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à 10 heures et quart", sc, fr, "Marie", "", "2026-06-18T10:15:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à dix heures", sc, fr, "Marie", "", "2026-06-18T10:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à midi moins le quart", sc, fr, "Marie", "", "2026-06-18T11:45:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à minuit", sc, fr, "Marie", "", "2026-06-18T00:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie ce vendredi à 14h pendant deux heures", sc, fr, "Marie", "", "2026-06-19T14:00:00-04:00", "", 120, 0},
	{wed, "programme une rencontre pour Marie mardi le 23 juin à 11 h", sc, fr, "Marie", "", "2026-06-23T11:00:00-04:00", "", 0, 0},
	{wed, "PROGRAMME UNE RENCONTRE POUR MARIE DEMAIN À 14H", sc, fr, "MARIE", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à 14 h pour discuter du budget", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain\u00a0à\u202f14\u00a0h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie le 1er juillet 14 h pendant trois quarts d'heure", sc, fr, "Marie", "", "2026-07-01T14:00:00-04:00", "", 45, 0},
	{wed, "programme une rencontre pour Marie le 2 juillet à 14 h pendant 90 minutes", sc, fr, "Marie", "", "2026-07-02T14:00:00-04:00", "", 90, 0},
	{wed, "programme une rencontre pour Marie demain 14h, durée 1 h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour Marie demain à 14 h pendant une heure trente", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 90, 0},
	{wed, "programme une rencontre pour Marie demain à 14 h pendant 1,5 heure", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 90, 0},
	{wed, "fixe une rencontre avec Marie le 25-06 à 9 h", sc, fr, "Marie", "", "2026-06-25T09:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie dans 30 minutes", sc, fr, "Marie", "", "2026-06-17T09:45:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie dans une heure", sc, fr, "Marie", "", "2026-06-17T10:15:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie dans une semaine à 9 h", sc, fr, "Marie", "", "2026-06-24T09:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre « Budget 2027 : le 14 h » pour Marie demain à 10 h", sc, fr, "Marie", "Budget 2027 : le 14 h", "2026-06-18T10:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie", sc, fr, "Marie", "", "", "", 0, 0},
	{wed, "programme une rencontre", sc, fr, "", "", "", "", 0, 0},
	{wed, "une rencontre avec Marie demain à 14 h", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "peux-tu me créer une réunion avec marie.tremblay@cisss.gouv.qc.ca jeudi de 9h à 10h", sc, fr, "marie.tremblay@cisss.gouv.qc.ca", "", "2026-06-18T09:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour Marie du 13 h à 14 h", sc, fr, "Marie", "", "2026-06-17T13:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour Marie 13h-14h", sc, fr, "Marie", "", "2026-06-17T13:00:00-04:00", "", 60, 0},

	// Complete requests, English.
	{wed, "schedule a meeting for Marie tomorrow at 2pm for 45 minutes", sc, en, "Marie", "", "2026-06-18T14:00:00-04:00", "", 45, 0},
	{wed, "set up a meeting with Jean Dupont next Tuesday from 1pm to 2:30pm called Budget review", sc, en, "Jean Dupont", "Budget review", "2026-06-23T13:00:00-04:00", "", 90, 0},
	{wed, "book a meeting for john@acme.com June 23 at 10:30 am for an hour and a half", sc, en, "john@acme.com", "", "2026-06-23T10:30:00-04:00", "", 90, 0},
	{wed, "create a meeting for Marie on 23 June at 11am titled \"Q3 plan\"", sc, en, "Marie", "Q3 plan", "2026-06-23T11:00:00-04:00", "", 0, 0},
	{wed, "Schedule a meeting with Paul today at 4 pm", sc, en, "Paul", "", "2026-06-17T16:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting with Paul today at noon", sc, en, "Paul", "", "2026-06-17T12:00:00-04:00", "", 0, 0},
	{wed, "can you set up a meeting with Paul Martin on Friday at 9:30 for half an hour", sc, en, "Paul Martin", "", "2026-06-19T09:30:00-04:00", "", 30, 0},
	{wed, "I'd like a meeting with Paul in 2 hours", sc, en, "Paul", "", "2026-06-17T11:15:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for Paul in 30 minutes", sc, en, "Paul", "", "2026-06-17T09:45:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for Paul 1-2pm tomorrow", sc, en, "Paul", "", "2026-06-18T13:00:00-04:00", "", 60, 0},
	{wed, "schedule a meeting for Paul tomorrow at 14:00 for 1.5 hours", sc, en, "Paul", "", "2026-06-18T14:00:00-04:00", "", 90, 0},
	{wed, "schedule a meeting for Paul on June 30th at 8 in the morning", sc, en, "Paul", "", "2026-06-30T08:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for Paul on July 1 at 3 in the afternoon", sc, en, "Paul", "", "2026-07-01T15:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for Paul tomorrow at 10 for an hour", sc, en, "Paul", "", "2026-06-18T10:00:00-04:00", "", 60, 0},
	{wed, "schedule a meeting for Paul tomorrow at 3", sc, en, "Paul", "", "2026-06-18T15:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for Paul the day after tomorrow at 10:30 am", sc, en, "Paul", "", "2026-06-19T10:30:00-04:00", "", 0, 0},
	{wed, "schedule a meeting with Paul on Wednesday, June 23rd, 2027 at 9am", sc, en, "Paul", "", "2027-06-23T09:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for tomorrow at 9am with Paul for two hours", sc, en, "Paul", "", "2026-06-18T09:00:00-04:00", "", 120, 0},
	{wed, "schedule a meeting with Paul between 1pm and 2pm on Thursday", sc, en, "Paul", "", "2026-06-18T13:00:00-04:00", "", 60, 0},
	{wed, "schedule a meeting with Paul tomorrow at 12:30 pm for a quarter of an hour", sc, en, "Paul", "", "2026-06-18T12:30:00-04:00", "", 15, 0},
	{wed, "schedule a meeting with Paul tomorrow at midnight", sc, en, "Paul", "", "2026-06-18T00:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting with Paul tomorrow 10:30 a.m. for 90 min", sc, en, "Paul", "", "2026-06-18T10:30:00-04:00", "", 90, 0},
	{wed, "schedule a meeting with Paul tomorrow at 2 pm for forty-five minutes", sc, en, "Paul", "", "2026-06-18T14:00:00-04:00", "", 45, 0},
	{wed, "schedule a meeting with Paul tomorrow at 2 pm for a half hour", sc, en, "Paul", "", "2026-06-18T14:00:00-04:00", "", 30, 0},
	{wed, "schedule a meeting for Paul", sc, en, "Paul", "", "", "", 0, 0},
	{wed, "new meeting with Paul tomorrow at 2pm", sc, en, "Paul", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "a meeting with Paul tomorrow at 2pm please", sc, en, "Paul", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting for 45 minutes with Paul tomorrow at 9am", sc, en, "Paul", "", "2026-06-18T09:00:00-04:00", "", 45, 0},
	{wed, "schedule a meeting for tomorrow at 9am", sc, en, "", "", "2026-06-18T09:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting with Paul on 06/23 at 9am", sc, en, "Paul", "", "2026-06-23T09:00:00-04:00", "", 0, 0},
	{wed, "schedule a meeting with Paul next week", sc, en, "Paul", "", "", "", 0, 0},

	// Short answers and corrections.
	{wed, "dans 2 heures", un, fr, "", "", "2026-06-17T11:15:00-04:00", "", 0, 0},
	{wed, "in 30 minutes", un, en, "", "", "2026-06-17T09:45:00-04:00", "", 0, 0},
	{wed, "in 2 hours", un, en, "", "", "2026-06-17T11:15:00-04:00", "", 0, 0},
	{wed, "plutôt à 15 h", un, fr, "", "", "2026-06-17T15:00:00-04:00", "", 0, 0},
	{wed, "plutot a 15h", un, fr, "", "", "2026-06-17T15:00:00-04:00", "", 0, 0},
	{wed, "plutôt jeudi", un, fr, "", "", "", "2026-06-18", 0, 0},
	{wed, "change le titre pour \"Budget\"", un, fr, "", "Budget", "", "", 0, 0},
	{wed, "change le titre pour Budget 2027", un, fr, "", "Budget 2027", "", "", 0, 0},
	{wed, "change le titre pour « Budget »", un, fr, "", "Budget", "", "", 0, 0},
	{wed, "change the title to “Q3 plan”", un, en, "", "Q3 plan", "", "", 0, 0},
	{wed, "en fait pour Jean", un, fr, "Jean", "", "", "", 0, 0},
	{wed, "actually with Jean Tremblay", un, en, "Jean Tremblay", "", "", "", 0, 0},
	{wed, "1 h 30 plutôt", un, fr, "", "", "", "", 90, 0},
	{wed, "1h30", un, fr, "", "", "", "", 90, 0},
	{wed, "90 minutes", un, fr, "", "", "", "", 90, 0},
	{wed, "45 min", un, fr, "", "", "", "", 45, 0},
	{wed, "une heure", un, fr, "", "", "", "", 60, 0},
	{wed, "une demi-heure", un, fr, "", "", "", "", 30, 0},
	{wed, "une heure et demie", un, fr, "", "", "", "", 90, 0},
	{wed, "deux heures", un, fr, "", "", "", "", 120, 0},
	{wed, "pendant 1 h", un, fr, "", "", "", "", 60, 0},
	{wed, "for 45 minutes", un, en, "", "", "", "", 45, 0},
	{wed, "an hour and a half", un, en, "", "", "", "", 90, 0},
	{wed, "1.5 hours", un, en, "", "", "", "", 90, 0},
	{wed, "half an hour", un, en, "", "", "", "", 30, 0},
	{wed, "14h", un, fr, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "14 h 30", un, fr, "", "", "2026-06-17T14:30:00-04:00", "", 0, 0},
	{wed, "14:30", un, fr, "", "", "2026-06-17T14:30:00-04:00", "", 0, 0},
	{wed, "2pm", un, en, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "2 pm", un, en, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "10:30 am", un, en, "", "", "2026-06-17T10:30:00-04:00", "", 0, 0},
	{wed, "noon", un, en, "", "", "2026-06-17T12:00:00-04:00", "", 0, 0},
	{wed, "midi", un, fr, "", "", "2026-06-17T12:00:00-04:00", "", 0, 0},
	{wed, "midi et demi", un, fr, "", "", "2026-06-17T12:30:00-04:00", "", 0, 0},
	{wed, "9 h du matin", un, fr, "", "", "2026-06-18T09:00:00-04:00", "", 0, 0},
	{wed, "9h", un, fr, "", "", "2026-06-18T09:00:00-04:00", "", 0, 0},
	{wed, "16 heures", un, fr, "", "", "2026-06-17T16:00:00-04:00", "", 0, 0},
	{wed, "de 13 h à 14 h 30", un, fr, "", "", "2026-06-17T13:00:00-04:00", "", 90, 0},
	{wed, "from 1pm to 2:30pm", un, en, "", "", "2026-06-17T13:00:00-04:00", "", 90, 0},
	{wed, "1-2pm", un, en, "", "", "2026-06-17T13:00:00-04:00", "", 60, 0},
	{wed, "de 23 h à 1 h", un, fr, "", "", "2026-06-17T23:00:00-04:00", "", 120, 0},
	{wed, "demain", un, fr, "", "", "", "2026-06-18", 0, 0},
	{wed, "après-demain", un, fr, "", "", "", "2026-06-19", 0, 0},
	{wed, "apres demain", un, fr, "", "", "", "2026-06-19", 0, 0},
	{wed, "aujourd'hui", un, fr, "", "", "", "2026-06-17", 0, 0},
	{wed, "tomorrow", un, en, "", "", "", "2026-06-18", 0, 0},
	{wed, "today", un, en, "", "", "", "2026-06-17", 0, 0},
	{wed, "mardi", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "mardi prochain", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "ce mardi", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "next Tuesday", un, en, "", "", "", "2026-06-23", 0, 0},
	{wed, "le 23 juin", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "le 1er juillet", un, fr, "", "", "", "2026-07-01", 0, 0},
	{wed, "23/06", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "23-06", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "2026-06-23", un, fr, "", "", "", "2026-06-23", 0, 0},
	{wed, "June 23", un, en, "", "", "", "2026-06-23", 0, 0},
	{wed, "23 June", un, en, "", "", "", "2026-06-23", 0, 0},
	{wed, "le 16 juin", un, fr, "", "", "", "2027-06-16", 0, 0},
	{wed, "dans 3 jours", un, fr, "", "", "", "2026-06-20", 0, 0},
	{wed, "in 3 days", un, en, "", "", "", "2026-06-20", 0, 0},
	{wed, "avec Marie", un, fr, "Marie", "", "", "", 0, 0},
	{wed, "marie@example.com", un, fr, "marie@example.com", "", "", "", 0, 0},
	{wed, "titre : Revue annuelle", un, fr, "", "Revue annuelle", "", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à 14h, titre : Bilan d'équipe pour l'urgence", sc, fr, "Marie", "Bilan d'équipe pour l'urgence", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "sujet : révision du protocole pour l'urgence", un, fr, "", "révision du protocole pour l'urgence", "", "", 0, 0},
	{wed, "called Weekly sync", un, en, "", "Weekly sync", "", "", 0, 0},

	// Numbered choices.
	{wed, "2", un, fr, "", "", "", "", 0, 2},
	{wed, "le 2", un, fr, "", "", "", "", 0, 2},
	{wed, "la deuxième", un, fr, "", "", "", "", 0, 2},
	{wed, "la 2e", un, fr, "", "", "", "", 0, 2},
	{wed, "the second one", un, en, "", "", "", "", 0, 2},
	{wed, "#2", un, fr, "", "", "", "", 0, 2},
	{wed, "numéro 3", un, fr, "", "", "", "", 0, 3},
	{wed, "la première", un, fr, "", "", "", "", 0, 1},
	{wed, "first", un, en, "", "", "", "", 0, 1},
	{wed, " 3. ", un, fr, "", "", "", "", 0, 3},

	// Other intents.
	{wed, "oui", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "Oui!", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "ok", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "parfait", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "vas-y", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "go", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "c'est beau", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "c’est beau, merci", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "confirme", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "yes", IntentConfirm, en, "", "", "", "", 0, 0},
	{wed, "confirm", IntentConfirm, en, "", "", "", "", 0, 0},
	{wed, "sure", IntentConfirm, en, "", "", "", "", 0, 0},
	{wed, "yes please", IntentConfirm, en, "", "", "", "", 0, 0},
	{wed, "non", IntentDeny, fr, "", "", "", "", 0, 0},
	{wed, "no", IntentDeny, en, "", "", "", "", 0, 0},
	{wed, "non, plutôt à 15 h", IntentDeny, fr, "", "", "2026-06-17T15:00:00-04:00", "", 0, 0},
	{wed, "annuler", IntentAbort, fr, "", "", "", "", 0, 0},
	{wed, "annule", IntentAbort, fr, "", "", "", "", 0, 0},
	{wed, "Annule ça", IntentAbort, fr, "", "", "", "", 0, 0},
	{wed, "laisse tomber", IntentAbort, fr, "", "", "", "", 0, 0},
	{wed, "oublie ça", IntentAbort, fr, "", "", "", "", 0, 0},
	{wed, "cancel", IntentAbort, en, "", "", "", "", 0, 0},
	{wed, "never mind", IntentAbort, en, "", "", "", "", 0, 0},
	{wed, "stop", IntentAbort, en, "", "", "", "", 0, 0},
	{wed, "annule la rencontre 2", IntentCancel, fr, "", "", "", "", 0, 2},
	{wed, "annule ma rencontre avec Marie", IntentCancel, fr, "Marie", "", "", "", 0, 0},
	{wed, "annule la deuxième rencontre", IntentCancel, fr, "", "", "", "", 0, 2},
	{wed, "cancel meeting 2", IntentCancel, en, "", "", "", "", 0, 2},
	{wed, "cancel meeting #3", IntentCancel, en, "", "", "", "", 0, 3},
	{wed, "cancel my meeting with Marie", IntentCancel, en, "Marie", "", "", "", 0, 0},
	{wed, "renvoie la clé à Marie", IntentResend, fr, "Marie", "", "", "", 0, 0},
	{wed, "renvoie la clé", IntentResend, fr, "", "", "", "", 0, 0},
	{wed, "renvoie la clé de la rencontre 2", IntentResend, fr, "", "", "", "", 0, 2},
	{wed, "resend the host key", IntentResend, en, "", "", "", "", 0, 0},
	{wed, "resend the host key to Marie Tremblay", IntentResend, en, "Marie Tremblay", "", "", "", 0, 0},
	{wed, "mes rencontres", IntentList, fr, "", "", "", "", 0, 0},
	{wed, "liste", IntentList, fr, "", "", "", "", 0, 0},
	{wed, "affiche mes rencontres", IntentList, fr, "", "", "", "", 0, 0},
	{wed, "my meetings", IntentList, en, "", "", "", "", 0, 0},
	{wed, "list", IntentList, en, "", "", "", "", 0, 0},
	{wed, "aide", IntentHelp, fr, "", "", "", "", 0, 0},
	{wed, "help", IntentHelp, en, "", "", "", "", 0, 0},
	{wed, "?", IntentHelp, fr, "", "", "", "", 0, 0},
	{wed, "que sais-tu faire ?", IntentHelp, fr, "", "", "", "", 0, 0},
	{wed, "what can you do?", IntentHelp, en, "", "", "", "", 0, 0},
	{wed, "", un, fr, "", "", "", "", 0, 0},
	{wed, "bla bla", un, fr, "", "", "", "", 0, 0},
	{wed, "merci", un, fr, "", "", "", "", 0, 0},

	// A weekday said on that weekday: today while the time is ahead, else in a week.
	{mon, "lundi à 16 h", un, fr, "", "", "2026-06-22T16:00:00-04:00", "", 0, 0},
	{mon, "lundi à 14 h", un, fr, "", "", "2026-06-29T14:00:00-04:00", "", 0, 0},
	{mon, "lundi à 15 h", un, fr, "", "", "2026-06-29T15:00:00-04:00", "", 0, 0},
	{mon, "lundi prochain à 16 h", un, fr, "", "", "2026-06-29T16:00:00-04:00", "", 0, 0},
	{mon, "Monday at 4pm", un, en, "", "", "2026-06-22T16:00:00-04:00", "", 0, 0},
	{mon, "next Monday at 4pm", un, en, "", "", "2026-06-29T16:00:00-04:00", "", 0, 0},
	{mon, "mardi prochain à 9 h", un, fr, "", "", "2026-06-23T09:00:00-04:00", "", 0, 0},
	{mon, "14h", un, fr, "", "", "2026-06-23T14:00:00-04:00", "", 0, 0},
	{mon, "16h", un, fr, "", "", "2026-06-22T16:00:00-04:00", "", 0, 0},
	{mon, "le 22 juin à 16 h", un, fr, "", "", "2026-06-22T16:00:00-04:00", "", 0, 0},
	{mon, "le 22 juin à 11h", un, fr, "", "", "2027-06-22T11:00:00-04:00", "", 0, 0},
	{mon, "aujourd'hui à 11 h", un, fr, "", "", "2026-06-22T11:00:00-04:00", "", 0, 0},

	// Month end, year end, leap day.
	{jan, "demain à 9 h", un, fr, "", "", "2026-02-01T09:00:00-05:00", "", 0, 0},
	{jan, "après-demain", un, fr, "", "", "", "2026-02-02", 0, 0},
	{jan, "dans 3 jours", un, fr, "", "", "", "2026-02-03", 0, 0},
	{jan, "le 31 janvier à 9 h", un, fr, "", "", "2027-01-31T09:00:00-05:00", "", 0, 0},
	{jan, "le 31 janvier à 11 h", un, fr, "", "", "2026-01-31T11:00:00-05:00", "", 0, 0},
	{jan, "le 30 février", un, fr, "", "", "", "", 0, 0},
	{dec, "demain à 10 h", un, fr, "", "", "2027-01-01T10:00:00-05:00", "", 0, 0},
	{dec, "le 2 janvier à 9h", un, fr, "", "", "2027-01-02T09:00:00-05:00", "", 0, 0},
	{dec, "tomorrow at 9am", un, en, "", "", "2027-01-01T09:00:00-05:00", "", 0, 0},
	{dec, "vendredi à 9 h", un, fr, "", "", "2027-01-01T09:00:00-05:00", "", 0, 0},
	{dec, "dans 2 heures", un, fr, "", "", "2026-12-31T18:00:00-05:00", "", 0, 0},
	{dec, "10 h", un, fr, "", "", "2027-01-01T10:00:00-05:00", "", 0, 0},
	{dec, "in 9 hours", un, en, "", "", "2027-01-01T01:00:00-05:00", "", 0, 0},
	{leap, "demain à 10 h", un, fr, "", "", "2028-02-29T10:00:00-05:00", "", 0, 0},
	{leap, "le 29 février à 10 h", un, fr, "", "", "2028-02-29T10:00:00-05:00", "", 0, 0},
	{leap, "après-demain", un, fr, "", "", "", "2028-03-01", 0, 0},
	{mar, "le 29 février à 10 h", un, fr, "", "", "2028-02-29T10:00:00-05:00", "", 0, 0},
	{mar, "29/02", un, fr, "", "", "", "2028-02-29", 0, 0},

	// Daylight saving: March 8 and November 1, 2026, in America/Toronto.
	{dst1, "demain à 14h", un, fr, "", "", "2026-03-08T14:00:00-04:00", "", 0, 0},
	{dst1, "demain à 2 h 30", un, fr, "", "", "2026-03-08T03:30:00-04:00", "", 0, 0},
	{dst1, "dans 24 heures", un, fr, "", "", "2026-03-08T11:00:00-04:00", "", 0, 0},
	{dst1, "lundi à 9 h", un, fr, "", "", "2026-03-09T09:00:00-04:00", "", 0, 0},
	{dst1, "demain de 1 h à 4 h", un, fr, "", "", "2026-03-08T01:00:00-05:00", "", 120, 0},
	{fri, "dimanche à 9h", un, fr, "", "", "2026-03-08T09:00:00-04:00", "", 0, 0},
	{fri, "Sunday at 9am", un, en, "", "", "2026-03-08T09:00:00-04:00", "", 0, 0},
	{dst2, "demain à 14h", un, fr, "", "", "2026-11-01T14:00:00-05:00", "", 0, 0},
	{dst2, "demain à 1 h 30", un, fr, "", "", "2026-11-01T01:30:00-04:00", "", 0, 0},
	{dst2, "dans 24 heures", un, fr, "", "", "2026-11-01T09:00:00-05:00", "", 0, 0},
	{dst2, "demain de 0 h à 3 h", un, fr, "", "", "2026-11-01T00:00:00-04:00", "", 240, 0},
	{dst2, "tomorrow at 9am", un, en, "", "", "2026-11-01T09:00:00-05:00", "", 0, 0},
}

func TestParsePhrases(t *testing.T) {
	t.Parallel()
	if n := len(phrases) + len(morePhrases); n < 150 {
		t.Fatalf("only %d phrases; the table must hold at least 150", n)
	}
	checkPhrases(t, phrases)
}

func TestParseMorePhrases(t *testing.T) {
	t.Parallel()
	checkPhrases(t, morePhrases)
}

// checkPhrases parses each row at its reference time in America/Toronto and compares what
// was understood, resolved to instants.
func checkPhrases(t *testing.T, rows []phrase) {
	t.Helper()
	loc := toronto(t)
	for _, p := range rows {
		now := ref(t, p.now)
		u := Parse(p.text, now, loc)
		got := phrase{now: p.now, text: p.text, intent: u.Intent, lang: u.Lang, who: u.Designate, title: u.Title, number: u.Number}
		if start, ok := u.Start(now, loc); ok {
			got.start = start.Format(time.RFC3339)
			if d, ok := u.Length(start); ok {
				got.minutes = int(d / time.Minute)
			}
		} else {
			if u.Date != nil {
				got.day = Resolve(*u.Date, Clock{Hour: 23, Minute: 59}, now, loc).Format("2006-01-02")
			}
			got.minutes = int(u.Duration / time.Minute)
		}
		if got != p {
			t.Errorf("Parse(%q) at %s\n got %+v\nwant %+v", p.text, p.now, got, p)
		}
	}
}

// More phrases: the LIBRARIES.md §2 probe, intents said politely, ends, bare names.
var morePhrases = []phrase{
	{wed, "mardi prochain 10h30", un, fr, "", "", "2026-06-23T10:30:00-04:00", "", 0, 0},
	{wed, "prochain mardi 10h30", un, fr, "", "", "2026-06-23T10:30:00-04:00", "", 0, 0},
	{wed, "le 23 juin à 11 h", un, fr, "", "", "2026-06-23T11:00:00-04:00", "", 0, 0},
	{wed, "aujourd'hui à 16h", un, fr, "", "", "2026-06-17T16:00:00-04:00", "", 0, 0},
	{wed, "après-demain à 9h", un, fr, "", "", "2026-06-19T09:00:00-04:00", "", 0, 0},
	{wed, "lundi à 15h", un, fr, "", "", "2026-06-22T15:00:00-04:00", "", 0, 0},
	{wed, "demain à 14:00", un, fr, "", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "23/06 à 11h", un, fr, "", "", "2026-06-23T11:00:00-04:00", "", 0, 0},
	{wed, "demain midi", un, fr, "", "", "2026-06-18T12:00:00-04:00", "", 0, 0},
	{wed, "tomorrow 2pm", un, en, "", "", "2026-06-18T14:00:00-04:00", "", 0, 0},
	{wed, "next tuesday 10:30am", un, en, "", "", "2026-06-23T10:30:00-04:00", "", 0, 0},
	{wed, "June 23 at 11am", un, en, "", "", "2026-06-23T11:00:00-04:00", "", 0, 0},
	{wed, "in 90 minutes", un, en, "", "", "2026-06-17T10:45:00-04:00", "", 0, 0},
	{wed, "tomorrow at noon", un, en, "", "", "2026-06-18T12:00:00-04:00", "", 0, 0},
	{mon, "le 3 janvier à 9h", un, fr, "", "", "2027-01-03T09:00:00-05:00", "", 0, 0},
	{"2026-06-23T09:00:00-04:00", "prochain mardi 10h30", un, fr, "", "", "2026-06-30T10:30:00-04:00", "", 0, 0},
	{wed, "peux-tu lister mes rencontres", IntentList, fr, "", "", "", "", 0, 0},
	{wed, "can you list my meetings", IntentList, en, "", "", "", "", 0, 0},
	{wed, "quelles sont mes prochaines rencontres?", IntentList, fr, "", "", "", "", 0, 0},
	{wed, "je veux annuler la rencontre de demain avec Marie", IntentCancel, fr, "Marie", "", "", "2026-06-18", 0, 0},
	{wed, "renvoie la clé de la 2e rencontre à jean@x.ca", IntentResend, fr, "jean@x.ca", "", "", "", 0, 2},
	{wed, "send the key again to Marie", IntentResend, en, "Marie", "", "", "", 0, 0},
	{wed, "Marie Tremblay", un, fr, "Marie Tremblay", "", "", "", 0, 0},
	{wed, "Élise", un, fr, "Élise", "", "", "", 0, 0},
	{wed, "jean.dupont@example.com", un, fr, "jean.dupont@example.com", "", "", "", 0, 0},
	{wed, "oui, vas-y", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "non merci", IntentDeny, fr, "", "", "", "", 0, 0},
	{wed, "jusqu'à 15 h", un, fr, "", "", "", "", 0, 0},
	{wed, "à 15h30 jusqu'à 16h", un, fr, "", "", "2026-06-17T15:30:00-04:00", "", 30, 0},
	{wed, "de 9 h à midi", un, fr, "", "", "2026-06-18T09:00:00-04:00", "", 180, 0},
	{wed, "demain 9h-10h30", un, fr, "", "", "2026-06-18T09:00:00-04:00", "", 90, 0},
	{wed, "dans une demi-heure", un, fr, "", "", "2026-06-17T09:45:00-04:00", "", 0, 0},
	{wed, "in half an hour", un, en, "", "", "2026-06-17T09:45:00-04:00", "", 0, 0},
	{wed, "une heure trente", un, fr, "", "", "", "", 90, 0},
	{wed, "Schedule a 30-minute meeting with Bob tomorrow at 9", sc, en, "Bob", "", "2026-06-18T09:00:00-04:00", "", 30, 0},
	{wed, "schedule a 1h meeting with Bob at 9am", sc, en, "Bob", "", "2026-06-18T09:00:00-04:00", "", 60, 0},
	{wed, "programme une rencontre pour Marie demain a 1h30", sc, fr, "Marie", "", "2026-06-18T01:30:00-04:00", "", 0, 0},
	{wed, "14h?", un, fr, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "2 pm?", un, en, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "la réunion de 14h", sc, fr, "", "", "2026-06-17T14:00:00-04:00", "", 0, 0},
	{wed, "pendant 6 h", un, fr, "", "", "", "", 360, 0},
	{wed, "programme une rencontre pour Marie le 23 à 14 h", sc, fr, "Marie", "", "2026-06-23T14:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie le 17 à 9 h", sc, fr, "Marie", "", "2026-07-17T09:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour Marie le 17 à 10 h", sc, fr, "Marie", "", "2026-06-17T10:00:00-04:00", "", 0, 0},
	{jan, "le 31 à 9 h", un, fr, "", "", "2026-03-31T09:00:00-04:00", "", 0, 0},
	{wed, "the 24th at 3pm", un, en, "", "", "2026-06-24T15:00:00-04:00", "", 0, 0},
	{wed, "en fait le titre c'est Budget", un, fr, "", "Budget", "", "", 0, 0},
	{wed, "annule le 2", IntentCancel, fr, "", "", "", "", 0, 2},
	{wed, "renvoie la clé du 3", IntentResend, fr, "", "", "", "", 0, 3},
	{wed, "cancel the 2nd", IntentCancel, en, "", "", "", "", 0, 2},
	{wed, "Bonjour Relais, pourrais-tu programmer une rencontre avec Marie Tremblay jeudi à 13 h 30 ? Merci!", sc, fr, "Marie Tremblay", "", "2026-06-18T13:30:00-04:00", "", 0, 0},
	{wed, "Salut! J'aimerais organiser une réunion avec Jean-François Lévesque le vendredi 26 juin de 10 h à 11 h", sc, fr, "Jean-François Lévesque", "", "2026-06-26T10:00:00-04:00", "", 60, 0},
	{wed, "set up a meeting with bob@x.com for 2 hours on Friday 10am, title: Planning", sc, en, "bob@x.com", "Planning", "2026-06-19T10:00:00-04:00", "", 120, 0},
	{wed, "j'aimerais une rencontre 'Budget annuel' avec Marie demain à 10 h", sc, fr, "Marie", "Budget annuel", "2026-06-18T10:00:00-04:00", "", 0, 0},
	{wed, "programme une rencontre pour l'équipe « Bilan » demain à 10 h", sc, fr, "", "Bilan", "2026-06-18T10:00:00-04:00", "", 0, 0},
	{wed, "👍", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "OUI", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "ça marche", IntentConfirm, fr, "", "", "", "", 0, 0},
	{wed, "peux-tu renvoyer la clé organisateur à Jean Dupont?", IntentResend, fr, "Jean Dupont", "", "", "", 0, 0},
	{wed, "programme une rencontre pour Marie demain à 14 h jusqu'à 15 h 30", sc, fr, "Marie", "", "2026-06-18T14:00:00-04:00", "", 90, 0},
}

func TestEndAlone(t *testing.T) {
	t.Parallel()
	u := Parse("jusqu'à 15 h", ref(t, wed), toronto(t))
	if u.End == nil || *u.End != (Clock{15, 0}) || u.Time != nil {
		t.Errorf("jusqu'à 15 h: %+v", u)
	}
	u = Parse("until 3pm", ref(t, wed), toronto(t))
	if u.End == nil || *u.End != (Clock{15, 0}) || u.Time != nil {
		t.Errorf("until 3pm: %+v", u)
	}
}
