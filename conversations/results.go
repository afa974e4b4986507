package conversations

import (
	"strings"

	"github.com/relaisbot/relais/conversations/nlu"
)

// onResult handles what the bot reports after executing an effect.
func (d *dialogue) onResult(r Result) {
	switch r.Kind {
	case PeopleFound:
		if d.st.Stage == StageResolving {
			d.onPeople(r)
		} else if d.st.Stage == StageChangeResolving {
			d.onChangePeople(r)
		}
	case MeetingChanged:
		d.onChanged(r)
	case MeetingCreated:
		d.onCreated(r)
	case MeetingFailed:
		d.onCreateFailed(r)
	case MeetingsListed:
		if d.st.Stage == StageListing {
			d.onListed(r)
		}
	case MeetingCancelled, HostKeyResent:
		d.onCommandDone(r)
	default:
		d.onAccountResult(r) // account.go
	}
}

func (d *dialogue) onPeople(r Result) {
	l, dr := d.lang(), &d.st.Draft
	isEmail := findEmail(dr.Query) == dr.Query
	people := r.People
	if isEmail {
		// An address names one person: the directory's entry for it, else the address as is.
		var exact []Person
		for _, p := range people {
			if strings.EqualFold(p.Email, dr.Query) {
				exact = []Person{p}
				break
			}
		}
		people = exact
	}
	switch {
	case len(people) == 1 && r.Err == nil:
		p := people[0]
		dr.Designate = &p
		d.advance()
	case len(people) > 1 && r.Err == nil:
		if len(people) > 9 {
			people = people[:9]
		}
		d.st.Candidates = people
		d.st.Stage = StageChoosing
		d.ask()
	case r.Err != nil && r.Err.Kind == FailureNotAllowed:
		// Someone outside the organization must never receive a host key.
		d.say(msgOutsider(l, dr.Query))
		dr.Query, dr.Designate = "", nil
		d.st.Stage = StageAskWho
	case isEmail:
		// Nobody known under this address (or no directory): the address is taken as is.
		dr.Designate = &Person{Email: dr.Query}
		d.advance()
	case r.Err != nil:
		d.st.Stage = StageAskEmail
		d.say(msgLookupFailed(l), msgAskEmail(l, dr.Query))
	default:
		d.st.Stage = StageAskEmail
		d.say(msgNobody(l, dr.Query), msgAskEmail(l, dr.Query))
	}
}

func (d *dialogue) onCreated(r Result) {
	l := d.lang()
	if d.st.Pending != nil {
		l = d.st.Pending.Lang
	}
	if r.Meeting != nil {
		d.say(msgCreated(l, *r.Meeting, d.in.Group, r.DesignateNotified), msgSeriesCreated(l, *r.Meeting, d.in.Group))
	}
	if d.st.Stage == StageCreating {
		d.reset()
	}
}

func (d *dialogue) onCreateFailed(r Result) {
	if d.st.Stage != StageCreating {
		return
	}
	f := Failure{Kind: FailureOther}
	if r.Err != nil {
		f = *r.Err
	}
	l := d.lang()
	d.say(msgMeetingFailed(l, f))
	d.st.Pending = nil
	switch f.Kind {
	case FailureTooSoon:
		d.st.Draft.Time, d.st.Draft.End = nil, nil
		d.st.Revision++
		d.st.Stage = StageAskTime
		d.ask()
	case FailureNotAllowed:
		d.st.Draft.Designate, d.st.Draft.Query = nil, ""
		d.st.Revision++
		d.st.Stage = StageAskWho
		d.ask()
	default:
		// « oui » retries the same request, with the same idempotency key.
		d.st.Stage = StageConfirm
	}
}

func (d *dialogue) startListing(p Purpose, wanted int) {
	d.st = State{Stage: StageListing, Lang: d.st.Lang, DialogueID: d.in.EventID, Purpose: p, Wanted: wanted}
	if p != PurposeList {
		d.st.WantedName = d.u.Designate
	}
	if p == PurposeCancel {
		d.st.WantedDay, d.st.WantedSeries = d.u.Date, d.u.Series
	}
	d.emit(Effect{Kind: ListMeetings})
}

