package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/rrule"
)

// Recurring meetings: « chaque mardi à 10 h pendant 6 semaines » becomes one Webex series
// (FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6) whose first occurrence is the first day of the rule
// on or after the day said; the summary, the confirmation and the designate's message say the
// rule in words with the first dates. « annule la rencontre de mardi prochain » cancels one
// occurrence, « annule la série » all of them.

// firstShown is how many dates of a series the messages list.
const firstShown = 3

// mergeRecurrence copies a repeat rule said in the message into the draft.
func (d *dialogue) mergeRecurrence() bool {
	if d.u.Recurrence == nil {
		return false
	}
	r := *d.u.Recurrence
	if r.Freq == nlu.Once { // « finalement une seule fois »: no series
		had := d.st.Draft.Recurrence != nil
		d.st.Draft.Recurrence = nil
		return had
	}
	d.st.Draft.Recurrence = &r
	return true
}

// firstOccurrence moves start to the first day of the draft's rule on or after it: « chaque
// mardi » said on a Sunday starts on Tuesday; « le premier mardi du mois » on the next first
// Tuesday. Without a rule start is returned as is.
func (d *dialogue) firstOccurrence(start time.Time) time.Time {
	r := d.st.Draft.Recurrence
	if r == nil || len(r.Days) == 0 {
		return start
	}
	y, m, day := start.Date()
	h, mi, _ := start.Clock()
	if r.Nth != 0 {
		rule := rrule.Rule{Freq: rrule.Monthly, ByDay: r.Days[:1], Nth: r.Nth}
		for k := 0; k <= 12; k++ {
			first := time.Date(y, m+time.Month(k), 1, h, mi, 0, 0, d.loc)
			// The month's occurrence is the second date of a series started on its 1st (or the
			// 1st itself when it is the day).
			for _, t := range rule.Occurrences(first.AddDate(0, 0, -1), 3)[1:] {
				if !t.Before(start) {
					return t
				}
			}
		}
		return start
	}
	for k := range 7 {
		t := time.Date(y, m, day+k, h, mi, 0, 0, d.loc)
		for _, wd := range r.Days {
			if t.Weekday() == wd {
				return t
			}
		}
	}
	return start
}

// rule turns the draft's recurrence into the RRULE of a series starting at start. problem is
// set (and the rule unusable) when the end is before the first occurrence or Webex would refuse
// that many occurrences.
func (d *dialogue) rule(start time.Time) (r rrule.Rule, problem string, ok bool) {
	rec := d.st.Draft.Recurrence
	if rec == nil {
		return rrule.Rule{}, "", false
	}
	l := d.lang()
	r = rrule.Rule{Freq: rrule.Freq(strings.ToUpper(rec.Freq)), Interval: max(rec.Interval, 1), Count: rec.Count}
	switch r.Freq {
	case rrule.Weekly:
		r.ByDay = rec.Days
		if len(r.ByDay) == 0 {
			r.ByDay = []time.Weekday{start.Weekday()}
		}
	case rrule.Monthly:
		if rec.Nth != 0 && len(rec.Days) > 0 {
			r.ByDay, r.Nth = rec.Days[:1], rec.Nth
		} else {
			r.ByMonthDay = start.Day()
		}
	case rrule.Yearly:
		r.ByMonth, r.ByMonthDay = start.Month(), start.Day()
	case rrule.Daily:
	default:
		return rrule.Rule{}, "", false
	}
	switch {
	case rec.Until != nil:
		last := nlu.Resolve(*rec.Until, nlu.Clock{Hour: 23, Minute: 59}, d.now, d.loc)
		if last.Before(start) {
			return r, t(l,
				fmt.Sprintf("La date de fin (%s) tombe avant la première rencontre (%s) : je ne peux pas en faire une série.", formatDay(l, last), formatDay(l, start)),
				fmt.Sprintf("The end date (%s) comes before the first meeting (%s): I can't make a series of it.", formatDay(l, last), formatDay(l, start))), false
		}
		r.Until = last.UTC()
	case rec.ForN > 0:
		var stop time.Time
		switch rec.ForUnit {
		case "day":
			stop = start.AddDate(0, 0, rec.ForN)
		case "week":
			stop = start.AddDate(0, 0, 7*rec.ForN)
		case "month":
			stop = start.AddDate(0, rec.ForN, 0)
		default:
			stop = start.AddDate(rec.ForN, 0, 0)
		}
		n := 0
		for _, o := range r.Occurrences(start, 5000) {
			if o.Before(stop) {
				n++
			}
		}
		r.Count = max(n, 1)
	}
	if _, err := rrule.Parse(r.String()); err != nil || r.CheckEnd(start) != nil {
		return r, t(l,
			"Webex n'accepte pas autant de rencontres dans une série (au plus 1 826 par jour, 261 par semaine, 60 par mois ou 5 par année) : donnez une fin plus proche.",
			"Webex doesn't accept that many meetings in a series (at most 1,826 daily, 261 weekly, 60 monthly or 5 yearly): give an earlier end."), false
	}
	return r, "", true
}

