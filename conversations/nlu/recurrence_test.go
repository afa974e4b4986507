package nlu

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// rec is one recurrence row: what Parse must understand from text said on Wednesday 17 June
// 2026 at 09:15 in Toronto. rule is the recurrence written compactly (see ruleText); hour is
// the time of day said ("" when none); who is the designate.
type rec struct {
	text  string
	lang  Lang
	who   string
	rule  string
	hour  string
	cance bool // a cancel command about the whole series
}

// ruleText writes a Recurrence as "weekly/2 days=[2 4] count=5 for=6week until=2026-12-19".
func ruleText(r *Recurrence) string {
	if r == nil {
		return "none"
	}
	s := r.Freq
	if r.Interval > 1 {
		s += fmt.Sprintf("/%d", r.Interval)
	}
	if len(r.Days) > 0 {
		s += fmt.Sprintf(" days=%v", r.Days)
	}
	if r.Nth != 0 {
		s += fmt.Sprintf(" nth=%d", r.Nth)
	}
	if r.MonthDay != 0 {
		s += fmt.Sprintf(" day=%d", r.MonthDay)
	}
	if r.Count > 0 {
		s += fmt.Sprintf(" count=%d", r.Count)
	}
	if r.ForN > 0 {
		s += fmt.Sprintf(" for=%d%s", r.ForN, r.ForUnit)
	}
	if u := r.Until; u != nil {
		s += fmt.Sprintf(" until=%04d-%02d-%02d", u.Year, u.Month, u.Day)
	}
	return s
}

