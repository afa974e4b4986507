package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// The meeting attempt: one confirmation (the organizer's « oui ») makes one Webex meeting and
// one message to the designate, however often its turn runs (a retry, a crash half-way, the
// « oui » typed twice and handled by two replicas at once). createMeeting goes through these
// steps, each a function below:
//
//  1. checkDesignate: the designate may receive a host key (their domain, their organization).
//  2. beginAttempt: the intent is recorded in the ledger, under the confirmation's idempotency
//     key, before Webex is asked anything; an attempt that finds an intent recorded by another
//     waits while that other attempt is alive (awaitOtherAttempt).
//  3. the ledger switch (meetingOfLedger): a cancelled entry is refused; a created one is that
//     meeting, read back from Webex; a pending or failed one goes on to 4.
//  4. recovery (recoverTagged): an attempt that did not record the intent itself looks for the
//     meeting an earlier attempt may have created before its process stopped, by the integration
//     tag that carries the ledger id.
//  5. the rate limit (allowMeeting), counted only for a meeting about to be asked for.
//  6. the creation (createTagged), tagged with the ledger id; after an unclear failure it looks
//     for the tag before asking again (actOnce, actonce.go).
//  7. the Webex id is recorded with the designate's job, the series and the reminder, in one
//     transaction (sendDesignateOnce, sends.go): the message goes out once, through the outbox.
//
// The exactly-once rule: Webex is asked to create a meeting only after the ledger holds the
// intent, and only when neither the ledger nor the tag says a meeting exists; whatever happens
// after Webex answered (a crash, a lost answer) is found again by the tag, never created twice.
// An intent whose confirmation is never handled again is settled by the sweep (sweep.go).

// createMeeting creates the meeting of one confirmation exactly once, reads its host key and
// sends the designate their 1:1 message (exactly once, through the outbox).
func (b *Bot) createMeeting(ctx context.Context, req conversations.MeetingRequest, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	if f := b.checkDesignate(ctx, req.Designate.Email); f != nil {
		return conversations.Result{Kind: conversations.MeetingFailed, Err: f}
	}
	ledger, created, err := b.beginAttempt(ctx, req, t)
	if err != nil {
		log.Error().Err(err).Msg("cannot record the meeting intent")
		return meetingFailed(conversations.FailureUnavailable, "store: "+err.Error())
	}
	m, record, failed := b.meetingOfLedger(ctx, req, &ledger, created, log)
	if failed != nil {
		return *failed
	}
	m = b.withHostKey(ctx, m, ledger)
	details := detailsOf(m, ledger)
	s.add(details.HostKey, details.Password)
	log.Info().Str("meeting", ledger.ID).Str("webexMeeting", m.ID).Msg("meeting ready")

	record = append(record, b.followUps(ledger, req)...)
	notified := b.sendDesignateOnce(ctx, ledger, details, log, record...)
	return conversations.Result{Kind: conversations.MeetingCreated, Meeting: &details, DesignateNotified: notified}
}

func meetingFailed(kind conversations.FailureKind, detail string) conversations.Result {
	return conversations.Result{Kind: conversations.MeetingFailed, Err: &conversations.Failure{Kind: kind, Detail: detail}}
}

// checkDesignate is step 1: nil when the designate may receive the host key.
func (b *Bot) checkDesignate(ctx context.Context, email string) *conversations.Failure {
	if ok, err := b.designateEmailAllowed(ctx, email); err != nil {
		return &conversations.Failure{Kind: failureOf(err).Kind, Detail: "checking the designate: " + err.Error()}
	} else if !ok {
		return &conversations.Failure{Kind: conversations.FailureNotAllowed, Detail: "designate outside the allowed domains or organization"}
	}
	return nil
}

// beginAttempt is step 2: the ledger entry of the confirmation, and whether this attempt
// recorded it. An entry another attempt recorded and still works on is returned as that
// attempt left it.
func (b *Bot) beginAttempt(ctx context.Context, req conversations.MeetingRequest, t *turn) (store.Meeting, bool, error) {
	ledger, created, err := b.store.BeginMeeting(ctx, store.Meeting{
		IdempotencyKey: req.IdempotencyKey,
		OrganizerEmail: req.Organizer.Email,
		OrganizerName:  req.Organizer.Name(),
		DesignateEmail: req.Designate.Email,
		DesignateName:  req.Designate.Name(),
		Title:          req.Title,
		Start:          req.Start,
		End:            req.End,
		TimeZone:       req.TimeZone,
		Lang:           string(req.Lang),
		RoomID:         t.roomID,
	})
	if err != nil {
		return ledger, false, err
	}
	b.failpoint("after-intent-recorded")
	if !created && ledger.Status == store.MeetingPending {
		ledger = b.awaitOtherAttempt(ctx, ledger)
	}
	return ledger, created, nil
}

