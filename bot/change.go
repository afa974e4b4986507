package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Outbox kinds of a change of a meeting handed over.
const (
	kindChanged  = "changed"  // the designate's updated message, with the host key fetched fresh
	kindReleased = "released" // the previous designate is told the meeting no longer relies on them
)

// meetingBefore is a meeting as it was before a change: what the messages say changed. No
// secret: the host key and the password are fetched from Webex when a job runs.
type meetingBefore struct {
	Title          string    `json:"title"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	DesignateEmail string    `json:"designateEmail"`
	DesignateName  string    `json:"designateName"`
}

func beforeOf(m store.Meeting) *meetingBefore {
	return &meetingBefore{Title: m.Title, Start: m.Start, End: m.End, DesignateEmail: m.DesignateEmail, DesignateName: m.DesignateName}
}

// ledger is the ledger entry as it was, for the messages.
func (p meetingBefore) ledger(now store.Meeting) store.Meeting {
	m := now
	m.Title, m.Start, m.End, m.DesignateEmail, m.DesignateName = p.Title, p.Start, p.End, p.DesignateEmail, p.DesignateName
	return m
}

// changeMeeting updates a meeting the organizer scheduled: Webex first (PUT, with join before
// host 15 minutes again; Webex applies its rules to the new start), then, on a hand-over, the
// new designate invited and the previous one removed; the ledger, the reminder and the
// designates' messages are recorded in one transaction and the messages sent once per change.
func (b *Bot) changeMeeting(ctx context.Context, c conversations.MeetingChange, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	res := conversations.Result{Kind: conversations.MeetingChanged}
	fail := func(f *conversations.Failure) conversations.Result {
		res.Err = f
		return res
	}
	// Only the organizer who scheduled the meeting can change it.
	m, f := b.ownMeeting(ctx, c.Ref, t)
	if f != nil {
		return fail(f)
	}
	handedOver := !strings.EqualFold(c.Designate.Email, m.DesignateEmail)
	if handedOver {
		if ok, err := b.designateEmailAllowed(ctx, c.Designate.Email); err != nil {
			return fail(failureOf(err))
		} else if !ok {
			return fail(&conversations.Failure{Kind: conversations.FailureNotAllowed, Detail: "designate outside the allowed domains or organization"})
		}
	}
	zone := m.TimeZone
	if zone == "" {
		zone = c.TimeZone
	}
	_, series := b.seriesOf(ctx, m.ID)
	var wm *webexapi.Meeting
	var err error
	if series {
		// A series keeps its dates (the dialogue never moves one): a PUT would have to send
		// the rule and the first start again, and would bring back the cancelled dates.
		wm, err = b.meetings.Meetings.Patch(ctx, m.WebexMeetingID, &webexapi.MeetingPatchRequest{
			Title:                 &c.Title,
			EnabledJoinBeforeHost: webexapi.Bool(true),
			JoinBeforeHostMinutes: new(15),
			SendEmail:             webexapi.Bool(true),
			HostEmail:             m.OrganizerEmail,
		})
		c.Start, c.End = m.Start, m.End
	} else {
		wm, err = b.meetings.Meetings.Update(ctx, m.WebexMeetingID, &webexapi.MeetingRequest{
			Title:                 c.Title,
			Start:                 webexapi.FormatTime(c.Start),
			End:                   webexapi.FormatTime(c.End),
			Timezone:              zone,
			EnabledJoinBeforeHost: true,
			JoinBeforeHostMinutes: 15,
			SendEmail:             webexapi.Bool(true),
			HostEmail:             m.OrganizerEmail,
		})
	}
	if err != nil {
		b.changeError(err, m, log)
		f, _ := b.meetingsFailure(ctx, m.OrganizerEmail, err, log)
		return fail(f)
	}
	after := m
	after.Title, after.Start, after.End = c.Title, c.Start, c.End
	if handedOver {
		if err := b.inviteDesignate(ctx, m, c.Designate); err != nil {
			// The meeting moved in Webex but stays with its designate: record what is true.
			b.changeError(err, m, log)
			if rerr := b.store.UpdateMeeting(ctx, m.ID, updateOf(after)); rerr != nil {
				log.Error().Err(rerr).Str("meeting", m.ID).Msg("cannot record the changed meeting")
			}
			return fail(failureOf(err))
		}
		after.DesignateEmail, after.DesignateName = c.Designate.Email, c.Designate.Name()
		b.uninvite(ctx, m, log)
	}
	if wm.HostKey == "" {
		if fresh, err := b.meetings.Meetings.Get(ctx, m.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: m.OrganizerEmail}); err == nil {
			wm = fresh
		}
	}
	if series {
		b.currentKey(ctx, m, wm)
	}
	details := detailsOf(wm, after)
	if handedOver {
		details.Designate = c.Designate
	}
	s.add(details.HostKey, details.Password)

	record := []saveFunc{func(ctx context.Context, q store.Queries) error {
		return q.UpdateMeeting(ctx, m.ID, updateOf(after))
	}}
	if b.cfg.ReminderBefore > 0 && !series { // a series' reminders are per occurrence, unmoved
		// The reminder moves with the meeting (and goes to whoever runs it when it is due).
		at := after.Start.Add(-b.cfg.ReminderBefore)
		record = append(record, func(ctx context.Context, q store.Queries) error {
			if at.After(b.now()) {
				return q.MoveReminder(ctx, m.ID, at)
			}
			return q.CancelReminder(ctx, m.ID)
		})
	}
	before := beforeOf(m)
	lang := nlu.Lang(m.Lang)
	if handedOver {
		// Told once per change; recorded first, so that it is never lost if the rest fails.
		b.sendPayloadOnce(ctx, kindReleased, releasedKey(m.ID, c.IdempotencyKey), jobPayload{MeetingID: m.ID, Before: before},
			func(ctx context.Context) error {
				return b.sendReleased(ctx, lang, before.ledger(after), c.Designate, false)
			}, log)
	}
	previous := ledgerDetails(before.ledger(m))
	if series {
		sameTimes(&previous, details)
	}
	res.DesignateNotified = b.sendPayloadOnce(ctx, kindChanged, changedKey(m.ID, c.IdempotencyKey), jobPayload{MeetingID: m.ID, Before: before},
		func(ctx context.Context) error { return b.sendChanged(ctx, lang, previous, details, false) }, log, record...)
	log.Info().Str("meeting", m.ID).Bool("handedOver", handedOver).Msg("meeting changed")
	res.Meeting = &details
	return res
}

// currentKey puts into a series' wm the host key and the times of its current or next
// occurrence, read fresh: Webex renews the key after each occurrence, so the series' own may be
// spent already, and its first date may be past (the messages name the next one, as the list
// does).
func (b *Bot) currentKey(ctx context.Context, m store.Meeting, wm *webexapi.Meeting) {
	cur, err := b.meetings.Meetings.Get(ctx, m.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: m.OrganizerEmail, Current: true})
	if err != nil || cur.HostKey == "" {
		return
	}
	wm.HostKey = cur.HostKey
	if !cur.StartTime().IsZero() {
		wm.Start, wm.End = cur.Start, cur.End
	}
}

// sameTimes gives a series' "before" the times of "after": a series never moves, so its
// messages must not show its first date changed into its next one.
func sameTimes(before *conversations.MeetingDetails, after conversations.MeetingDetails) {
	before.Start, before.End = after.Start, after.End
}

func updateOf(m store.Meeting) store.MeetingUpdate {
	return store.MeetingUpdate{Title: m.Title, Start: m.Start, End: m.End, DesignateEmail: m.DesignateEmail, DesignateName: m.DesignateName}
}

// changeError logs a refused change with what the administrator needs.
func (b *Bot) changeError(err error, m store.Meeting, log *zerolog.Logger) {
	ev := log.Error().Err(err).Str("meeting", m.ID)
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		ev = ev.Str("trackingId", ae.TrackingID).Int("status", ae.StatusCode)
	}
	ev.Msg("meeting not changed")
}

// inviteDesignate adds the new designate to the meeting's invitees (Webex e-mails them the
// invitation), unless they are invited already: a replayed change invites once, and after an
// unclear failure the invitees are read before inviting again (see actOnce).
func (b *Bot) inviteDesignate(ctx context.Context, m store.Meeting, p conversations.Person) error {
	look := func(ctx context.Context) (bool, error) {
		invited, err := b.invitee(ctx, m, p.Email)
		return invited != nil, err
	}
	if invited, err := look(ctx); err != nil || invited {
		return err
	}
	return b.actOnce(ctx, func(ctx context.Context) error {
		_, err := b.meetings.MeetingInvitees.Create(ctx, &webexapi.MeetingInviteeRequest{
			MeetingID: m.WebexMeetingID, Email: p.Email, DisplayName: p.Name(), HostEmail: m.OrganizerEmail, SendEmail: webexapi.Bool(true),
		})
		var ae *webexapi.APIError
		if errors.As(err, &ae) && ae.StatusCode == 409 {
			return nil // invited meanwhile
		}
		return err
	}, look)
}

// uninvite removes the previous designate from the invitees, as far as Webex allows: the
// meeting no longer relies on them, and they are told so in a 1:1 message anyway.
func (b *Bot) uninvite(ctx context.Context, m store.Meeting, log *zerolog.Logger) {
	inv, err := b.invitee(ctx, m, m.DesignateEmail)
	if err == nil && inv != nil {
		err = b.meetings.MeetingInvitees.Delete(ctx, inv.ID, &webexapi.MeetingInviteeDeleteOptions{HostEmail: m.OrganizerEmail})
	}
	if err != nil && !webexapi.IsNotFound(err) {
		log.Warn().Err(err).Str("meeting", m.ID).Msg("cannot remove the previous designate from the invitees")
	}
}

// invitee finds a person among the meeting's invitees (nil when absent).
func (b *Bot) invitee(ctx context.Context, m store.Meeting, email string) (*webexapi.MeetingInvitee, error) {
	page, err := b.meetings.MeetingInvitees.List(ctx, &webexapi.MeetingInviteeListOptions{MeetingID: m.WebexMeetingID, HostEmail: m.OrganizerEmail, Max: 100})
	for err == nil {
		for i := range page.Items {
			if strings.EqualFold(page.Items[i].Email, email) {
				return &page.Items[i], nil
			}
		}
		if !page.HasNext() {
			return nil, nil
		}
		page, err = page.Next(ctx)
	}
	return nil, fmt.Errorf("meeting invitees: %w", err)
}

// sendChanged sends the designate the meeting as changed, with the host key in after. With
// again (the outbox runs the job again: an earlier run may have reached Webex before its
// completion was recorded), the 1:1 space is read first.
func (b *Bot) sendChanged(ctx context.Context, lang nlu.Lang, before, after conversations.MeetingDetails, again bool) error {
	after.ReminderBefore = b.reminderFor(after.Start)
	markdown, card := conversations.ChangedMessage(lang, before, after)
	since := b.now().Add(-clockSkew)
	if again {
		since = time.Time{}
	}
	look := func(ctx context.Context) (bool, error) {
		return b.inDirect(ctx, after.Designate.Email, func(m webexapi.Message) bool {
			return sameText(m.Markdown, markdown) && !writtenBefore(m, since)
		})
	}
	if again {
		if done, err := look(ctx); err == nil && done {
			return nil
		}
	}
	return b.sendToDesignate(ctx, after.Designate.Email, markdown, card, look)
}

// sendReleased tells the previous designate that the meeting was handed over; with again, only
// if their 1:1 space does not hold the notice already.
func (b *Bot) sendReleased(ctx context.Context, lang nlu.Lang, before store.Meeting, next conversations.Person, again bool) error {
	d := ledgerDetails(before)
	if s, ok := b.seriesOf(ctx, before.ID); ok {
		d.Recurrence = s.Recurrence // told that every date goes
	}
	_, err := b.sendTextOnce(ctx, before.DesignateEmail, conversations.ReleasedNotice(lang, d, next), again)
	return err
}

// sendToDesignate posts a designate's 1:1 message with its card. After an unclear failure it
// asks look whether the message arrived before posting it again (see actOnce).
func (b *Bot) sendToDesignate(ctx context.Context, email, markdown string, card map[string]any, look func(context.Context) (bool, error)) error {
	req := &webexapi.MessageRequest{ToPersonEmail: email, Markdown: markdown}
	if card != nil {
		att, err := webexapi.CardAttachment(card)
		if err != nil {
			return fmt.Errorf("designate card: %w", err)
		}
		req.Attachments = []webexapi.Attachment{att}
	}
	if err := b.actOnce(ctx, func(ctx context.Context) error { return b.webex.Messages.Send(ctx, req) }, look); err != nil {
		return fmt.Errorf("message the designate: %w", err)
	}
	b.metrics.DesignateSent.Inc()
	return nil
}

// reminderFor is how long before start the designate will be reminded (0: no reminder).
func (b *Bot) reminderFor(start time.Time) time.Duration {
	if b.cfg.ReminderBefore > 0 && start.Add(-b.cfg.ReminderBefore).After(b.now()) {
		return b.cfg.ReminderBefore
	}
	return 0
}

// runChangeJob retries a change's message to the designate or to the previous designate.
func (b *Bot) runChangeJob(ctx context.Context, it store.OutboxItem, p jobPayload, log *zerolog.Logger) {
	ledger, ok := b.jobMeeting(ctx, it, p.MeetingID, log)
	if !ok {
		return
	}
	var err error
	lang := nlu.Lang(ledger.Lang)
	hold := b.holdLease(ctx, it.ID, time.Time{})
	switch {
	case it.Kind == kindReleased:
		err = b.sendReleased(ctx, lang, p.Before.ledger(ledger), designateOf(ledger), true)
	case ledger.Status != store.MeetingCreated:
		hold.release()
		_ = b.store.Complete(ctx, it.ID) // cancelled since
		return
	default:
		var m *webexapi.Meeting
		m, err = b.meetings.Meetings.Get(ctx, ledger.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail})
		if err == nil {
			_, series := b.seriesOf(ctx, ledger.ID)
			if series {
				b.currentKey(ctx, ledger, m)
			}
			previous, after := ledgerDetails(p.Before.ledger(ledger)), detailsOf(m, ledger)
			if series {
				sameTimes(&previous, after)
			}
			err = b.sendChanged(ctx, lang, previous, after, true)
		}
	}
	hold.release()
	if err != nil {
		b.retryJob(ctx, it, err, log)
		return
	}
	_ = b.store.Complete(ctx, it.ID)
	log.Info().Msg("job done")
}