var recurrencePhrases = []rec{
	// French.
	{text: "programme une rencontre pour Marie Tremblay chaque mardi à 10 h pendant 6 semaines", lang: fr, who: "Marie Tremblay", rule: "weekly days=[Tuesday] for=6week", hour: "10:00"},
	{text: "rencontre pour Jean Dupont tous les jours de semaine à 9 h jusqu'au 19 décembre", lang: fr, who: "Jean Dupont", rule: "weekly days=[Monday Tuesday Wednesday Thursday Friday] until=0000-12-19", hour: "09:00"},
	{text: "cédule une rencontre pour Marie tous les lundis à 8 h 30, 10 fois", lang: fr, who: "Marie", rule: "weekly days=[Monday] count=10", hour: "08:30"},
	{text: "planifie une rencontre pour Jean toutes les deux semaines le jeudi à 14 h", lang: fr, who: "Jean", rule: "weekly/2 days=[Thursday]", hour: "14:00"},
	{text: "rencontre pour Marie aux deux semaines le jeudi à 13 h 30, 4 fois", lang: fr, who: "Marie", rule: "weekly/2 days=[Thursday] count=4", hour: "13:30"},
	{text: "programme pour Jean un mardi sur deux à 11 h pendant 3 mois", lang: fr, who: "Jean", rule: "weekly/2 days=[Tuesday] for=3month", hour: "11:00"},
	{text: "rencontre pour Marie tous les jours à 16 h pendant 5 jours", lang: fr, who: "Marie", rule: "daily for=5day", hour: "16:00"},
	{text: "rencontre quotidienne pour Jean à 9 h jusqu'au 30 juin", lang: fr, who: "Jean", rule: "daily until=0000-06-30", hour: "09:00"},
	{text: "rencontre hebdomadaire pour Marie le vendredi à 10 h, 8 fois", lang: fr, who: "Marie", rule: "weekly count=8", hour: "10:00"},
	{text: "rencontre pour Marie chaque mois le 25 à 10 h, 6 fois", lang: fr, who: "Marie", rule: "monthly count=6", hour: "10:00"},
	{text: "rencontre pour Jean le premier mardi de chaque mois à 10 h", lang: fr, who: "Jean", rule: "monthly days=[Tuesday] nth=1", hour: "10:00"},
	{text: "rencontre pour Marie tous les mardis et jeudis de 10 h à 11 h jusqu'en août", lang: fr, who: "Marie", rule: "weekly days=[Tuesday Thursday] until=2026-08-31", hour: "10:00"},
	{text: "rencontre pour Jean du lundi au vendredi à 8 h pendant 2 semaines", lang: fr, who: "Jean", rule: "weekly days=[Monday Tuesday Wednesday Thursday Friday] for=2week", hour: "08:00"},
	{text: "rencontre pour Marie tous les 15 jours le mercredi à 15 h", lang: fr, who: "Marie", rule: "weekly/2 days=[Wednesday]", hour: "15:00"},
	{text: "rencontre pour Jean chaque semaine à 9 h jusqu'à 10 h", lang: fr, who: "Jean", rule: "weekly", hour: "09:00"},
	{text: "rencontre pour Marie chaque année le 1er juillet à 10 h", lang: fr, who: "Marie", rule: "yearly", hour: "10:00"},
	{text: "rencontre pour Marie les mardis et jeudis à 10 h, 5 fois", lang: fr, who: "Marie", rule: "weekly days=[Tuesday Thursday] count=5", hour: "10:00"},
	{text: "rencontre pour Jean chaque 2 semaines le lundi à 10 h", lang: fr, who: "Jean", rule: "weekly/2 days=[Monday]", hour: "10:00"},
	{text: "programme une rencontre pour Marie tous les lundis matin à 9 h pendant un mois", lang: fr, who: "Marie", rule: "weekly days=[Monday] for=1month", hour: "09:00"},
	// A day of the month (BYMONTHDAY): « chaque 15 du mois », "on the 15th of every month".
	{text: "programme une rencontre pour Jean Dupont chaque 15 du mois à 10 h", lang: fr, who: "Jean Dupont", rule: "monthly day=15", hour: "10:00"},
	{text: "rencontre pour Jean Dupont tous les 15 du mois à 10 h, 6 fois", lang: fr, who: "Jean Dupont", rule: "monthly day=15 count=6", hour: "10:00"},
	{text: "programme une rencontre pour Marie Tremblay le 1er de chaque mois à 9 h pendant 4 mois", lang: fr, who: "Marie Tremblay", rule: "monthly day=1 for=4month", hour: "09:00"},
	{text: "rencontre pour Marie le 28 de tous les mois à 13 h 30", lang: fr, who: "Marie", rule: "monthly day=28", hour: "13:30"},
	// « tous les 15 » without « du mois »: a time follows, so a day of the month; « tous les 15
	// jours » stays every other week.
	{text: "programme une rencontre pour Jean Dupont tous les 15 à 10 h", lang: fr, who: "Jean Dupont", rule: "monthly day=15", hour: "10:00"},
	{text: "rencontre pour Marie chaque 1er à 9 h, 6 fois", lang: fr, who: "Marie", rule: "monthly day=1 count=6", hour: "09:00"},
	{text: "rencontre pour Jean tous les 28 à 13 h 30 pendant 3 mois", lang: fr, who: "Jean", rule: "monthly day=28 for=3month", hour: "13:30"},
	{text: "rencontre pour Marie tous les 15 jours à 10 h", lang: fr, who: "Marie", rule: "weekly/2", hour: "10:00"},
	{text: "programme une rencontre pour Marie demain à 10 h avec tous les 15 participants", lang: fr, who: "Marie", rule: "none", hour: "10:00"},
	{text: "annule la série", lang: fr, rule: "none", cance: true},
	{text: "annule toute la série avec Marie", lang: fr, who: "Marie", rule: "none", cance: true},
	// English.
	{text: "schedule a meeting for Bob Smith every other Thursday at 2pm, 5 times", lang: en, who: "Bob Smith", rule: "weekly/2 days=[Thursday] count=5", hour: "14:00"},
	{text: "set up a meeting for Bob every Tuesday at 10am for 6 weeks", lang: en, who: "Bob", rule: "weekly days=[Tuesday] for=6week", hour: "10:00"},
	{text: "meeting for Bob every weekday at 9am until Dec 18", lang: en, who: "Bob", rule: "weekly days=[Monday Tuesday Wednesday Thursday Friday] until=0000-12-18", hour: "09:00"},
	{text: "schedule a weekly meeting for Jean on Mondays at 10, 12 times", lang: en, who: "Jean", rule: "weekly days=[Monday] count=12", hour: "10:00"},
	{text: "schedule a meeting for Bob every 2 weeks on Friday at 3pm for 3 months", lang: en, who: "Bob", rule: "weekly/2 days=[Friday] for=3month", hour: "15:00"},
	{text: "schedule a daily meeting for Bob at 9:15 for 2 weeks", lang: en, who: "Bob", rule: "daily for=2week", hour: "09:15"},
	{text: "schedule a meeting for Bob every day at 4pm until June 26", lang: en, who: "Bob", rule: "daily until=0000-06-26", hour: "16:00"},
	{text: "schedule a monthly meeting for Jean on the 30th at 11am, 6 times", lang: en, who: "Jean", rule: "monthly count=6", hour: "11:00"},
	{text: "schedule a meeting for Bob the last Friday of every month at 3pm", lang: en, who: "Bob", rule: "monthly days=[Friday] nth=-1", hour: "15:00"},
	{text: "schedule a meeting for Bob every Monday and Wednesday at 1pm, 10 times", lang: en, who: "Bob", rule: "weekly days=[Monday Wednesday] count=10", hour: "13:00"},
	{text: "schedule a biweekly meeting for Jean on Thursdays at 2pm", lang: en, who: "Jean", rule: "weekly/2 days=[Thursday]", hour: "14:00"},
	{text: "schedule a meeting for Bob Monday through Friday at 8am until the end of July", lang: en, who: "Bob", rule: "weekly days=[Monday Tuesday Wednesday Thursday Friday] until=2026-07-31", hour: "08:00"},
	{text: "schedule a meeting for Bob every week at 10am through June 30", lang: en, who: "Bob", rule: "weekly until=0000-06-30", hour: "10:00"},
	{text: "schedule a yearly meeting for Jean on June 23 at 10am, 3 times", lang: en, who: "Jean", rule: "yearly count=3", hour: "10:00"},
	{text: "schedule a meeting for Bob every third week on Tuesday at 9am", lang: en, who: "Bob", rule: "weekly/3 days=[Tuesday]", hour: "09:00"},
	{text: "schedule a meeting for Bob every Tuesday and Thursday at 9am until January 15", lang: en, who: "Bob", rule: "weekly days=[Tuesday Thursday] until=0000-01-15", hour: "09:00"},
	{text: "schedule a meeting for Bob every year on March 3 at 10am", lang: en, who: "Bob", rule: "yearly", hour: "10:00"},
	{text: "schedule a meeting for Bob on Mondays and Wednesdays at 1pm until the end of August", lang: en, who: "Bob", rule: "weekly days=[Monday Wednesday] until=2026-08-31", hour: "13:00"},
	{text: "schedule a meeting for Jean every 4 weeks on Tuesday at 10am, 6 times", lang: en, who: "Jean", rule: "weekly/4 days=[Tuesday] count=6", hour: "10:00"},
	{text: "schedule a meeting for Bob every weekday at 8:30am for 3 weeks", lang: en, who: "Bob", rule: "weekly days=[Monday Tuesday Wednesday Thursday Friday] for=3week", hour: "08:30"},
	{text: "schedule a meeting for Bob every month on the 15th at 2pm until June 30", lang: en, who: "Bob", rule: "monthly until=0000-06-30", hour: "14:00"},
	{text: "schedule a meeting for Jean the second Wednesday of every month at 11am, 10 times", lang: en, who: "Jean", rule: "monthly days=[Wednesday] nth=2 count=10", hour: "11:00"},
	{text: "schedule a meeting for Bob Smith every 15th of the month at 10am", lang: en, who: "Bob Smith", rule: "monthly day=15", hour: "10:00"},
	{text: "schedule a meeting for Bob Smith on the 15th of every month at 10am for 6 months", lang: en, who: "Bob Smith", rule: "monthly day=15 for=6month", hour: "10:00"},
	{text: "set up a meeting for Jean the 1st of each month at 9am, 3 times", lang: en, who: "Jean", rule: "monthly day=1 count=3", hour: "09:00"},
	{text: "schedule a meeting for Bob every 22nd of the month at 2pm until December", lang: en, who: "Bob", rule: "monthly day=22", hour: "14:00"},
	// "every 15th" without "of the month".
	{text: "schedule a meeting for Bob Smith every 15th at 10am", lang: en, who: "Bob Smith", rule: "monthly day=15", hour: "10:00"},
	{text: "set up a meeting for Jean every 1st at 9am, 4 times", lang: en, who: "Jean", rule: "monthly day=1 count=4", hour: "09:00"},
	{text: "schedule a meeting for Bob every 22nd at 2pm for 6 months", lang: en, who: "Bob", rule: "monthly day=22 for=6month", hour: "14:00"},
	{text: "schedule a meeting for Bob every 15 at 3pm", lang: en, who: "Bob", rule: "monthly day=15", hour: "15:00"},
	{text: "schedule a meeting for Bob tomorrow at 3pm with a break every 15 minutes", lang: en, who: "Bob", rule: "none", hour: "15:00"},
	{text: "cancel the series", lang: en, rule: "none", cance: true},
	{text: "cancel all occurrences of the meeting with Bob", lang: en, who: "Bob", rule: "none", cance: true},
	// Taking a rule back.
	{text: "programme une rencontre pour Marie demain à 10 h, une seule fois", lang: fr, who: "Marie", rule: "once", hour: "10:00"},
	{text: "schedule a meeting for Bob tomorrow at 10am, just once", lang: en, who: "Bob", rule: "once", hour: "10:00"},
	// Not a series.
	{text: "programme une réunion pour tous les participants demain à 10 h avec Marie", lang: fr, who: "Marie", rule: "none", hour: "10:00"},
	{text: "schedule a meeting with Bob tomorrow at 3pm, each of us presents", lang: en, who: "Bob", rule: "none", hour: "15:00"},
	{text: "programme une rencontre pour Marie demain à 10 h pour faire le point sur chaque dossier", lang: fr, who: "Marie", rule: "none", hour: "10:00"},
	{text: "programme une rencontre pour Marie demain à 14 h jusqu'à 15 h", lang: fr, who: "Marie", rule: "none", hour: "14:00"},
	{text: "schedule a meeting for Bob next Tuesday at 10am for 2 hours", lang: en, who: "Bob", rule: "none", hour: "10:00"},
	{text: "rencontre pour Jean la semaine prochaine mardi à 10 h", lang: fr, who: "Jean", rule: "none", hour: "10:00"},
}

