package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/rrule"
)

// The words of recurring meetings, French and English: a rule said in words, its first dates,
// and the designate's notices.

var (
	frNth = map[int]string{1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", 5: "cinquième", -1: "dernier"}
	enNth = map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
)

// describeRule says a rule in words: « chaque mardi, 6 fois », "every other Thursday, 5 times".
func describeRule(l nlu.Lang, r rrule.Rule, start time.Time) string {
	n := max(r.Interval, 1)
	days := func() string {
		var names []string
		for _, wd := range r.ByDay {
			names = append(names, t(l, frDays[wd], wd.String()))
		}
		if len(names) == 0 { // a rule without BYDAY (one Webex gives back): the start's day
			names = []string{t(l, frDays[start.Weekday()], start.Weekday().String())}
		}
		if len(names) == 1 {
			return names[0]
		}
		return strings.Join(names[:len(names)-1], ", ") + t(l, " et ", " and ") + names[len(names)-1]
	}
	workdays := len(r.ByDay) == 5 && r.ByDay[0] == time.Monday && r.ByDay[4] == time.Friday
	var s string
	switch r.Freq {
	case rrule.Daily:
		s = t(l, "tous les jours", "every day")
		if n > 1 {
			s = t(l, fmt.Sprintf("tous les %d jours", n), fmt.Sprintf("every %d days", n))
		}
	case rrule.Weekly:
		switch {
		case workdays && n == 1:
			s = t(l, "tous les jours de semaine (du lundi au vendredi)", "every weekday (Monday to Friday)")
		case n == 1:
			s = t(l, "chaque "+days(), "every "+days())
		case n == 2 && len(r.ByDay) == 1:
			s = t(l, "un "+days()+" sur deux", "every other "+days())
		default:
			s = t(l, fmt.Sprintf("toutes les %d semaines, le %s", n, days()), fmt.Sprintf("every %d weeks on %s", n, days()))
		}
	case rrule.Monthly:
		var which string
		if r.Nth != 0 && len(r.ByDay) > 0 {
			which = t(l, "le "+frNth[r.Nth]+" "+days(), "on the "+enNth[r.Nth]+" "+days())
		} else {
			day := start.Day()
			if r.ByMonthDay > 0 {
				day = r.ByMonthDay
			}
			which = t(l, fmt.Sprintf("le %d", day), "on the "+ordinal(day))
			if day == 1 {
				which = t(l, "le 1er", "on the 1st")
			}
		}
		s = t(l, which+" de chaque mois", which+" of every month")
		if n > 1 {
			s = t(l, fmt.Sprintf("%s, tous les %d mois", which, n), fmt.Sprintf("%s, every %d months", which, n))
		}
	case rrule.Yearly:
		s = t(l, fmt.Sprintf("chaque année, le %d %s", start.Day(), frMonths[start.Month()]), "every year on "+start.Format("January 2"))
	}
	switch {
	case r.Count > 0:
		s += t(l, fmt.Sprintf(", %d fois", r.Count), fmt.Sprintf(", %d times", r.Count))
		if r.Count == 1 {
			s = t(l, "une seule fois", "once")
		}
	case !r.Until.IsZero():
		s += t(l, ", jusqu'au "+formatDay(l, r.Until.In(start.Location())), ", until "+formatDay(l, r.Until.In(start.Location())))
	default:
		s += t(l, ", sans date de fin", ", with no end date")
	}
	return s
}

func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// shortDay names a day without the year: « mardi 8 décembre », "Tuesday, December 8".
func shortDay(l nlu.Lang, day time.Time) string {
	year := t(l, " ", ", ") + fmt.Sprint(day.Year())
	return strings.TrimSuffix(formatDay(l, day), year)
}

// firstDates lists the first occurrences: « mardi 8 décembre ; mardi 15 décembre ; … ».
func firstDates(l nlu.Lang, r rrule.Rule, start time.Time) string {
	occ := r.Occurrences(start, firstShown+1)
	var parts []string
	for i, o := range occ {
		if i == firstShown {
			break
		}
		parts = append(parts, shortDay(l, o))
	}
	s := strings.Join(parts, " ; ")
	if l == nlu.English {
		s = strings.Join(parts, "; ")
	}
	if len(occ) > firstShown {
		s += " …"
	}
	return s
}

// seriesLines are the designate's lines about a series: the rule, the first dates, and the
// promise of a reminder with the current key before each occurrence.
func seriesLines(l nlu.Lang, d MeetingDetails) string {
	if d.Recurrence == "" {
		return ""
	}
	r, err := rrule.Parse(d.Recurrence)
	if err != nil {
		return ""
	}
	loc, _ := location(d.TimeZone, "UTC")
	start := d.Start.In(loc)
	return t(l, "**Répétition** : ", "**Repeats**: ") + describeRule(l, r, start) + "  \n" +
		t(l, "**Premières dates** : ", "**First dates**: ") + firstDates(l, r, start) + "  \n" +
		t(l,
			"*C'est une série : la clé organisateur change après chaque rencontre. Avant chacune, je vous enverrai un rappel avec la clé à jour.*  ",
			"*This is a series: the host key changes after each meeting. Before each one, I'll send you a reminder with the current key.*  ")
}

// msgSeriesCreated completes the organizer's confirmation of a series; "" for one meeting. Its
// example of cancelling one date names the series' second date; in a group space it says that
// this is done in a 1:1 space (a group space never lists nor cancels meetings).
func msgSeriesCreated(l nlu.Lang, m MeetingDetails, group bool) string {
	rule := describeSeries(l, m.Recurrence, m.Start, m.TimeZone)
	if rule == "" {
		return ""
	}
	r, _ := rrule.Parse(m.Recurrence)
	loc, _ := location(m.TimeZone, "UTC")
	name := esc(m.Designate.Name())
	example := t(l, "« annule la rencontre de mardi prochain »", "\"cancel the meeting next Tuesday\"")
	if occ := r.Occurrences(m.Start.In(loc), 2); len(occ) == 2 {
		example = t(l, "« annule la rencontre du "+shortDay(l, occ[1])+" »", "\"cancel the meeting on "+shortDay(l, occ[1])+"\"")
	}
	where := t(l, "Pour annuler une seule date : ", "To cancel one date: ")
	if group {
		where = t(l, "En message privé (1:1), pour annuler une seule date : ", "In a private (1:1) message, to cancel one date: ")
	}
	dates := firstDates(l, r, m.Start.In(loc))
	return t(l,
		fmt.Sprintf("C'est une série, créée d'un seul coup dans Webex : %s (premières dates : %s). Avant chaque rencontre, %s recevra un rappel avec la clé organisateur à jour, car elle change après chaque rencontre. %s%s ; pour tout annuler : « annule la série ».", rule, dates, name, where, example),
		fmt.Sprintf("It's a series, created in one go in Webex: %s (first dates: %s). Before each meeting, %s will get a reminder with the current host key, since it changes after each meeting. %s%s; to cancel them all: \"cancel the series\".", rule, dates, name, where, example))
}

// seriesTag completes a meeting's line in a list: « — série : chaque mardi, 6 fois (la date
// indiquée est la prochaine) ». The line also heads a change or a cancellation, alone.
func seriesTag(l nlu.Lang, m MeetingSummary) string {
	rule := describeSeries(l, m.Recurrence, m.Start, m.TimeZone)
	if rule == "" {
		return ""
	}
	return t(l, " — série : "+rule+" (la date indiquée est la prochaine)", " — series: "+rule+" (the date shown is the next one)")
}

// OccurrenceCancelledNotice tells the designate that one occurrence of a series was cancelled
// (d holds that occurrence's start and end) and that the others stay.
func OccurrenceCancelledNotice(l nlu.Lang, d MeetingDetails) string {
	org := esc(d.Organizer.Name())
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	return capBytes(t(l,
		fmt.Sprintf("Bonjour,\n\n**%s** a annulé la rencontre Webex « %s » du %s. Les autres dates de la série sont maintenues : vous recevrez toujours un rappel avec la clé organisateur à jour avant chacune.", org, esc(d.Title), when),
		fmt.Sprintf("Hello,\n\n**%s** cancelled the Webex meeting \"%s\" of %s. The other dates of the series stay: you will still get a reminder with the current host key before each one.", org, esc(d.Title), when)))
}

// SeriesCancelledNotice tells the designate that a whole series was cancelled.
func SeriesCancelledNotice(l nlu.Lang, d MeetingDetails) string {
	org := esc(d.Organizer.Name())
	rule := describeSeries(l, d.Recurrence, d.Start, d.TimeZone)
	return capBytes(t(l,
		fmt.Sprintf("Bonjour,\n\n**%s** a annulé la série de rencontres Webex « %s » (%s), dont vous deviez prendre l'animation. Vous n'avez rien à faire : il n'y aura plus de rappel, et les clés organisateur transmises ne servent plus.", org, esc(d.Title), rule),
		fmt.Sprintf("Hello,\n\n**%s** cancelled the series of Webex meetings \"%s\" (%s), which you were to run. There is nothing for you to do: there will be no more reminders, and the host keys I sent are no longer needed.", org, esc(d.Title), rule)))
}
