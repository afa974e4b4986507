package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// onScheduling handles a message while a meeting is being described.
func (d *dialogue) onScheduling(text string) {
	u := d.u
	switch u.Intent {
	case nlu.IntentAbort:
		d.abandon()
		return
	case nlu.IntentCancel:
		if u.Number == 0 { // « annule ça » in the middle of a request abandons it
			d.abandon()
			return
		}
		d.say(msgFinishFirst(d.lang()))
		d.ask()
		return
	case nlu.IntentHelp:
		d.say(msgHelp(d.lang()))
		d.ask()
		return
	case nlu.IntentList, nlu.IntentResend:
		d.say(msgFinishFirst(d.lang()))
		d.ask()
		return
	case nlu.IntentChange, nlu.IntentHandOver:
		if u.Number > 0 { // « déplace la rencontre 2 »; « déplace-la à 11 h » is a correction
			d.say(msgFinishFirst(d.lang()))
			d.ask()
			return
		}
	}
	if d.st.Stage == StageCreating {
		d.onCreating()
		return
	}
	if text == "" && len(d.in.Mentions) == 0 {
		d.ask()
		return
	}

	// Answers that only make sense for the question asked.
	switch d.st.Stage {
	case StageChoosing:
		if p, ok := d.choose(text); ok {
			d.st.Draft.Designate = &p
			d.st.Candidates = nil
			d.st.Revision++
			d.advance()
			return
		}
	case StageAskEmail:
		if e := findEmail(text); e != "" && u.Designate == "" {
			d.u.Designate = e
		}
	case StageAskWho:
		if u.Designate == "" && len(d.in.Mentions) == 0 && !hasMeetingSlots(u) && u.Intent != nlu.IntentConfirm &&
			u.Intent != nlu.IntentDeny && !u.ForSelf && !u.BadTime && looksLikeName(text) {
			d.u.Designate = strings.Trim(text, " .!?«»\"'")
		}
	case StageAskTime:
		if u.Time == nil && u.Number >= 0 && u.Number <= 23 && isNumber(text) {
			d.u.Time = &nlu.Clock{Hour: u.Number}
		}
	case StageAskDuration:
		if u.Duration == 0 && u.End == nil && u.Time == nil && u.Number > 0 && isNumber(text) {
			d.u.Duration = time.Duration(u.Number) * time.Minute // « 45 » means minutes
		}
	case StageAskTitle:
		// A lone capitalized word (« Bilan ») reads like a name to the parser; as the answer
		// to « Quel titre ? » it is the title, and the designate stays.
		answer := strings.Trim(text, " «»\"'“”")
		bareName := u.Designate != "" && strings.EqualFold(strings.Trim(answer, " .!?"), u.Designate)
		if u.Title == "" && !hasMeetingSlots(u) && (u.Designate == "" || bareName) && u.Intent != nlu.IntentConfirm &&
			u.Intent != nlu.IntentDeny {
			d.u.Title, d.u.Designate = answer, ""
		}
	}

	d.relativeToDraft() // « allonge-la de 30 minutes », « décale-la d'une heure »
	before := d.st.Draft
	if d.merge() {
		if d.st.Stage == StageConfirm {
			d.keepShownTimes(before)
		}
		d.advance()
		return
	}
	switch {
	case d.st.Stage == StageConfirm && u.Intent == nlu.IntentConfirm:
		d.create()
	case d.st.Stage == StageConfirm && u.Intent == nlu.IntentDeny:
		d.say(msgWhatToChange(d.lang()))
	case d.st.Stage == StageConfirm && u.Intent == nlu.IntentSchedule:
		d.advance() // « programme-la » → the summary again
	default:
		if d.st.Stage == StageChoosing && d.offList(text, len(d.st.Candidates)) {
			// « 99 » when two people are listed: said so (choices.go)
		} else if !d.plain {
			d.say(msgNotUnderstood(d.lang()))
		}
		d.ask()
	}
}

func (d *dialogue) abandon() {
	d.reset()
	d.say(msgAbandoned(d.lang()))
}

// onCreating answers while the meeting is being created. A replayed « oui » re-emits the very
// same request: its idempotency key keeps the bot from creating a second meeting.
func (d *dialogue) onCreating() {
	if d.u.Intent == nlu.IntentConfirm && d.st.Pending != nil {
		req := *d.st.Pending
		req.Start, req.End = req.Start.In(d.loc), req.End.In(d.loc)
		d.emit(Effect{Kind: CreateMeeting, Meeting: &req})
	}
	d.say(msgCreating(d.lang()))
}