func TestRecurrencePhrases(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	english := 0
	for _, p := range recurrencePhrases {
		u := Parse(p.text, now, loc)
		if got := ruleText(u.Recurrence); got != p.rule {
			t.Errorf("%q: rule %q, want %q", p.text, got, p.rule)
		}
		if u.Lang != p.lang {
			t.Errorf("%q: language %s, want %s", p.text, u.Lang, p.lang)
		}
		if p.who != "" && u.Designate != p.who {
			t.Errorf("%q: designate %q, want %q", p.text, u.Designate, p.who)
		}
		if p.cance && (u.Intent != IntentCancel || !u.Series) {
			t.Errorf("%q: intent %s series %v, want a cancel of the series", p.text, u.Intent, u.Series)
		}
		if !p.cance && u.Intent != IntentSchedule {
			t.Errorf("%q: intent %s, want schedule", p.text, u.Intent)
		}
		if p.hour != "" {
			if u.Time == nil {
				t.Errorf("%q: no time, want %s", p.text, p.hour)
			} else if got := fmt.Sprintf("%02d:%02d", u.Time.Hour, u.Time.Minute); got != p.hour {
				t.Errorf("%q: time %s, want %s", p.text, got, p.hour)
			}
		}
		if p.lang == en {
			english++
		}
	}
	if english*2 < len(recurrencePhrases)-2 {
		t.Errorf("%d English phrases of %d: keep about half", english, len(recurrencePhrases))
	}
}

