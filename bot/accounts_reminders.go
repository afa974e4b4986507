package bot

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// remindWithoutAccount takes a reminder job whose organizer has no connected account (they
// disconnected, or their authorization stopped working): Relais cannot read the host key, so
// it tells the designate what it can without it, and the organizer why. It runs in the job's
// lane (jobs.go) and reports whether it took the job; a reminder of a connected organizer runs
// as usual. occurrence is zero for a single meeting's reminder.
func (b *Bot) remindWithoutAccount(ctx context.Context, it store.OutboxItem, meetingID string, occurrence time.Time, log *zerolog.Logger) bool {
	if b.accounts == nil {
		return false
	}
	connected, ledger, ok := b.reminderAccount(ctx, it, meetingID, log)
	switch {
	case !ok:
		return true
	case connected:
		return false
	default:
		b.remindNoKey(ctx, it, ledger, occurrence, log)
		return true
	}
}

// reminderAccount reads a reminder job's meeting and whether its organizer's account is
// connected. ok is false when the job must not run here (handled as runSend would).
func (b *Bot) reminderAccount(ctx context.Context, it store.OutboxItem, meetingID string, log *zerolog.Logger) (connected bool, ledger store.Meeting, ok bool) {
	if !b.stillMine(ctx, it) {
		log.Warn().Msg("job taken over or finished meanwhile; skipped")
		return false, ledger, false
	}
	ledger, err := b.store.GetMeeting(ctx, meetingID)
	if errors.Is(err, store.ErrNotFound) {
		_ = b.store.Fail(ctx, it.ID, "meeting not in the ledger")
		return false, ledger, false
	}
	if err == nil {
		connected, err = b.accounts.Connected(ctx, "", ledger.OrganizerEmail)
	}
	if err != nil {
		b.retryJob(ctx, it, err, log)
		return false, ledger, false
	}
	return connected, ledger, true
}

// remindNoKey sends the reminder without the host key, and tells the organizer why. The
// reminder of a series' next occurrence is scheduled first, as usual.
func (b *Bot) remindNoKey(ctx context.Context, it store.OutboxItem, ledger store.Meeting, occurrence time.Time, log *zerolog.Logger) {
	hold := b.holdLease(ctx, it.ID, time.Time{})
	defer hold.release()
	d := ledgerDetails(ledger)
	if it.Kind == store.KindOccurrenceReminder {
		// remindOccurrence schedules the next reminder, then fails to read the occurrence
		// without the organizer's token.
		p := store.OccurrenceReminderPayload{MeetingID: ledger.ID, Occurrence: occurrence}
		err := b.remindOccurrence(webexapi.ContextWithTokenSource(ctx, notConnected{}), p, it.Attempts > 1, log)
		if err == nil || !errors.Is(err, accounts.ErrNotConnected) {
			hold.release()
			if err != nil && !errors.Is(err, errDropJob) {
				b.retryJob(ctx, it, err, log)
				return
			}
			_ = b.store.Complete(ctx, it.ID)
			return
		}
		d.Start, d.End = occurrence, occurrence.Add(ledger.End.Sub(ledger.Start))
	}
	if ledger.Status != store.MeetingCreated || !b.now().Before(d.Start) {
		hold.release()
		_ = b.store.Complete(ctx, it.ID)
		return
	}
	lang := nlu.Lang(ledger.Lang)
	// On a later attempt, an earlier one may have reached Webex: each message goes once.
	again := it.Attempts > 1
	sent, err := b.sendTextOnce(ctx, ledger.DesignateEmail, conversations.ReminderWithoutKeyMessage(lang, d), again)
	if err != nil {
		hold.release()
		b.retryJob(ctx, it, err, log)
		return
	}
	if sent {
		b.metrics.RemindersSent.Inc()
	}
	if _, err := b.sendTextOnce(ctx, ledger.OrganizerEmail, conversations.ReminderNoAccountNotice(lang, d), again); err != nil {
		log.Error().Err(err).Msg("cannot tell the organizer why the reminder came without the host key")
	}
	hold.release()
	_ = b.store.Complete(ctx, it.ID)
	log.Info().Str("meeting", ledger.ID).Msg("reminder sent without the host key: the organizer's account is not connected")
}

// notConnected is the token source of an organizer with no connected account.
type notConnected struct{}

func (notConnected) Token(context.Context) (string, error) { return "", accounts.ErrNotConnected }
