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
	if r != nil && r.MonthDay > 0 && len(r.Days) == 0 {
		// « chaque 15 du mois à partir du 1er janvier »: the first 15th from then (a month
		// without that day is skipped, as Webex does).
		y, m, _ := start.Date()
		h, mi, _ := start.Clock()
		for k := 0; k <= 12; k++ {
			t := time.Date(y, m+time.Month(k), r.MonthDay, h, mi, 0, 0, d.loc)
			if t.Day() == r.MonthDay && !t.Before(start) {
				return t
			}
		}
		return start
	}
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
			r.ByMonthDay = start.Day() // firstOccurrence put start on rec.MonthDay, if any
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
		// The summary that follows is of one meeting: say so, or « oui » said in a hurry
		// creates one meeting where a series was asked for.
		l := d.lang()
		d.say(problem + t(l,
			" Voici donc une seule rencontre ; pour une série, redites comment elle se répète avec une autre fin (ex. : « chaque lundi, 4 fois »).",
			" So here is a single meeting; for a series, say again how it repeats with another end (e.g. \"every Monday, 4 times\")."))
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
func (d *dialogue) withSeries(start time.Time, summary string) string {
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