// TestRecurrenceLeavesTheDayToTheRule: the weekday of « chaque mardi » is the rule's, not a
// one-off date; « jusqu'au 19 décembre » is the end, not the day of the meeting.
func TestRecurrenceLeavesTheDayToTheRule(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	for _, text := range []string{"rencontre pour Marie chaque mardi à 10 h", "rencontre pour Marie tous les jours de semaine à 9 h jusqu'au 19 décembre"} {
		if u := Parse(text, now, loc); u.Date != nil {
			t.Errorf("%q: date %+v, want none (the rule gives the days)", text, *u.Date)
		}
	}
	u := Parse("rencontre pour Marie chaque semaine à partir du 6 juillet à 10 h", now, loc)
	if u.Date == nil || u.Date.Month != time.July || u.Date.Day != 6 {
		t.Errorf("the first day stays a date: %+v", u.Date)
	}
}

// TestMonthDayIsTheFirstDate: « chaque 15 du mois » with no other day starts on the next 15th;
// a first day said as well (« à partir du 1er juillet ») stays the day the series starts from.
func TestMonthDayIsTheFirstDate(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	for _, text := range []string{"programme une rencontre pour Jean Dupont chaque 15 du mois à 10 h",
		"schedule a meeting for Bob Smith every 15th of the month at 10am"} {
		u := Parse(text, now, loc)
		if u.Date == nil || u.Date.Day != 15 || u.Date.Month != 0 || u.Date.IsWeekday {
			t.Errorf("%q: date %+v, want the 15th (its next occurrence)", text, u.Date)
		}
	}
	u := Parse("rencontre pour Jean chaque 15 du mois à 10 h à partir du 1er juillet", now, loc)
	if u.Date == nil || u.Date.Month != time.July || u.Date.Day != 1 {
		t.Errorf("the first day said stays: %+v", u.Date)
	}
	if u.Recurrence == nil || u.Recurrence.MonthDay != 15 {
		t.Errorf("rule %s, want the 15th of every month", ruleText(u.Recurrence))
	}
}