// meetingOfLedger is step 3, the ledger switch: the Webex meeting of a ledger entry, found,
// recovered or created (steps 4 to 6). A meeting this attempt found or made comes with the
// write that records it in the ledger, and ledger is updated to match. failed is the result to
// return when there is no meeting.
func (b *Bot) meetingOfLedger(ctx context.Context, req conversations.MeetingRequest, ledger *store.Meeting, created bool, log *zerolog.Logger) (m *webexapi.Meeting, record []saveFunc, failed *conversations.Result) {
	fail := func(res conversations.Result) (*webexapi.Meeting, []saveFunc, *conversations.Result) {
		return nil, nil, &res
	}
	switch ledger.Status {
	case store.MeetingCancelled:
		return fail(meetingFailed(conversations.FailureNotFound, "meeting cancelled"))
	case store.MeetingCreated:
		existing, err := b.meetings.Meetings.Get(ctx, ledger.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail})
		if err != nil {
			return fail(b.meetingError(ctx, *ledger, err, log))
		}
		return existing, nil, nil
	}
	m, err := b.recoverTagged(ctx, *ledger, created)
	if err != nil {
		return fail(b.meetingError(ctx, *ledger, err, log))
	}
	if m == nil {
		if !b.allowMeeting(strings.ToLower(req.Organizer.Email)) {
			_ = b.store.MarkMeetingFailed(ctx, ledger.ID, "rate limited")
			return fail(meetingFailed(conversations.FailureRateLimited, "meetings per hour exceeded"))
		}
		m, err = b.createTagged(ctx, req, *ledger)
		if err != nil {
			return fail(b.meetingError(ctx, *ledger, err, log))
		}
		b.metrics.MeetingsCreated.Inc()
		b.failpoint("after-meeting-created")
	}
	// Recorded with the designate's job, in one transaction (step 7).
	ledgerID, webexID := ledger.ID, m.ID
	record = append(record, func(ctx context.Context, q store.Queries) error {
		return q.MarkMeetingCreated(ctx, ledgerID, webexID)
	})
	ledger.WebexMeetingID, ledger.Status = m.ID, store.MeetingCreated
	return m, record, nil
}

// recoverTagged is step 4: the meeting an earlier attempt may have created for the entry, when
// this attempt did not record the intent itself (nil when there is none).
func (b *Bot) recoverTagged(ctx context.Context, ledger store.Meeting, created bool) (*webexapi.Meeting, error) {
	if created {
		return nil, nil // the intent is this attempt's: nobody asked Webex before
	}
	return b.findTagged(ctx, ledger)
}

// withHostKey reads the meeting again when Webex gave it without its host key.
func (b *Bot) withHostKey(ctx context.Context, m *webexapi.Meeting, ledger store.Meeting) *webexapi.Meeting {
	if m.HostKey == "" {
		if fresh, err := b.meetings.Meetings.Get(ctx, m.ID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail}); err == nil {
			return fresh
		}
	}
	return m
}

// followUps are the writes that go with the designate's job: a series (one reminder per
// occurrence), or the one meeting's reminder.
func (b *Bot) followUps(ledger store.Meeting, req conversations.MeetingRequest) []saveFunc {
	record := b.seriesRecords(ledger, req.Recurrence)
	if b.cfg.ReminderBefore > 0 && req.Recurrence == "" {
		if at := ledger.Start.Add(-b.cfg.ReminderBefore); at.After(b.now()) {
			ledgerID := ledger.ID
			record = append(record, func(ctx context.Context, q store.Queries) error {
				return q.ScheduleReminder(ctx, ledgerID, at)
			})
		}
	}
	return record
}