// checkSeries says what is wrong with the draft's rule, and then drops it: the summary shows
// one meeting, and the organizer can say the rule again.
func (d *dialogue) checkSeries() {
	start, _, ok := d.times()
	if !ok || d.st.Draft.Recurrence == nil {
		return
	}
	if _, problem, ok := d.rule(start); !ok {
		d.say(problem)
		d.st.Draft.Recurrence = nil
	}
}

// rruleOf is the RRULE of the confirmed draft, "" for one meeting.
func (d *dialogue) rruleOf(start time.Time) string {
	if r, _, ok := d.rule(start); ok {
		return r.String()
	}
	return ""
}

// withSeries adds the rule and its first dates to the summary, after the « Quand » line.
func (d *dialogue) withSeries(start, end time.Time, summary string) string {
	r, _, ok := d.rule(start)
	if !ok {
		return summary
	}
	l := d.lang()
	line := t(l, "- **Répétition** : ", "- **Repeats**: ") + describeRule(l, r, start) +
		"\n" + t(l, "- **Premières dates** : ", "- **First dates**: ") + firstDates(l, r, start)
	when := strings.Index(summary, t(l, "- **Quand** :", "- **When**:"))
	if when < 0 {
		return summary + "\n\n" + line
	}
	cut := strings.Index(summary[when:], "\n")
	if cut < 0 {
		return summary + "\n" + line
	}
	cut += when
	return summary[:cut] + "\n" + line + summary[cut:]
}

// describeSeries says an RRULE in words, "" when rule is empty or unreadable.
func describeSeries(l nlu.Lang, rule string, start time.Time, zone string) string {
	if rule == "" {
		return ""
	}
	r, err := rrule.Parse(rule)
	if err != nil {
		return ""
	}
	loc, _ := location(zone, "UTC")
	return describeRule(l, r, start.In(loc))
}

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

// msgSeriesCreated completes the organizer's confirmation of a series; "" for one meeting.
func msgSeriesCreated(l nlu.Lang, m MeetingDetails) string {
	rule := describeSeries(l, m.Recurrence, m.Start, m.TimeZone)
	if rule == "" {
		return ""
	}
	r, _ := rrule.Parse(m.Recurrence)
	loc, _ := location(m.TimeZone, "UTC")
	name := esc(m.Designate.Name())
	return t(l,
		fmt.Sprintf("C'est une série, créée d'un seul coup dans Webex : %s (premières dates : %s). Avant chaque rencontre, %s recevra un rappel avec la clé organisateur à jour, car elle change après chaque rencontre. Pour annuler une seule date : « annule la rencontre de mardi prochain » ; pour tout annuler : « annule la série ».", rule, firstDates(l, r, m.Start.In(loc)), name),
		fmt.Sprintf("It's a series, created in one go in Webex: %s (first dates: %s). Before each meeting, %s will get a reminder with the current host key, since it changes after each meeting. To cancel one date: \"cancel the meeting next Tuesday\"; to cancel them all: \"cancel the series\".", rule, firstDates(l, r, m.Start.In(loc)), name))
}

// seriesTag completes a meeting's line in a list: « — chaque mardi, 6 fois (prochaine date
// ci-dessus) ».
func seriesTag(l nlu.Lang, m MeetingSummary) string {
	rule := describeSeries(l, m.Recurrence, m.Start, m.TimeZone)
	if rule == "" {
		return ""
	}
	return t(l, " — série : "+rule+" (prochaine date ci-dessus)", " — series: "+rule+" (next date above)")
}

// occurrencesOn lists the occurrences of m on the given day (its own start for one meeting).
func occurrencesOn(m MeetingSummary, y int, mo time.Month, day int) []time.Time {
	loc, _ := location(m.TimeZone, "UTC")
	same := func(t time.Time) bool {
		ty, tm, td := t.In(loc).Date()
		return ty == y && tm == mo && td == day
	}
	if m.Recurrence == "" {
		if same(m.Start) {
			return []time.Time{m.Start}
		}
		return nil
	}
	r, err := rrule.Parse(m.Recurrence)
	if err != nil {
		return nil
	}
	first := m.SeriesStart
	if first.IsZero() {
		first = m.Start
	}
	var out []time.Time
	for _, o := range r.Occurrences(first.In(loc), 2000) {
		if same(o) && !o.Before(m.Start) {
			out = append(out, o)
		}
		if o.In(loc).After(time.Date(y, mo, day+1, 0, 0, 0, 0, loc)) {
			break
		}
	}
	return out
}

