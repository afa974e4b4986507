package bot

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// sendDesignate posts the designate's 1:1 message: everything to run the meeting, host key
// included. It goes by e-mail to the person, so always into their 1:1 space with the bot.
// After an unclear failure it looks in that space for a message with the meeting's link posted
// at or after since (zero: whenever) before posting again.
func (b *Bot) sendDesignate(ctx context.Context, lang nlu.Lang, d conversations.MeetingDetails, since time.Time) error {
	d.ReminderBefore = b.reminderFor(d.Start)
	markdown, card := conversations.DesignateMessage(lang, d)
	return b.sendToDesignate(ctx, d.Designate.Email, markdown, card, func(ctx context.Context) (bool, error) {
		return b.alreadySent(ctx, d.Designate.Email, d, since)
	})
}

// sendDesignateOnce sends the designate's message through the outbox: exactly one message per
// meeting, even when the confirmation is replayed or the process stops half-way.
func (b *Bot) sendDesignateOnce(ctx context.Context, ledger store.Meeting, d conversations.MeetingDetails, log *zerolog.Logger, with ...saveFunc) bool {
	return b.sendJobOnce(ctx, kindDesignate, designateKey(ledger.ID), ledger, func(ctx context.Context) error {
		return b.sendDesignate(ctx, nlu.Lang(ledger.Lang), d, time.Time{})
	}, log, with...)
}

// sendJobOnce records a send under key, then does it right away. The record's due time is a
// lease away, so the outbox poller takes it over only if this attempt fails or the process dies.
// The writes in with (what the send follows from: the created meeting, its reminder) are
// recorded in the same transaction. It reports whether the send is known to be done.
func (b *Bot) sendJobOnce(ctx context.Context, kind, key string, ledger store.Meeting, send func(context.Context) error, log *zerolog.Logger, with ...saveFunc) bool {
	return b.sendPayloadOnce(ctx, kind, key, jobPayload{MeetingID: ledger.ID}, send, log, with...)
}

// sendPayloadOnce is sendJobOnce with the job's whole payload given.
func (b *Bot) sendPayloadOnce(ctx context.Context, kind, key string, p jobPayload, send func(context.Context) error, log *zerolog.Logger, with ...saveFunc) bool {
	codec, _ := meetingJobCodec(kind)
	item, _ := codec.item(uuid.NewString(), key, p, b.now().Add(b.cfg.Lease)) // ids and times: always encodes
	var created bool
	err := b.store.WithTx(ctx, func(tx store.Tx) error {
		for _, w := range with {
			if err := w(ctx, tx); err != nil {
				return err
			}
		}
		var err error
		created, err = tx.Enqueue(ctx, item)
		return err
	})
	if err != nil && len(with) > 0 {
		// Record what can be recorded, one write at a time: a meeting created in Webex must
		// reach the ledger even when the send's own record cannot.
		log.Warn().Err(err).Str("job", key).Msg("cannot record the send with what it follows from; recording them one by one")
		for _, w := range with {
			if werr := w(ctx, b.store); werr != nil {
				log.Error().Err(werr).Str("job", key).Msg("cannot record what the send follows from")
			}
		}
		created, err = b.store.Enqueue(ctx, item)
	}
	if err != nil {
		log.Error().Err(err).Str("job", key).Msg("cannot record the send; sending anyway")
		return send(ctx) == nil
	}
	if !created {
		cur, err := b.store.GetOutboxItem(ctx, key)
		if err != nil {
			log.Error().Err(err).Str("job", key).Msg("cannot read the recorded send")
			return false
		}
		return cur.Status == store.OutboxDone
	}
	hold := b.holdLease(ctx, item.ID, item.DueAt)
	err = send(ctx)
	hold.release()
	if err != nil {
		log.Warn().Err(err).Str("job", key).Msg("send failed; the outbox will retry")
		_ = b.store.Retry(ctx, item.ID, b.now().Add(jobRetry.Delay(1)), err.Error())
		b.Poke()
		return false
	}
	if kind == kindDesignate {
		b.failpoint("after-designate-sent")
	}
	if err := b.store.Complete(ctx, item.ID); err != nil {
		log.Error().Err(err).Str("job", key).Msg("cannot mark the send done")
	}
	return true
}