// TestNoRecurrenceWordInAName: whatever the phrasing of a rule, understood or not, none of its
// words ends up in the designate's name (« Jean Dupont chaque » was looked up in the directory).
func TestNoRecurrenceWordInAName(t *testing.T) {
	t.Parallel()
	loc := toronto(t)
	now := ref(t, wed)
	words := []string{"chaque", "Chaque", "tous", "toutes", "every", "Every", "each", "daily", "weekly", "monthly", "yearly",
		"annually", "biweekly", "fortnightly", "quotidien", "quotidienne", "quotidiennement", "hebdomadaire",
		"hebdomadairement", "mensuel", "mensuelle", "mensuellement", "annuel", "annuelle", "bimensuel", "jusqu'au",
		"jusqu'à", "until", "pendant", "durant", "lundis", "mardis", "jeudis", "Mondays", "Thursdays", "weekdays"}
	for _, w := range words {
		for _, c := range []struct{ text, who string }{
			{"programme une rencontre pour Jean Dupont " + w + " 15 du mois à 10 h", "Jean Dupont"},
			{"programme une rencontre pour Jean Dupont " + w + " quinzaine à 10 h", "Jean Dupont"},
			{"schedule a meeting for Bob Smith " + w + " 15th at 10am", "Bob Smith"},
			{"schedule a meeting for Bob Smith " + w + " at 10am", "Bob Smith"},
		} {
			if u := Parse(c.text, now, loc); u.Designate != c.who {
				t.Errorf("%q: designate %q, want %q", c.text, u.Designate, c.who)
			}
		}
	}
	for _, text := range []string{"Jean Dupont chaque", "Bob Smith Every"} {
		if u := Parse(text, now, loc); u.Designate != "" && u.Designate != strings.Fields(text)[0]+" "+strings.Fields(text)[1] {
			t.Errorf("%q alone: designate %q", text, u.Designate)
		}
	}
}

func TestTrimRecurrence(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Jean Dupont chaque semaine": "Jean Dupont",
		"Jean Dupont, tous les mois": "Jean Dupont",
		"Bob Smith every week":       "Bob Smith",
		"Bob Smith Weekly":           "Bob Smith",
		"Marie jusqu’au 19 décembre": "Marie",
		"Chaque":                     "",
		"Jean-Toussaint Dupont":      "Jean-Toussaint Dupont",
		"marie.tremblay@exemple.ca":  "marie.tremblay@exemple.ca",
		"Élise Côté":                 "Élise Côté",
	} {
		if got := TrimRecurrence(in); got != want {
			t.Errorf("TrimRecurrence(%q) = %q, want %q", in, got, want)
		}
	}
}
