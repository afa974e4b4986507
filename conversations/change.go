package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// Changing a meeting already handed over: « déplace la rencontre 1 à jeudi 15 h », « change le
// titre de la rencontre 2 pour Bilan », « donne la rencontre 1 à Jean Dupont ». The meeting is
// found like a cancellation's (the numbering of « mes rencontres »), the change is shown as a
// summary, and « oui » has the bot update the meeting in Webex and tell the designate (and, on
// a hand-over, the previous one). The new title, times and designate are kept in Draft, the
// meeting as it is in Chosen.

// Stages of a change.
const (
	StageChangeAsk       Stage = "changeAsk"       // meeting chosen, waiting for what to change
	StageChangeResolving Stage = "changeResolving" // waiting for PeopleFound (the new designate)
	StageChangeChoosing  Stage = "changeChoosing"  // several people found: numbered choice
	StageConfirmChange   Stage = "confirmChange"   // change shown, waiting for « oui »
	StageChanging        Stage = "changing"        // ChangeMeeting emitted
)

// Purposes of a listing that lead to a change.
const (
	PurposeChange   Purpose = "change"
	PurposeHandOver Purpose = "handOver"
)

// ChangeMeeting asks the bot to update the meeting Change.Ref in Webex (the 15-minute rule and
// join before host kept), invite a new designate and remove the previous one, record it, move
// the reminder, and message the designate (and the previous one) → MeetingChanged.
const ChangeMeeting EffectKind = "changeMeeting"

// MeetingChanged answers ChangeMeeting: Meeting is the meeting as it now is; DesignateNotified
// tells whether the designate's updated message was sent.
const MeetingChanged ResultKind = "meetingChanged"