// runSend retries a designate message, a reminder or a cancellation notice.
func (b *Bot) runSend(ctx context.Context, it store.OutboxItem, p jobPayload, log *zerolog.Logger) {
	ledger, ok := b.jobMeeting(ctx, it, p.MeetingID, log)
	if !ok {
		return
	}
	var err error
	lang := nlu.Lang(ledger.Lang)
	// Webex may be slow (Retry-After): keep the job ours meanwhile, released before it is
	// completed, retried or failed.
	hold := b.holdLease(ctx, it.ID, time.Time{})
	defer hold.release()
	switch it.Kind {
	case kindCancelNotice:
		// Its first attempt, right after the cancellation, may have reached Webex.
		_, err = b.sendTextOnce(ctx, ledger.DesignateEmail, conversations.CancelledNotice(lang, ledgerDetails(ledger)), true)
	case kindDesignate, store.KindReminder:
		if ledger.Status != store.MeetingCreated || (it.Kind == store.KindReminder && !b.now().Before(ledger.Start)) {
			// Cancelled, or a reminder come due too late (a backlog, a long outage): drop it.
			hold.release()
			_ = b.store.Complete(ctx, it.ID)
			return
		}
		// Checked against the settings of now: the designate may have left the allowed
		// domains or organization since the meeting was created.
		ok, cerr := b.designateEmailAllowed(ctx, ledger.DesignateEmail)
		if cerr != nil {
			err = cerr
			break
		}
		if !ok {
			log.Warn().Str("meeting", ledger.ID).Msg("the designate is no longer allowed: their key is not sent")
			hold.release()
			_ = b.store.Fail(ctx, it.ID, "designate no longer allowed")
			return
		}
		var m *webexapi.Meeting
		m, err = b.meetings.Meetings.Get(ctx, ledger.WebexMeetingID, &webexapi.MeetingGetOptions{HostEmail: ledger.OrganizerEmail})
		if webexapi.IsNotFound(err) {
			hold.release()
			_ = b.store.Fail(ctx, it.ID, "meeting gone from Webex")
			return
		}
		if err != nil {
			break
		}
		d := detailsOf(m, ledger)
		if it.Kind == kindDesignate {
			// The first message may have reached Webex before the process stopped; a
			// resend on request is sent whatever the space already holds.
			resend := isResend(it, p)
			if done, _ := b.alreadySent(ctx, ledger.DesignateEmail, d, time.Time{}); done && !resend {
				log.Info().Msg("the designate already has the message; not sending it twice")
				hold.release()
				_ = b.store.Complete(ctx, it.ID)
				return
			}
			since := time.Time{}
			if resend {
				since = b.now().Add(-clockSkew)
			}
			err = b.sendDesignate(ctx, lang, d, since)
		} else {
			// An earlier attempt may have reached Webex.
			var sent bool
			sent, err = b.sendTextOnce(ctx, ledger.DesignateEmail, conversations.ReminderMessage(lang, d, b.cfg.ReminderBefore), it.Attempts > 1)
			if sent && err == nil {
				b.metrics.RemindersSent.Inc()
			}
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

// sendText posts markdown in the person's 1:1 space; after an unclear failure it looks there
// before posting again (see actOnce).
func (b *Bot) sendText(ctx context.Context, email, markdown string) error {
	return b.actOnce(ctx, func(ctx context.Context) error {
		return b.webex.Messages.Send(ctx, &webexapi.MessageRequest{ToPersonEmail: email, Markdown: markdown})
	}, func(ctx context.Context) (bool, error) {
		return b.inDirect(ctx, email, func(m webexapi.Message) bool { return sameText(m.Markdown, markdown) })
	})
}

// sendTextOnce is sendText for a message an earlier attempt may have posted already: with again,
// it first looks in the person's 1:1 space and posts only if the message is not there (a look
// that fails counts as not there). It reports whether it posted.
func (b *Bot) sendTextOnce(ctx context.Context, email, markdown string, again bool) (bool, error) {
	if again {
		if done, err := b.inDirect(ctx, email, func(m webexapi.Message) bool { return sameText(m.Markdown, markdown) }); err == nil && done {
			return false, nil
		}
	}
	return true, b.sendText(ctx, email, markdown)
}

// alreadySent reports whether the bot's 1:1 space with the designate already holds the message
// of this meeting (a previous attempt reached Webex before the process stopped).
// Only the messages posted at or after since count (zero: all).
func (b *Bot) alreadySent(ctx context.Context, email string, d conversations.MeetingDetails, since time.Time) (bool, error) {
	if d.WebLink == "" {
		return false, nil
	}
	return b.inDirect(ctx, email, func(m webexapi.Message) bool {
		if writtenBefore(m, since) {
			return false
		}
		return strings.Contains(m.Markdown, d.WebLink) || strings.Contains(m.Text, d.WebLink)
	})
}

// ledgerDetails is what the ledger knows of a meeting (no secrets: those come from Webex).
func ledgerDetails(m store.Meeting) conversations.MeetingDetails {
	return conversations.MeetingDetails{
		ID: m.ID, Title: m.Title, Start: m.Start, End: m.End, TimeZone: m.TimeZone,
		Designate: designateOf(m),
		Organizer: conversations.Person{Email: m.OrganizerEmail, DisplayName: m.OrganizerName},
	}
}