func (d *dialogue) onListed(r Result) {
	l, p := d.lang(), d.st.Purpose
	if r.Err != nil {
		d.say(msgCommandFailed(l, MeetingsListed, *r.Err))
		d.reset()
		return
	}
	ms := r.Meetings
	if p == PurposeList {
		d.say(msgList(l, ms))
		d.reset()
		return
	}
	if len(ms) == 0 {
		d.say(msgNothingFor(l, p))
		d.reset()
		return
	}
	if q := fold(d.st.WantedName); q != "" && d.st.Wanted == 0 {
		// « renvoie la clé à Jean » : only Jean's meetings, when he has any.
		var mine []MeetingSummary
		for _, m := range ms {
			if strings.Contains(fold(m.Designate.Name()), q) || strings.EqualFold(m.Designate.Email, d.st.WantedName) {
				mine = append(mine, m)
			}
		}
		if len(mine) > 0 {
			ms = mine
		}
	}
	d.st.WantedName = ""
	if d.cancelByDayOrSeries(ms) {
		return
	}
	d.st.Meetings = ms
	switch w := d.st.Wanted; {
	case w >= 1 && w <= len(ms):
		d.picked(ms[w-1])
	case w == 0 && len(ms) == 1:
		d.picked(ms[0])
	default:
		d.st.Stage = StagePicking
		d.say(msgPick(l, p, ms, w))
		d.st.Wanted = 0
	}
}

// picked acts on the chosen meeting: confirm a cancellation, or resend the key at once.
func (d *dialogue) picked(m MeetingSummary) {
	if d.st.Purpose.changes() {
		d.pickedForChange(m)
		return
	}
	d.st.Chosen = &m
	d.st.Meetings = nil
	if d.st.Purpose == PurposeCancel {
		d.st.Stage = StageConfirmCancel
		d.chooseOccurrence(m)
		d.say(d.confirmCancelText(m))
		return
	}
	d.st.Stage = StageResending
	d.emit(Effect{Kind: ResendHostKey, Ref: m.Ref})
}

// onPicking handles the answer to « which meeting? » and « cancel it? ».
func (d *dialogue) onPicking(text string) {
	u, l := d.u, d.lang()
	if u.Intent == nlu.IntentAbort || (d.st.Stage == StagePicking && u.Intent == nlu.IntentDeny) {
		d.abandon()
		return
	}
	switch u.Intent {
	case nlu.IntentSchedule, nlu.IntentList, nlu.IntentCancel, nlu.IntentResend, nlu.IntentChange, nlu.IntentHandOver:
		// A new command, not an answer: « annule la rencontre avec Bob » while choosing
		// whom to resend a key to starts the cancellation instead.
		d.reset()
		d.onIdle(text, false)
		return
	}
	if u.Intent == nlu.IntentHelp {
		d.say(msgHelp(l))
	}
	if d.st.Stage == StageConfirmCancel && d.st.Chosen == nil {
		d.reset()
		d.say(msgHint(l))
		return
	}
	if d.st.Stage == StageConfirmCancel {
		switch u.Intent {
		case nlu.IntentConfirm:
			d.st.Stage = StageCancelling
			d.emit(d.cancelEffect())
		case nlu.IntentDeny:
			d.reset()
			d.say(msgKept(l))
		default:
			d.say(d.confirmCancelText(*d.st.Chosen))
		}
		return
	}
	if m, ok := d.pickMeeting(text); ok {
		d.picked(m)
		return
	}
	if !d.offList(text, len(d.st.Meetings)) && u.Intent != nlu.IntentHelp {
		d.say(msgNotUnderstood(l))
	}
	d.say(msgPick(l, d.st.Purpose, d.st.Meetings, 0))
}

func (d *dialogue) pickMeeting(text string) (MeetingSummary, bool) {
	ms := d.st.Meetings
	n := d.u.Number
	if v, err := parseNumber(text); err == nil {
		n = v
	}
	if n >= 1 && n <= len(ms) {
		return ms[n-1], true
	}
	q := fold(strings.Trim(text, " .!?«»\"'"))
	if d.u.Designate != "" {
		q = fold(d.u.Designate)
	}
	if q == "" {
		return MeetingSummary{}, false
	}
	var hits []MeetingSummary
	for _, m := range ms {
		if strings.Contains(fold(m.Designate.Name()), q) || strings.EqualFold(m.Designate.Email, q) ||
			strings.Contains(fold(m.Title), q) {
			hits = append(hits, m)
		}
	}
	if len(hits) == 1 {
		return hits[0], true
	}
	return MeetingSummary{}, false
}

func (d *dialogue) onCommandDone(r Result) {
	l := d.lang()
	var m MeetingSummary
	if d.st.Chosen != nil {
		m = *d.st.Chosen
	}
	if r.Meeting != nil {
		rm := r.Meeting
		m = MeetingSummary{Ref: m.Ref, Title: rm.Title, Start: rm.Start, End: rm.End, TimeZone: rm.TimeZone, Designate: rm.Designate}
	}
	switch {
	case r.Err != nil:
		d.say(msgCommandFailed(l, r.Kind, *r.Err))
	case r.Kind == MeetingCancelled:
		d.say(d.cancelledText(m))
	default:
		d.say(msgResent(l, m, r.DesignateNotified))
	}
	if d.st.Stage == StageCancelling || d.st.Stage == StageResending {
		d.reset()
	}
}