// awaitOtherAttempt waits while a fresh intent for the same confirmation is another handler's
// (the « oui » typed twice and handled by two replicas at once): that attempt is asking Webex
// right now, and a tag lookup would not see its meeting yet. It returns the ledger entry as the
// other attempt left it. An intent untouched for a lease is a dead attempt's, recovered by the
// caller. UpdatedAt is the store's wall-clock time, hence wallSince (clock.go).
func (b *Bot) awaitOtherAttempt(ctx context.Context, ledger store.Meeting) store.Meeting {
	const every = 100 * time.Millisecond
	t := time.NewTicker(every)
	defer t.Stop()
	// Another replica's creation answers within seconds; a longer silence is a dead attempt's
	// (the previous process's, say), and the organizer must not wait a whole lease for it.
	polls := int(min(b.cfg.Lease, 45*time.Second) / every)
	for ; ledger.Status == store.MeetingPending && wallSince(ledger.UpdatedAt) < b.cfg.Lease && polls > 0; polls-- {
		select {
		case <-ctx.Done():
			return ledger
		case <-t.C:
		}
		cur, err := b.store.GetMeeting(ctx, ledger.ID)
		if err != nil {
			return ledger
		}
		ledger = cur
	}
	return ledger
}

// integrationTag marks a Webex meeting with its ledger id, so that after a crash the bot finds
// the meeting it may have created instead of creating a second one.
func integrationTag(ledgerID string) string { return "relais-" + ledgerID }

// createTagged asks Webex for the meeting of a ledger entry, tagged with the entry's id. After an
// unclear failure it looks for the tag before asking again (see actOnce), and it never asks for a
// start less than the dialogue's minimum lead from now: a late confirmation is refused, not
// squeezed in.
func (b *Bot) createTagged(ctx context.Context, req conversations.MeetingRequest, ledger store.Meeting) (*webexapi.Meeting, error) {
	var m *webexapi.Meeting
	err := b.actOnce(ctx, func(ctx context.Context) error {
		if b.tooSoon(req.Start) {
			return errTooSoon
		}
		var err error
		m, err = b.meetings.Meetings.Create(ctx, &webexapi.MeetingRequest{
			Title:                 req.Title,
			Start:                 webexapi.FormatTime(req.Start),
			End:                   webexapi.FormatTime(req.End),
			Timezone:              req.TimeZone,
			EnabledJoinBeforeHost: true,
			JoinBeforeHostMinutes: 15,
			Invitees:              []webexapi.Invitee{{Email: req.Designate.Email, DisplayName: req.Designate.Name()}},
			SendEmail:             webexapi.Bool(true),
			HostEmail:             req.Organizer.Email,
			IntegrationTags:       []string{integrationTag(ledger.ID)},
			Recurrence:            req.Recurrence,
		})
		return err
	}, func(ctx context.Context) (bool, error) {
		found, err := b.findTagged(ctx, ledger)
		if found != nil {
			m = found
		}
		return found != nil, err
	})
	return m, err
}

// findTagged looks for the Webex meeting an earlier attempt created for a ledger entry.
func (b *Bot) findTagged(ctx context.Context, ledger store.Meeting) (*webexapi.Meeting, error) {
	page, err := b.meetings.Meetings.List(ctx, &webexapi.MeetingListOptions{
		HostEmail:      ledger.OrganizerEmail,
		IntegrationTag: integrationTag(ledger.ID),
		From:           webexapi.FormatTime(ledger.Start.Add(-time.Minute)),
		To:             webexapi.FormatTime(ledger.End.Add(time.Minute)),
	})
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		for _, tag := range page.Items[i].IntegrationTags {
			if tag == integrationTag(ledger.ID) {
				return &page.Items[i], nil
			}
		}
	}
	return nil, nil
}

// meetingError records a failed creation and says, for the administrator, what to fix.
func (b *Bot) meetingError(ctx context.Context, ledger store.Meeting, err error, log *zerolog.Logger) conversations.Result {
	f, own := b.meetingsFailure(ctx, ledger.OrganizerEmail, err, log) // accounts_failures.go
	ev := log.Error().Err(err).Str("meeting", ledger.ID)
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		ev = ev.Str("trackingId", ae.TrackingID).Int("status", ae.StatusCode)
	}
	if own {
		ev.Msg(ownAccountAdvice)
	} else if f.Kind == conversations.FailureCredential {
		ev.Msg("Webex refused the meetings credential: set WEBEX_MEETINGS_TOKEN (or WEBEX_MEETINGS_REFRESH_TOKEN with WEBEX_CLIENT_ID/WEBEX_CLIENT_SECRET) to a Service App or admin integration token with the meeting:admin_schedule_write scope, authorized by a full administrator of the site")
	} else {
		ev.Msg("meeting not created")
	}
	if ledger.Status != store.MeetingCreated {
		_ = b.store.MarkMeetingFailed(ctx, ledger.ID, string(f.Kind))
	}
	return conversations.Result{Kind: conversations.MeetingFailed, Err: f}
}