func hasMeetingSlots(u nlu.Understanding) bool {
	return u.Date != nil || u.Time != nil || u.End != nil || u.Duration != 0 || u.Title != ""
}

// merge copies what the message said into the draft; it reports whether anything changed.
func (d *dialogue) merge() bool {
	u, dr := d.u, &d.st.Draft
	changed := false
	if len(d.in.Mentions) > 0 {
		p := d.in.Mentions[0]
		if dr.Designate == nil || !strings.EqualFold(dr.Designate.Email, p.Email) {
			dr.Designate, dr.Query = &p, p.Name()
			d.st.Candidates = nil
			changed = true
		}
	} else if q := strings.TrimSpace(nlu.TrimRecurrence(u.Designate)); q != "" && !d.isCurrentDesignate(q) {
		dr.Query, dr.Designate = q, nil
		d.st.Candidates = nil
		changed = true
	}
	if t := strings.TrimSpace(u.Title); t != "" && t != dr.Title {
		dr.Title = t
		changed = true
	}
	if u.Date != nil {
		day := *u.Date
		dr.Date, dr.NeedDay = &day, false
		changed = true
	} else if u.BadDate {
		dr.Date, dr.NeedDay = nil, true
		d.badDate = true
		changed = true
	}
	if u.Time != nil {
		if dr.End != nil && dr.Time != nil && u.End == nil && u.Duration == 0 {
			// « plutôt à 15 h » after « de 13 h à 14 h 30 » keeps the length.
			dr.Duration = clockDiff(*dr.Time, *dr.End)
			dr.End = nil
		}
		c := *u.Time
		dr.Time = &c
		changed = true
	}
	if u.End != nil {
		c := *u.End
		dr.End, dr.Duration = &c, 0
		changed = true
	}
	if u.Duration != 0 {
		dr.Duration, dr.End = u.Duration, nil
		changed = true
	}
	changed = d.mergeRecurrence() || changed
	if u.Date != nil && u.Recurrence == nil && d.st.Stage == StageConfirm {
		d.followDay() // « plutôt jeudi » at the summary of « chaque mardi »
	}
	if changed {
		d.st.Revision++
	}
	return changed
}

func (d *dialogue) isCurrentDesignate(q string) bool {
	dr := d.st.Draft
	if strings.EqualFold(q, dr.Query) {
		return true
	}
	if p := dr.Designate; p != nil {
		return strings.EqualFold(q, p.Email) || strings.EqualFold(q, p.Name())
	}
	return false
}

// clockDiff is the length from a to b on one day (b after a), or 0.
func clockDiff(a, b nlu.Clock) time.Duration {
	m := (b.Hour*60 + b.Minute) - (a.Hour*60 + a.Minute)
	if m <= 0 {
		return 0
	}
	return time.Duration(m) * time.Minute
}

// times resolves the draft's start and end in the organizer's zone. ok is false while the
// start is not known.
func (d *dialogue) times() (start, end time.Time, ok bool) {
	dr := d.st.Draft
	if dr.Time == nil || dr.NeedDay {
		return time.Time{}, time.Time{}, false
	}
	c := *dr.Time
	if dr.Date == nil {
		// A time alone is its next occurrence: today if still ahead, else tomorrow.
		y, m, day := d.now.Date()
		start = time.Date(y, m, day, c.Hour, c.Minute, 0, 0, d.loc)
		if !start.After(d.now) {
			start = time.Date(y, m, day+1, c.Hour, c.Minute, 0, 0, d.loc)
		}
	} else {
		start = nlu.Resolve(*dr.Date, c, d.now, d.loc).In(d.loc)
	}
	start = d.firstOccurrence(start) // a series starts on a day of its rule
	switch {
	case dr.End != nil:
		y, m, day := start.Date()
		end = time.Date(y, m, day, dr.End.Hour, dr.End.Minute, 0, 0, d.loc)
	case dr.Duration != 0:
		end = start.Add(dr.Duration)
	default:
		end = start.Add(d.cfg.DefaultDuration)
	}
	return start, end, true
}