// MeetingChange is a scheduled meeting as it must become.
type MeetingChange struct {
	// Ref is the meeting's MeetingSummary.Ref.
	Ref   string    `json:"ref"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// TimeZone is the meeting's zone; Start and End are in the organizer's.
	TimeZone  string `json:"timeZone"`
	Organizer Person `json:"organizer"`
	// Designate runs the meeting after the change; Previous ran it before (the same person
	// unless the meeting is handed over).
	Designate Person   `json:"designate"`
	Previous  Person   `json:"previous"`
	Lang      nlu.Lang `json:"lang"`
	// IdempotencyKey is the same for every ChangeMeeting of one confirmed change: the bot
	// sends the designate's messages once per key.
	IdempotencyKey string `json:"idempotencyKey"`
}

// HandedOver reports whether the change gives the meeting to someone else.
func (c MeetingChange) HandedOver() bool {
	return !strings.EqualFold(c.Designate.Email, c.Previous.Email)
}

// ChangeState is what a change needs beyond the draft.
type ChangeState struct {
	// Lengthen is a length to add to the meeting (« allonge-la de 30 minutes »), negative to
	// take away; Draft.Duration, when set, wins.
	Lengthen time.Duration `json:"lengthen,omitempty"`
	// Shift moves the meeting by that much (« décale-la d'une heure »); a new day or hour wins.
	Shift time.Duration `json:"shift,omitempty"`
	// Pending is the change of StageChanging, re-emitted unchanged if « oui » is replayed.
	Pending *MeetingChange `json:"pending,omitempty"`
}

func (s Stage) changing() bool {
	switch s {
	case StageChangeAsk, StageChangeResolving, StageChangeChoosing, StageConfirmChange, StageChanging:
		return true
	}
	return false
}

func (p Purpose) changes() bool { return p == PurposeChange || p == PurposeHandOver }

// startChange lists the organizer's meetings to find the one meant; what the message already
// says to change waits in the draft.
func (d *dialogue) startChange() {
	p := PurposeChange
	if d.u.Intent == nlu.IntentHandOver {
		p = PurposeHandOver
	}
	id := d.in.EventID
	if id == "" {
		id = fmt.Sprintf("%s@%d", d.in.Organizer.Email, d.now.UnixNano())
	}
	d.st = State{Stage: StageListing, Lang: d.st.Lang, DialogueID: id, Purpose: p, Wanted: d.u.Number, Change: &ChangeState{}}
	if p == PurposeChange && d.u.Number == 0 {
		// « déplace ma rencontre avec Marie à 15 h »: Marie says which meeting.
		d.st.WantedName, d.u.Designate = d.u.Designate, ""
	}
	d.mergeChange()
	d.emit(Effect{Kind: ListMeetings})
}

// pickedForChange goes on once the meeting to change is known.
func (d *dialogue) pickedForChange(m MeetingSummary) {
	d.st.Chosen = &m
	d.st.Meetings = nil
	d.advanceChange()
}

// mergeChange copies what the message says into the draft, like a correction of a new
// request, plus a length to add; it reports whether anything changed.
func (d *dialogue) mergeChange() bool {
	if d.st.Change == nil {
		d.st.Change = &ChangeState{}
	}
	u := d.u
	changed := d.merge()
	if u.Shift != 0 {
		d.st.Change.Shift = u.Shift
		d.st.Draft.Date, d.st.Draft.Time = nil, nil
		if !changed {
			d.st.Revision++
		}
		changed = true
	} else if u.Date != nil || u.Time != nil {
		d.st.Change.Shift = 0
	}
	switch {
	case u.Lengthen != 0:
		d.st.Change.Lengthen = u.Lengthen
		d.st.Draft.Duration, d.st.Draft.End = 0, nil
		if !changed {
			d.st.Revision++
		}
		changed = true
	case u.Duration != 0 || u.End != nil:
		d.st.Change.Lengthen = 0
	}
	return changed
}

// changeTimes are the meeting's start and end once changed, in the organizer's zone: a new
// day keeps the hour, a new hour keeps the day, and the length stays unless a new one is given.
func (d *dialogue) changeTimes() (start, end time.Time, moved bool) {
	m, dr := d.st.Chosen, d.st.Draft
	start, end = m.Start.In(d.loc), m.End.In(d.loc)
	length := end.Sub(start)
	if d.st.Change != nil && d.st.Change.Shift != 0 {
		start = start.Add(d.st.Change.Shift)
	}
	if dr.Date != nil || dr.Time != nil {
		c := nlu.Clock{Hour: start.Hour(), Minute: start.Minute()}
		if dr.Time != nil {
			c = *dr.Time
		}
		if dr.Date != nil {
			start = nlu.Resolve(*dr.Date, c, d.now, d.loc).In(d.loc)
		} else {
			y, mo, day := start.Date()
			start = time.Date(y, mo, day, c.Hour, c.Minute, 0, 0, d.loc)
		}
	}
	switch {
	case dr.End != nil:
		y, mo, day := start.Date()
		end = time.Date(y, mo, day, dr.End.Hour, dr.End.Minute, 0, 0, d.loc)
	case dr.Duration != 0:
		end = start.Add(dr.Duration)
	case d.st.Change != nil && d.st.Change.Lengthen != 0:
		end = start.Add(length + d.st.Change.Lengthen)
	default:
		end = start.Add(length)
	}
	return start, end, !start.Equal(m.Start) || !end.Equal(m.End)
}

// clearTimes forgets the new times asked for: the meeting keeps its own.
func (d *dialogue) clearTimes() {
	dr := &d.st.Draft
	dr.Date, dr.Time, dr.End, dr.Duration, dr.NeedDay = nil, nil, nil, 0, false
	if d.st.Change != nil {
		d.st.Change.Lengthen, d.st.Change.Shift = 0, 0
	}
}

// advanceChange checks the change, then asks what is missing or shows it as a summary.
func (d *dialogue) advanceChange() {
	l, dr, m := d.lang(), &d.st.Draft, d.st.Chosen
	if m == nil {
		d.reset()
		d.say(msgHint(l))
		return
	}
	if d.st.Change == nil {
		d.st.Change = &ChangeState{}
	}
	if !m.Start.After(d.now) {
		d.reset()
		d.say(msgAlreadyStarted(l, *m))
		return
	}
	if d.badDate {
		d.badDate = false
		dr.NeedDay = false
		d.say(msgBadDate(l))
	}
	if n := runeLen(dr.Title); n > d.cfg.MaxTitle {
		d.say(msgTitleTooLong(l, n, d.cfg.MaxTitle))
		dr.Title = ""
	}
	if dr.Designate == nil && dr.Query != "" {
		d.st.Stage = StageChangeResolving
		d.emit(Effect{Kind: ResolvePerson, Query: dr.Query})
		return
	}
	if p := dr.Designate; p != nil {
		switch {
		case strings.EqualFold(p.Email, d.in.Organizer.Email):
			d.say(msgForSelf(l))
			dr.Designate, dr.Query = nil, ""
		case strings.EqualFold(p.Email, m.Designate.Email):
			d.say(msgAlreadyTheirs(l, *m))
			dr.Designate, dr.Query = nil, ""
		}
	}
	start, end, moved := d.changeTimes()
	if moved && m.Recurrence != "" {
		// A series keeps its dates: moving them all (or one) is not done here; say so, and
		// go on only with what else was asked (a title, another designate).
		d.say(msgSeriesTimesKept(l, *m))
		d.clearTimes()
		start, end, moved = d.changeTimes()
		if (dr.Title == "" || dr.Title == m.Title) && dr.Designate == nil && d.st.Purpose != PurposeHandOver {
			d.reset()
			return
		}
	}
	if moved {
		if problem := checkTimes(start, end, d.now, d.cfg); problem != nil {
			d.say(msgTimeProblem(l, *problem, d.now, d.cfg))
			switch problem.Kind {
			case ProblemPastDay, ProblemPast, ProblemTooSoon:
				dr.Date, dr.Time, dr.End = nil, nil, nil // the new length, if any, stays
				d.st.Change.Shift = 0
			default:
				dr.End, dr.Duration, d.st.Change.Lengthen = nil, 0, 0
			}
			start, end, moved = d.changeTimes()
			if moved && checkTimes(start, end, d.now, d.cfg) != nil {
				d.clearTimes()
				start, end, moved = d.changeTimes()
			}
		}
	}
	if dr.Title == m.Title {
		dr.Title = ""
	}
	handed := dr.Designate != nil
	if (d.st.Purpose == PurposeHandOver && !handed) || (!moved && dr.Title == "" && !handed) {
		d.st.Stage = StageChangeAsk
		d.say(msgWhatChange(l, d.st.Purpose, *m))
		return
	}
	if moved {
		// The summary shows a day and an hour: freeze them, so that « oui » said later does
		// exactly what was shown.
		y, mo, day := start.Date()
		c := nlu.Clock{Hour: start.Hour(), Minute: start.Minute()}
		dr.Date, dr.Time, dr.End, dr.Duration = &nlu.DateSpec{Year: y, Month: mo, Day: day}, &c, nil, end.Sub(start)
		d.st.Change.Lengthen, d.st.Change.Shift = 0, 0
	}
	d.st.Stage = StageConfirmChange
	d.say(msgChangeSummary(l, *m, d.changed(start, end)))
}

// changed is the meeting as the change makes it.
func (d *dialogue) changed(start, end time.Time) MeetingSummary {
	m := *d.st.Chosen
	after := MeetingSummary{Ref: m.Ref, Title: m.Title, Start: start, End: end, TimeZone: m.TimeZone, Designate: m.Designate}
	if after.TimeZone == "" {
		after.TimeZone = d.zone
	}
	if t := d.st.Draft.Title; t != "" {
		after.Title = t
	}
	if p := d.st.Draft.Designate; p != nil {
		after.Designate = *p
		// « Rencontre pour Jean Dupont » handed over to Bob is « Rencontre pour Bob Smith ».
		for _, l := range []nlu.Lang{nlu.French, nlu.English} {
			if d.st.Draft.Title == "" && m.Title == truncateRunes(defaultTitle(l, m.Designate.Name()), d.cfg.MaxTitle) {
				after.Title = truncateRunes(defaultTitle(l, p.Name()), d.cfg.MaxTitle)
			}
		}
	}
	return after
}

// askChange repeats the question of the change's current stage.
func (d *dialogue) askChange() {
	l := d.lang()
	switch d.st.Stage {
	case StageChangeChoosing:
		if len(d.st.Candidates) > 0 {
			d.say(msgChoose(l, d.st.Draft.Query, d.st.Candidates))
			return
		}
		d.advanceChange()
	case StageChangeAsk:
		if d.st.Chosen != nil {
			d.say(msgWhatChange(l, d.st.Purpose, *d.st.Chosen))
		}
	case StageConfirmChange:
		d.advanceChange() // re-checks the times, which may have gone by
	default:
		d.say(msgWorking(l))
	}
}

// onChanging handles a message while a change is being described.
func (d *dialogue) onChanging(text string) {
	u, l := d.u, d.lang()
	if d.st.Chosen == nil || d.st.Change == nil {
		// A state no change can come from (stored by another version, say): start afresh.
		d.reset()
		d.onIdle(text, false)
		return
	}
	if u.Intent == nlu.IntentAbort {
		d.reset()
		d.say(msgChangeDropped(l))
		return
	}
	switch d.st.Stage {
	case StageChanging:
		if u.Intent == nlu.IntentConfirm && d.st.Change != nil && d.st.Change.Pending != nil {
			req := *d.st.Change.Pending
			req.Start, req.End = req.Start.In(d.loc), req.End.In(d.loc)
			d.emit(Effect{Kind: ChangeMeeting, Change: &req})
		}
		d.say(msgWorking(l))
		return
	case StageChangeResolving:
		d.say(msgWorking(l))
		return
	}
	switch u.Intent {
	case nlu.IntentList, nlu.IntentCancel, nlu.IntentResend:
		d.reset()
		d.onIdle(text, false)
		return
	case nlu.IntentSchedule, nlu.IntentChange, nlu.IntentHandOver:
		if u.Number > 0 || (u.Intent == nlu.IntentSchedule && u.Designate != "") {
			// « programme une rencontre pour Marie… », « déplace la rencontre 2… »: a new request.
			d.reset()
			d.onIdle(text, false)
			return
		}
	case nlu.IntentHelp:
		d.say(msgHelp(l))
		d.askChange()
		return
	}
	if d.st.Stage == StageChangeChoosing {
		if p, ok := d.choose(text); ok {
			d.st.Draft.Designate = &p
			d.st.Candidates = nil
			d.st.Revision++
			d.advanceChange()
			return
		}
	}
	if d.st.Stage == StageChangeAsk && d.st.Draft.Designate == nil && u.Designate == "" && len(d.in.Mentions) == 0 &&
		!hasMeetingSlots(u) && !u.ForSelf && !u.BadTime && u.Intent != nlu.IntentConfirm && u.Intent != nlu.IntentDeny {
		// « À qui la confier ? » — « jean.dupont@exemple.ca », « Jean ».
		if e := findEmail(text); e != "" {
			d.u.Designate = e
		} else if d.st.Purpose == PurposeHandOver && looksLikeName(text) {
			d.u.Designate = strings.Trim(text, " .!?«»\"'")
		}
	}
	before, shift, lengthen := d.st.Draft, d.st.Change.Shift, d.st.Change.Lengthen
	if d.mergeChange() {
		if d.st.Stage == StageConfirmChange {
			d.keepShownChange(before, shift, lengthen)
		}
		d.advanceChange()
		return
	}
	switch {
	case d.st.Stage == StageConfirmChange && u.Intent == nlu.IntentConfirm:
		d.confirmChange()
	case d.st.Stage == StageConfirmChange && u.Intent == nlu.IntentDeny:
		d.say(msgWhatElse(l))
	default:
		if d.st.Stage == StageChangeChoosing && d.offList(text, len(d.st.Candidates)) {
			// « 3 » when two people are listed: said so (choices.go)
		} else if !d.plain {
			d.say(msgNotUnderstood(l))
		}
		d.askChange()
	}
}

// keepShownChange answers a correction of a change shown that cannot be right (« hier à 10 h »)
// by saying why and keeping the change as shown, instead of forgetting it.
func (d *dialogue) keepShownChange(before Draft, shift, lengthen time.Duration) {
	if d.st.Chosen.Recurrence != "" {
		return // a series keeps its dates anyway (advanceChange says so)
	}
	if start, end, moved := d.changeTimes(); moved && d.refuseTimes(start, end, before) {
		d.st.Change.Shift, d.st.Change.Lengthen = shift, lengthen
	}
}

// confirmChange emits ChangeMeeting for the change shown.
func (d *dialogue) confirmChange() {
	m := d.st.Chosen
	start, end, moved := d.changeTimes()
	if moved && checkTimes(start, end, d.now, d.cfg) != nil {
		d.advanceChange() // time went by since the summary
		return
	}
	after := d.changed(start, end)
	req := MeetingChange{
		Ref: m.Ref, Title: after.Title, Start: start, End: end, TimeZone: after.TimeZone,
		Organizer: d.in.Organizer, Designate: after.Designate, Previous: m.Designate, Lang: d.lang(),
		IdempotencyKey: fmt.Sprintf("%s#change%d", d.st.DialogueID, d.st.Revision),
	}
	stored := req
	stored.Start, stored.End = start.UTC(), end.UTC()
	d.st.Change.Pending = &stored
	d.st.Stage = StageChanging
	d.emit(Effect{Kind: ChangeMeeting, Change: &req})
}

// onChangePeople takes the directory's answer about the new designate.
func (d *dialogue) onChangePeople(r Result) {
	l, dr := d.lang(), &d.st.Draft
	q := dr.Query
	people := r.People
	isEmail := findEmail(q) == q
	if isEmail {
		people = exactEmail(people, q)
	}
	switch {
	case r.Err != nil && r.Err.Kind == FailureNotAllowed:
		d.say(msgOutsider(l, q))
		dr.Query, dr.Designate = "", nil
		d.st.Stage = StageChangeAsk
	case len(people) == 1 && r.Err == nil:
		p := people[0]
		dr.Designate = &p
		d.advanceChange()
	case len(people) > 1 && r.Err == nil:
		d.st.Candidates = people[:min(len(people), 9)]
		d.st.Stage = StageChangeChoosing
		d.askChange()
	case isEmail:
		dr.Designate = &Person{Email: q}
		d.advanceChange()
	default:
		if r.Err != nil {
			d.say(msgLookupFailed(l))
		} else {
			d.say(msgNobody(l, q))
		}
		d.say(msgAskEmail(l, q))
		dr.Query = ""
		d.st.Stage = StageChangeAsk
	}
}

// exactEmail keeps the directory's entry for an address, if any: an address names one person.
func exactEmail(people []Person, email string) []Person {
	for _, p := range people {
		if strings.EqualFold(p.Email, email) {
			return []Person{p}
		}
	}
	return nil
}

// onChanged reports the change done, or why it failed.
func (d *dialogue) onChanged(r Result) {
	if d.st.Stage != StageChanging || d.st.Chosen == nil || d.st.Change == nil {
		return
	}
	l := d.lang()
	if p := d.st.Change.Pending; p != nil {
		l = p.Lang
	}
	before := *d.st.Chosen
	if r.Err == nil && r.Meeting != nil {
		d.say(msgChanged(l, before, *r.Meeting, r.DesignateNotified))
		d.reset()
		return
	}
	f := Failure{Kind: FailureOther}
	if r.Err != nil {
		f = *r.Err
	}
	d.say(msgChangeFailed(l, f))
	d.st.Change.Pending = nil
	switch f.Kind {
	case FailureTooSoon:
		d.clearTimes()
		d.st.Revision++
		d.st.Stage = StageChangeAsk
		d.askChange()
	case FailureNotAllowed:
		d.st.Draft.Designate, d.st.Draft.Query = nil, ""
		d.st.Revision++
		d.st.Stage = StageChangeAsk
		d.askChange()
	case FailureNotFound, FailureCredential, FailureAccount:
		d.reset()
	default:
		d.st.Stage = StageConfirmChange // « oui » tries the same change again
	}
}

// sayPlainly answers at once what cannot be right in a message — an hour that does not exist,
// the organizer as the designate — so that it is never looked up as a name or asked again in
// silence. It reports whether it said anything.
func (d *dialogue) sayPlainly() bool {
	u, l := d.u, d.lang()
	said := false
	if u.BadTime {
		d.say(msgBadTime(l))
		said = true
	}
	if u.ForSelf && u.Designate == "" && len(d.in.Mentions) == 0 {
		d.say(msgForSelf(l))
		said = true
	}
	return said
}

// relativeToDraft reads « allonge-la de 30 minutes » and « décale-la d'une heure » said about
// the meeting being described: a new length, or a new start with the same length.
func (d *dialogue) relativeToDraft() {
	u := &d.u
	if u.Lengthen == 0 && u.Shift == 0 {
		return
	}
	start, end, ok := d.times()
	if !ok {
		return
	}
	if u.Lengthen != 0 && u.Duration == 0 && u.End == nil {
		u.Duration = end.Sub(start) + u.Lengthen
	}
	if u.Shift != 0 && u.Date == nil && u.Time == nil {
		s := start.Add(u.Shift)
		y, mo, day := s.Date()
		u.Date, u.Time = &nlu.DateSpec{Year: y, Month: mo, Day: day}, &nlu.Clock{Hour: s.Hour(), Minute: s.Minute()}
		if u.Duration == 0 && u.End == nil {
			u.Duration = end.Sub(start)
		}
	}
}