// cancelByDayOrSeries narrows a cancellation to the day or the series the organizer named. It
// reports whether it answered.
func (d *dialogue) cancelByDayOrSeries(ms []MeetingSummary) bool {
	l := d.lang()
	switch {
	case d.st.WantedSeries:
		var series []MeetingSummary
		for _, m := range ms {
			if m.Recurrence != "" {
				series = append(series, m)
			}
		}
		switch len(series) {
		case 0:
			d.say(t(l, "Vous n'avez aucune série de rencontres à venir à annuler.", "You have no upcoming series of meetings to cancel."))
			d.reset()
		case 1:
			d.st.WantedDay = nil
			d.picked(series[0])
		default:
			d.st.Meetings, d.st.Stage, d.st.WantedDay = series, StagePicking, nil
			d.say(msgPick(l, PurposeCancel, series, 0))
		}
		return true
	case d.st.WantedDay != nil:
		day := nlu.Resolve(*d.st.WantedDay, nlu.Clock{Hour: 23, Minute: 59}, d.now, d.loc).In(d.loc)
		y, mo, dd := day.Date()
		var hits []MeetingSummary
		for _, m := range ms {
			for _, o := range occurrencesOn(m, y, mo, dd) {
				h := m
				h.Start, h.End = o.UTC(), o.Add(m.End.Sub(m.Start)).UTC() // the state keeps instants in UTC
				h.SeriesStart = h.SeriesStart.UTC()
				hits = append(hits, h)
			}
		}
		switch len(hits) {
		case 0:
			d.st.WantedDay = nil
			d.st.Meetings, d.st.Stage = ms, StagePicking
			d.say(t(l, "Je ne trouve aucune de vos rencontres le "+formatDay(l, day)+".", "I can't find any of your meetings on "+formatDay(l, day)+"."),
				msgPick(l, PurposeCancel, ms, 0))
		case 1:
			d.picked(hits[0])
		default:
			d.st.Meetings, d.st.Stage = hits, StagePicking
			d.say(msgPick(l, PurposeCancel, hits, 0))
		}
		return true
	}
	return false
}

// chooseOccurrence records, when a cancellation was asked for a day, which occurrence of the
// chosen series it is.
func (d *dialogue) chooseOccurrence(m MeetingSummary) {
	d.st.Occurrence = nil
	if d.st.WantedDay != nil && m.Recurrence != "" {
		at := m.Start.UTC()
		d.st.Occurrence = &at
	}
}

// confirmCancelText asks to confirm the cancellation of a meeting, an occurrence or a series.
func (d *dialogue) confirmCancelText(m MeetingSummary) string {
	l := d.lang()
	name := esc(m.Designate.Name())
	rule := describeSeries(l, m.Recurrence, m.Start, m.TimeZone)
	switch {
	case m.Recurrence == "":
		return msgConfirmCancel(l, m)
	case d.st.Occurrence != nil:
		return t(l,
			fmt.Sprintf("Annuler seulement la rencontre « %s » du %s ? Les autres dates de la série sont maintenues, et j'aviserai %s. Répondez « oui » pour l'annuler ou « non » pour la garder.", esc(m.Title), formatRange(l, m.Start, m.End, m.TimeZone), name),
			fmt.Sprintf("Cancel only the meeting \"%s\" on %s? The other dates of the series stay, and I'll tell %s. Answer \"yes\" to cancel it or \"no\" to keep it.", esc(m.Title), formatRange(l, m.Start, m.End, m.TimeZone), name))
	default:
		return t(l,
			fmt.Sprintf("Annuler toute la série « %s » (%s — %s) ? Toutes ses rencontres seront supprimées de Webex et j'en aviserai %s. Pour une seule date, dites par exemple « annule la rencontre de mardi prochain ». Répondez « oui » pour annuler la série ou « non » pour la garder.", esc(m.Title), name, rule, name),
			fmt.Sprintf("Cancel the whole series \"%s\" (%s — %s)? All its meetings will be deleted from Webex and %s will be told. For one date only, say for example \"cancel the meeting next Tuesday\". Answer \"yes\" to cancel the series or \"no\" to keep it.", esc(m.Title), name, rule, name))
	}
}

// cancelEffect cancels the chosen meeting, or only the chosen occurrence of a series.
func (d *dialogue) cancelEffect() Effect {
	e := Effect{Kind: CancelMeeting, Ref: d.st.Chosen.Ref}
	if d.st.Occurrence != nil {
		e.Occurrence = *d.st.Occurrence
	}
	return e
}

// cancelledText tells the organizer what was cancelled.
func (d *dialogue) cancelledText(m MeetingSummary) string {
	l := d.lang()
	switch {
	case d.st.Chosen == nil || d.st.Chosen.Recurrence == "":
		return msgCancelled(l, m)
	case d.st.Occurrence != nil:
		return t(l,
			fmt.Sprintf("La rencontre %s est annulée dans Webex ; les autres dates de la série sont maintenues. J'en ai avisé %s en message privé.", meetingRef(l, m), esc(m.Designate.Name())),
			fmt.Sprintf("The meeting %s is cancelled in Webex; the other dates of the series stay. I told %s in a private message.", meetingRef(l, m), esc(m.Designate.Name())))
	default:
		return t(l,
			fmt.Sprintf("La série « %s » est annulée dans Webex, toutes dates comprises ; j'en ai avisé %s en message privé, et les invités reçoivent l'avis d'annulation par courriel.", esc(m.Title), esc(m.Designate.Name())),
			fmt.Sprintf("The series \"%s\" is cancelled in Webex, every date included; I told %s in a private message, and the invitees get the cancellation by e-mail.", esc(m.Title), esc(m.Designate.Name())))
	}
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