// advance validates what is known, then asks the next missing thing or shows the summary.
func (d *dialogue) advance() {
	dr := &d.st.Draft
	l := d.lang()
	if d.badDate {
		d.badDate = false
		d.say(msgBadDate(l))
	}
	if n := runeLen(dr.Title); n > d.cfg.MaxTitle {
		d.say(msgTitleTooLong(l, n, d.cfg.MaxTitle))
		dr.Title = ""
		d.st.Stage = StageAskTitle
		d.ask()
		return
	}
	if start, end, ok := d.times(); ok {
		if problem := checkTimes(start, end, d.now, d.cfg); problem != nil {
			d.say(msgTimeProblem(l, *problem, d.now, d.cfg))
			switch problem.Kind {
			case ProblemPastDay:
				dr.Date, dr.Time, dr.End = nil, nil, nil
				d.st.Stage = StageAskWhen
			case ProblemPast, ProblemTooSoon:
				dr.Time, dr.End = nil, nil
				d.st.Stage = StageAskTime
			default:
				dr.End, dr.Duration = nil, 0
				d.st.Stage = StageAskDuration
			}
			d.ask()
			return
		}
	}
	if p := dr.Designate; p != nil && strings.EqualFold(p.Email, d.in.Organizer.Email) {
		d.say(msgForSelf(l)) // « en fait pour alex.martin@… »: the organizer is the host already
		dr.Designate, dr.Query = nil, ""
	}
	if dr.Designate == nil {
		if dr.Query == "" {
			d.st.Stage = StageAskWho
			d.ask()
			return
		}
		d.st.Stage = StageResolving
		d.emit(Effect{Kind: ResolvePerson, Query: dr.Query})
		return
	}
	if (dr.Date == nil && dr.Time == nil) || dr.NeedDay {
		d.st.Stage = StageAskWhen
		d.ask()
		return
	}
	if dr.Time == nil {
		d.st.Stage = StageAskTime
		d.ask()
		return
	}
	d.checkSeries()
	// The summary shows a day: freeze it, so that « oui » said later (or after midnight)
	// creates exactly what was shown, never the next occurrence of « 14 h » or « jeudi ».
	if start, _, ok := d.times(); ok {
		y, m, day := start.In(d.loc).Date()
		dr.Date = &nlu.DateSpec{Year: y, Month: m, Day: day}
	}
	d.st.Stage = StageConfirm
	d.say(d.summary())
}

// keepShownTimes answers a correction at the summary that cannot be right (« hier à 10 h »,
// « dans 5 minutes ») by saying why and keeping the day and hours the summary showed, instead
// of forgetting them and asking again.
func (d *dialogue) keepShownTimes(before Draft) {
	if start, end, ok := d.times(); ok {
		d.refuseTimes(start, end, before)
	}
}

// refuseTimes says what is wrong with start and end, if anything, and then puts back the times
// of before; it reports whether it did.
func (d *dialogue) refuseTimes(start, end time.Time, before Draft) bool {
	problem := checkTimes(start, end, d.now, d.cfg)
	if problem == nil {
		return false
	}
	dr := &d.st.Draft
	d.say(msgTimeProblem(d.lang(), *problem, d.now, d.cfg))
	dr.Date, dr.Time, dr.End, dr.Duration, dr.NeedDay = before.Date, before.Time, before.End, before.Duration, before.NeedDay
	return true
}

// ask repeats the question of the current stage.
func (d *dialogue) ask() {
	l := d.lang()
	switch d.st.Stage {
	case StageAskWho:
		d.say(msgAskWho(l))
	case StageChoosing:
		if len(d.st.Candidates) == 0 {
			d.advance()
			return
		}
		d.say(msgChoose(l, d.st.Draft.Query, d.st.Candidates))
	case StageAskEmail:
		d.say(msgAskEmail(l, d.st.Draft.Query))
	case StageAskWhen:
		d.say(msgAskWhen(l, d.designateName()))
	case StageAskTime:
		d.say(msgAskTime(l, d.dayText()))
	case StageAskDuration:
		d.say(msgAskDuration(l))
	case StageAskTitle:
		d.say(msgAskTitle(l, d.cfg.MaxTitle))
	case StageConfirm:
		d.advance() // re-checks the times, which may have gone by
	case StageResolving, StageCreating:
		d.say(msgWorking(l))
	}
}

func (d *dialogue) designateName() string {
	if p := d.st.Draft.Designate; p != nil {
		return p.Name()
	}
	return d.st.Draft.Query
}

