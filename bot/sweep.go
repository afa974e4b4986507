package bot

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// The sweep of abandoned intents (issue 12). A confirmation whose handling stopped between
// Webex creating the meeting (createTagged) and the ledger recording it (step 7 of
// meeting_attempt.go) leaves its ledger entry pending. The event's own retry recovers it by the
// tag, but only when the same turn runs again and still leads to the same creation: an
// organizer who moved on meanwhile leaves a meeting in Webex that nobody was told of.
//
// The outbox poller sweeps now and then (sweepEvery): each entry still pending and untouched
// for abandonedAfter (two leases: the event's own retry goes first) gets one job, keyed by its
// ledger id, so that whichever replica claims it alone settles the entry (runAbandoned):
//   - its meeting found in Webex by the tag: recorded as step 7 does (the ledger, the
//     designate's message through the outbox, the reminder or the series), the organizer told
//     in their 1:1 space that it was created after all;
//   - none: the entry failed ("abandoned"), the organizer told in their 1:1 space that nothing
//     was created and how to ask again.

// kindAbandoned is the job of one abandoned intent (key abandoned:<ledger id>).
const kindAbandoned = "abandoned"

func abandonedKey(ledger string) string { return "abandoned:" + ledger }

// abandonedReason is the FailReason of an intent the sweep found without a meeting.
const abandonedReason = "abandoned"

var abandonedJob = jobCodec[jobPayload]{kind: kindAbandoned, valid: hasMeeting}

// abandonedAfter is how long an intent stays pending, untouched, before the sweep takes it up.
func (b *Bot) abandonedAfter() time.Duration { return 2 * b.cfg.Lease }

// sweepEvery is how often the poller sweeps: a minute, or a lease when that is shorter.
func (b *Bot) sweepEvery() time.Duration { return min(b.cfg.Lease, time.Minute) }

// sweepAbandoned records a job for each abandoned intent. Every replica may sweep: the job's
// key makes it one, and its lease makes one replica run it.
func (b *Bot) sweepAbandoned(ctx context.Context) {
	// UpdatedAt is the store's wall-clock stamp (clock.go).
	pending, err := b.store.ListPendingMeetings(ctx, wallNow().Add(-b.abandonedAfter()))
	if err != nil {
		if ctx.Err() == nil {
			b.log.Error().Err(err).Msg("cannot list the abandoned meeting intents")
		}
		return
	}
	recorded := false
	for _, m := range pending {
		it, _ := abandonedJob.item(uuid.NewString(), abandonedKey(m.ID), jobPayload{MeetingID: m.ID}, b.now()) // ids: always encodes
		created, err := b.store.Enqueue(ctx, it)
		if err != nil {
			b.log.Error().Err(err).Str("meeting", m.ID).Msg("cannot record the sweep of an abandoned intent")
			continue
		}
		if created {
			b.log.Warn().Str("meeting", m.ID).Msg("meeting intent abandoned half-way; settling it")
			recorded = true
		}
	}
	if recorded {
		b.Poke()
	}
}

// runAbandoned settles one abandoned intent, then tells its organizer.
func (b *Bot) runAbandoned(ctx context.Context, it store.OutboxItem, p jobPayload, log *zerolog.Logger) {
	ledger, ok := b.jobMeeting(ctx, it, p.MeetingID, log)
	if !ok {
		return
	}
	hold := b.holdLease(ctx, it.ID, time.Time{})
	defer hold.release()
	lang := nlu.Lang(ledger.Lang)
	var notices []string // the notice to send; a retry also knows the other wording
	switch {
	case ledger.Status == store.MeetingPending:
		notice, err := b.settleAbandoned(ctx, &ledger, log)
		if err != nil {
			hold.release()
			b.retryJob(ctx, it, err, log)
			return
		}
		notices = []string{notice}
	case it.Attempts > 1 && ledger.Status == store.MeetingCreated:
		// An earlier attempt of this job settled it and may have stopped before telling.
		d := ledgerDetails(ledger)
		notices = []string{conversations.AbandonedCreatedNotice(lang, d, false), conversations.AbandonedCreatedNotice(lang, d, true)}
	case it.Attempts > 1 && ledger.Status == store.MeetingFailed && ledger.FailReason == abandonedReason:
		notices = []string{conversations.AbandonedFailedNotice(lang, ledgerDetails(ledger))}
	default:
		// Settled meanwhile by the confirmation itself: its organizer was told there.
		hold.release()
		_ = b.store.Complete(ctx, it.ID)
		return
	}
	if it.Attempts > 1 {
		// An earlier attempt may have told the organizer before it stopped.
		if done, _ := b.inDirect(ctx, ledger.OrganizerEmail, func(m webexapi.Message) bool {
			return slices.ContainsFunc(notices, func(n string) bool { return sameText(m.Markdown, n) })
		}); done {
			hold.release()
			_ = b.store.Complete(ctx, it.ID)
			return
		}
	}
	err := b.sendText(ctx, ledger.OrganizerEmail, notices[0])
	hold.release()
	if err != nil {
		b.retryJob(ctx, it, err, log)
		return
	}
	_ = b.store.Complete(ctx, it.ID)
	log.Info().Str("meeting", ledger.ID).Str("status", string(ledger.Status)).Msg("abandoned intent settled; organizer told")
}

// settleAbandoned settles a pending intent: its meeting recorded as step 7 does, or the entry
// failed. It returns the organizer's notice (no secret in it).
func (b *Bot) settleAbandoned(ctx context.Context, ledger *store.Meeting, log *zerolog.Logger) (string, error) {
	lang := nlu.Lang(ledger.Lang)
	m, err := b.findTagged(ctx, *ledger)
	if err != nil {
		return "", err
	}
	if m == nil {
		if err := b.store.MarkMeetingFailed(ctx, ledger.ID, abandonedReason); err != nil {
			return "", err
		}
		ledger.Status, ledger.FailReason = store.MeetingFailed, abandonedReason
		log.Warn().Str("meeting", ledger.ID).Msg("abandoned intent: no meeting in Webex; marked failed")
		return conversations.AbandonedFailedNotice(lang, ledgerDetails(*ledger)), nil
	}
	ledgerID, webexID := ledger.ID, m.ID
	record := []saveFunc{func(ctx context.Context, q store.Queries) error {
		return q.MarkMeetingCreated(ctx, ledgerID, webexID)
	}}
	ledger.WebexMeetingID, ledger.Status = m.ID, store.MeetingCreated
	m = b.withHostKey(ctx, m, *ledger)
	// A series' rule is the one Webex holds: the dialogue that asked for it is gone.
	record = append(record, b.followUps(*ledger, conversations.MeetingRequest{Recurrence: m.Recurrence})...)
	d := detailsOf(m, *ledger)
	notified := b.sendDesignateOnce(ctx, *ledger, d, log, record...)
	log.Warn().Str("meeting", ledger.ID).Str("webexMeeting", m.ID).Msg("abandoned intent: meeting found in Webex; recorded")
	return conversations.AbandonedCreatedNotice(lang, d, notified), nil
}