// dayText is the known day, for « À quelle heure, mardi 23 juin ? ».
func (d *dialogue) dayText() string {
	dr := d.st.Draft
	if dr.Date == nil {
		return ""
	}
	// Resolve at noon to name the day; the weekday rules only matter for the hour.
	t := nlu.Resolve(*dr.Date, nlu.Clock{Hour: 23, Minute: 59}, d.now, d.loc).In(d.loc)
	return formatDay(d.lang(), t)
}

func (d *dialogue) title() (string, bool) {
	if t := d.st.Draft.Title; t != "" {
		return t, false
	}
	return truncateRunes(defaultTitle(d.lang(), d.designateName()), d.cfg.MaxTitle), true
}

func (d *dialogue) summary() string {
	start, end, _ := d.times()
	title, defTitle := d.title()
	defDur := d.st.Draft.End == nil && d.st.Draft.Duration == 0
	return d.withSeries(start, msgSummary(d.lang(), *d.st.Draft.Designate, title, defTitle, formatRange(d.lang(), start, end, d.zone), defDur, d.cfg.DefaultDuration))
}

// create emits CreateMeeting for the confirmed summary.
func (d *dialogue) create() {
	start, end, ok := d.times()
	if !ok || d.st.Draft.Designate == nil {
		d.advance()
		return
	}
	if problem := checkTimes(start, end, d.now, d.cfg); problem != nil {
		d.advance() // time went by since the summary
		return
	}
	title, _ := d.title()
	req := MeetingRequest{
		Title:          title,
		Start:          start,
		End:            end,
		TimeZone:       d.zone,
		Organizer:      d.in.Organizer,
		Designate:      *d.st.Draft.Designate,
		Lang:           d.lang(),
		IdempotencyKey: fmt.Sprintf("%s#%d", d.st.DialogueID, d.st.Revision),
		Recurrence:     d.rruleOf(start),
	}
	stored := req
	stored.Start, stored.End = start.UTC(), end.UTC() // the state keeps instants in UTC
	d.st.Pending = &stored
	d.st.Stage = StageCreating
	// No « I'm creating it » message: the bot answers with the result in the same turn.
	d.emit(Effect{Kind: CreateMeeting, Meeting: &req})
}

// choose reads an answer to the numbered choice of people: a number, a name or an e-mail.
func (d *dialogue) choose(text string) (Person, bool) {
	c := d.st.Candidates
	n := d.u.Number
	if v, err := parseNumber(text); err == nil {
		n = v
	}
	if n >= 1 && n <= len(c) {
		return c[n-1], true
	}
	q := fold(strings.Trim(text, " .!?«»\"'"))
	if d.u.Designate != "" {
		q = fold(d.u.Designate)
	}
	if q == "" {
		return Person{}, false
	}
	if e := findEmail(text); e != "" {
		for _, p := range c {
			if strings.EqualFold(p.Email, e) {
				return p, true
			}
		}
		return Person{}, false
	}
	var hits []Person
	for _, p := range c {
		if fold(p.Name()) == q || fold(p.FirstName+" "+p.LastName) == q {
			return p, true
		}
		if strings.Contains(fold(p.Name()), q) || strings.Contains(fold(p.Email), q) {
			hits = append(hits, p)
		}
	}
	if len(hits) == 1 {
		return hits[0], true
	}
	return Person{}, false
}

func isNumber(text string) bool {
	_, err := parseNumber(text)
	return err == nil
}

// looksLikeName accepts a short answer made of letters, as a name.
func looksLikeName(text string) bool {
	f := strings.Fields(text)
	if len(f) == 0 || len(f) > 5 {
		return false
	}
	for _, r := range text {
		if r >= '0' && r <= '9' {
			return false
		}
	}
	return true
}

// findEmail returns the first e-mail address in text, or "".
func findEmail(text string) string {
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, " .,;:!?()<>[]«»\"'")
		w = strings.TrimPrefix(w, "mailto:")
		at := strings.Index(w, "@")
		if at > 0 && at < len(w)-1 && strings.Contains(w[at+1:], ".") && !strings.ContainsAny(w, " /\\") &&
			strings.Count(w, "@") == 1 {
			return w
		}
	}
	return ""
}

func defaultTitle(l nlu.Lang, name string) string {
	if l == nlu.English {
		return "Meeting for " + name
	}
	return "Rencontre pour " + name
}
