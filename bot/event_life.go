package bot

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// The life of an event. An event (a message, a card submission, a membership) reaches the bot
// from the websocket listener, the webhook receiver, the catch-up (catchup.go) or the intake
// (intake_retry.go), through accept (router.go). From there:
//
//	received ──record──▶ recorded ──take──▶ handling ──turn ran──▶ effects pending ──finish──▶ done
//	   │                    ▲                  │                        │
//	   │ not recorded and   │ claimed by       │ turn failed            │ write failed: the item
//	   │ nobody would       │ the poller       ▼                        │ stays pending, handled
//	   │ deliver it again   └────────────── retry                       │ again after its lease
//	   └──▶ handling, unrecorded                │ refused for good, or
//	                                            └─ too many attempts ──▶ failed
//
//   - received: the bot holds the event, nothing is stored, the producer is not acked yet
//     (webexapi.Event.Accept).
//   - recorded: its outbox item (kind "event", key event:<message id>, jobs.go) is pending and
//     due a lease from now; only then is the producer acked, and Webex may forget the event.
//   - handling: this replica holds the item's lease (leaseHold, lease.go) and runs the turn
//     (turn.go): reads the message, steps the dialogue, carries out its effects, replies.
//   - effects pending: the turn ran. Its effects are done, or recorded as jobs of their own
//     (the designate's message, a notice: jobs.go); what the turn leaves behind (the dialogue
//     state, its markers) waits to be written with the item's completion.
//   - done: that state and the completion are written, in one transaction.
//   - retry: the turn failed; the item is due again later and the poller claims it
//     (resumeEvent), to be handled again.
//   - failed: given up: Webex refused for good (400, 403, 404) or MaxSendAttempts were spent.
//
// The exactly-once rules:
//
//  1. Nothing is acked before it is recorded. A failed record leaves the event unacked (the
//     producer, or the catch-up it asks for, brings it again), except when nobody would bring
//     it again: then it is handled unrecorded (answered at least once beats never).
//  2. One record per event id: websocket replays, webhook retries, catch-ups and the other
//     replicas' copies stop at recording (a duplicate is dropped).
//  3. One handler at a time: the lease. A replica handles an item only while it holds its
//     lease. An item recorded here less than half a lease ago is not due: nobody can have
//     claimed it, so it is not read back. Any other is read back first, and left alone when it
//     is done or leased to another replica (takenElsewhere); a claimed job whose lease lapsed
//     while it waited in a lane is skipped (stillMine).
//  4. Effects are done once by their own means: the meeting by its ledger entry and integration
//     tag (meeting_attempt.go), the designate's message and the notices by outbox jobs of their
//     own (jobs.go), a reply in a 1:1 space by looking for it before sending it again
//     (actonce.go). A turn handled again is a recheck: its replies are looked for first. A
//     bot cannot read its replies in a group space: there a reply may come twice after a
//     crash, never zero times.
//  5. The turn's state is written with the item's completion, in one transaction: never a state
//     stored for an event still pending, never an event done without its state.

// eventState is where an event is in its life.
type eventState string

const (
	eventReceived       eventState = "received"
	eventRecorded       eventState = "recorded"
	eventHandling       eventState = "handling"
	eventEffectsPending eventState = "effects_pending"
	eventDone           eventState = "done"
	eventRetry          eventState = "retry"
	eventFailed         eventState = "failed"
)

// eventLife is one event on its way, as its handler knows it: its state and its outbox item.
type eventLife struct {
	state eventState
	// itemID is the outbox item's id; "" when unknown (it is then read by key) or unrecorded.
	itemID string
	// due is the item's due time, when known.
	due time.Time
	// here is set when this replica's intake recorded the item just now (not claimed by the
	// poller, not unrecorded).
	here bool
	// received is when the event arrived (or its item was claimed), a wall-clock stamp
	// (clock.go), for the overhead measure.
	received time.Time
	// slowDown: the sender went over their limit with this event; it is answered with one
	// polite notice instead of a dialogue turn.
	slowDown bool
}

// receivedEvent is the life of an event taken in at received.
func receivedEvent(received time.Time) eventLife {
	return eventLife{state: eventReceived, received: received}
}

// claimedEvent is the life of an event whose item the poller claimed at claimed.
func claimedEvent(itemID string, claimed time.Time) eventLife {
	return eventLife{state: eventRecorded, itemID: itemID, received: claimed}
}

// recorded: received → recorded, by this replica's intake.
func (l *eventLife) recorded(it store.OutboxItem) {
	l.state, l.itemID, l.due, l.here = eventRecorded, it.ID, it.DueAt, true
}

// mayBeTaken reports whether another handler may have the event: always, unless this replica
// recorded it less than half a lease ago (not due yet, so nobody can have claimed it).
func (l eventLife) mayBeTaken(now time.Time, lease time.Duration) bool {
	return !l.here || !now.Before(l.due.Add(-lease/2))
}

// handling: recorded (or received and unrecorded) → handling.
func (l *eventLife) handling() { l.state = eventHandling }

// effectsPending: handling → effects pending, once the turn ran.
func (l *eventLife) effectsPending() { l.state = eventEffectsPending }

// take moves an event to handling, unless it is done or handled elsewhere (false). While the
// returned hold lasts, nobody else takes the event; release it before finishing or retrying.
func (b *Bot) take(ctx context.Context, eventID string, l *eventLife, log *zerolog.Logger) (*leaseHold, bool) {
	if l.mayBeTaken(b.now(), b.cfg.Lease) {
		// A takeover by the poller may find the event finished meanwhile, or being handled
		// by another replica.
		l.due = time.Time{}
		if it, err := b.store.GetOutboxItem(ctx, eventKey(eventID)); err == nil {
			if b.takenElsewhere(it) {
				log.Debug().Str("status", string(it.Status)).Msg("event already handled or being handled elsewhere")
				return nil, false
			}
			l.itemID, l.due = it.ID, it.DueAt
		}
	}
	l.handling()
	return b.holdLease(ctx, l.itemID, l.due), true
}

// acceptNow records an event durably (which also drops duplicates: websocket replays, webhook
// retries, several replicas) and hands it to its conversation's lane.
func (b *Bot) acceptNow(ctx context.Context, ev webexapi.Event) {
	received := ev.Ready
	if received.IsZero() {
		received = wallNow()
	}
	b.metrics.EventsReceived.WithLabelValues(string(ev.Source)).Inc()
	if ev.ID == "" {
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("malformed").Inc()
		b.log.Warn().Str("source", string(ev.Source)).Msg("event without id ignored")
		return
	}
	if b.isSelf(ev.PersonID, ev.PersonEmail) {
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("self").Inc()
		return
	}
	if ev.Source == webexapi.SourceWebhook && !ev.Created.IsZero() && b.now().Sub(ev.Created) > b.cfg.WebhookFreshness {
		// A signed body replayed long after (its record may have been pruned): not acted on.
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("stale").Inc()
		b.log.Warn().Str("event", ev.ID).Time("created", ev.Created).Msg("webhook event older than the freshness window ignored")
		return
	}
	key := laneKey(ev)
	adm := b.senders.admit(senderOf(ev), b.now())
	if adm == dropped {
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("rate_limited").Inc()
		return
	}
	if b.lanes.full(key) {
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("queue_full").Inc()
		b.log.Warn().Str("event", ev.ID).Msg("conversation queue full: event dropped")
		return
	}
	life := receivedEvent(received)
	life.slowDown = adm == slowDown
	// Handled right now by this replica; the poller takes it over only if this replica dies
	// before finishing (the lease).
	item, err := eventJob.item(uuid.NewString(), eventKey(ev.ID), ev, b.now().Add(b.cfg.Lease))
	if err != nil {
		ev.Accept(nil) // it will never encode: a redelivery would not help
		b.log.Error().Err(err).Str("event", ev.ID).Msg("cannot encode event")
		return
	}
	created, err := b.store.Enqueue(ctx, item)
	switch {
	case err != nil && ev.Accepted != nil:
		// The database is down: the producer does not acknowledge the event. Webex may
		// deliver it again, or not (no promised replay, no webhook retry): the catch-up
		// looks for it (a catch-up's own event is kept by that catch-up, for its retry).
		b.log.Error().Err(err).Str("event", ev.ID).Msg("cannot record event; the catch-up will find it")
		ev.Accept(err)
		if ev.Source != sourceCatchUp {
			since := ev.Created
			if since.IsZero() {
				since = b.now()
			}
			b.CatchUpSince(since, catchUpIntake)
		}
		return
	case err != nil:
		// Nobody will deliver it again: still answer the person, de-duplication is best effort.
		b.log.Error().Err(err).Str("event", ev.ID).Msg("cannot record event; handling it anyway")
	case !created:
		ev.Accept(nil)
		b.metrics.EventsDuplicate.Inc()
		b.log.Debug().Str("event", ev.ID).Msg("duplicate event dropped")
		return
	default:
		life.recorded(item)
		ev.Accept(nil) // recorded: Webex may now forget it
	}
	submit := b.lanes.submit
	if b.outsider(ev) {
		submit = b.lanes.submitLow // never ahead of the people the bot serves
	}
	if !submit(ctx, key, func(ctx context.Context) { b.handle(ctx, ev, life) }) {
		// Filled up meanwhile: the event is recorded, the poller takes it after its lease.
		b.metrics.EventsIgnored.WithLabelValues("queue_full").Inc()
	}
}

// handle processes one event fully and records the outcome.
func (b *Bot) handle(ctx context.Context, ev webexapi.Event, life eventLife) {
	start := b.now()
	if life.received.IsZero() {
		life.received = wallNow()
	}
	ctx, tr := withTracking(ctx)
	ctx, calls := webexapi.WithCallTime(ctx)
	log := b.log.With().Str("event", ev.ID).Str("source", string(ev.Source)).Logger()
	hold, ok := b.take(ctx, ev.ID, &life, &log)
	if !ok {
		return
	}
	// A turn not just recorded here may have been half done: its replies are looked for first.
	outcome, save, err := b.process(ctx, ev, !life.here, life.slowDown, &log)
	hold.release()
	if err != nil {
		outcome = "error"
		le := log.Error().Err(err)
		var ae *webexapi.APIError
		if errors.As(err, &ae) {
			le = le.Str("trackingId", ae.TrackingID)
		}
		le.Msg("event not handled; will retry")
		life.state = b.retryEvent(ctx, ev, life.itemID, err)
	} else {
		life.effectsPending()
		if b.finishEvent(ctx, ev.ID, life.itemID, save, &log) {
			life.state = eventDone
		}
	}
	b.metrics.observe(start, b.now())
	stats := EventStats{EventID: ev.ID, Total: wallSince(life.received), Webex: calls.Total()}
	stats.Overhead = max(0, stats.Total-stats.Webex)
	b.metrics.Overhead.Observe(stats.Overhead.Seconds())
	log.Info().Str("outcome", outcome).Str("state", string(life.state)).Dur("duration", b.now().Sub(start)).Dur("webex", stats.Webex).
		Strs("trackingIds", tr.list()).Msg("event handled")
	if b.OnStats != nil {
		b.OnStats(stats)
	}
	if b.OnHandled != nil {
		b.OnHandled(ev.ID)
	}
}

// retryEvent makes a failed event due again later (retry), or gives it up after too many
// attempts (failed). An item it cannot read stays pending: claimed again once its lease lapses.
func (b *Bot) retryEvent(ctx context.Context, ev webexapi.Event, itemID string, cause error) eventState {
	item, err := b.store.GetOutboxItem(ctx, eventKey(ev.ID))
	if err != nil {
		return eventRetry
	}
	var ae *webexapi.APIError
	permanent := errors.As(cause, &ae) && (ae.StatusCode == 400 || ae.StatusCode == 403 || ae.StatusCode == 404)
	if permanent || item.Attempts >= b.cfg.MaxSendAttempts {
		// Retrying cannot help (the bot was removed from the space, the message is gone) or
		// has not: stop re-running the turn.
		_ = b.store.Fail(ctx, item.ID, cause.Error())
		return eventFailed
	}
	_ = b.store.Retry(ctx, item.ID, b.now().Add(jobRetry.Delay(item.Attempts)), cause.Error())
	b.Poke()
	return eventRetry
}

// saveFunc writes what a handled turn leaves behind (the dialogue state), in the transaction
// that also marks its event handled.
type saveFunc func(ctx context.Context, q store.Queries) error

// finishEvent stores the turn's outcome and marks the event handled, in one transaction: one
// write instead of two, and never a state stored for an event still pending. When it fails,
// the event stays pending and is handled again after its lease (the replies may come twice).
// It reports whether the event is done.
func (b *Bot) finishEvent(ctx context.Context, eventID, itemID string, save saveFunc, log *zerolog.Logger) bool {
	if itemID == "" {
		if item, err := b.store.GetOutboxItem(ctx, eventKey(eventID)); err == nil {
			itemID = item.ID
		}
	}
	if save == nil && itemID == "" {
		return true // never recorded, nothing to store
	}
	err := b.store.WithTx(ctx, func(tx store.Tx) error {
		if save != nil {
			if err := save(ctx, tx); err != nil {
				return err
			}
		}
		if itemID == "" {
			return nil
		}
		return tx.Complete(ctx, itemID)
	})
	if err != nil {
		log.Error().Err(err).Msg("cannot store the dialogue and mark the event handled; it will be handled again")
		return false
	}
	return true
}

// resumeEvent handles an event left unfinished (its handler failed, or its process stopped).
func (b *Bot) resumeEvent(ctx context.Context, it store.OutboxItem, ev webexapi.Event, log *zerolog.Logger) {
	log.Info().Str("event", ev.ID).Msg("resuming an event left unfinished")
	if !b.stillMine(ctx, it) {
		log.Warn().Msg("event taken over or finished meanwhile; skipped")
		return
	}
	b.handle(ctx, ev, claimedEvent(it.ID, b.claimedAt(it)))
}

// claimedAt is when the poller claimed an item, as a wall-clock stamp (clock.go): its lease
// started at LeaseUntil - Lease by the bot's clock, that long ago.
func (b *Bot) claimedAt(it store.OutboxItem) time.Time {
	now := wallNow()
	if it.LeaseUntil.IsZero() {
		return now
	}
	return now.Add(-max(0, b.now().Sub(it.LeaseUntil.Add(-b.cfg.Lease))))
}

// takenElsewhere reports whether an event's outbox item shows that it needs no handling here:
// finished already, or leased by another replica that is handling it.
func (b *Bot) takenElsewhere(it store.OutboxItem) bool {
	if it.Status != store.OutboxPending {
		return true
	}
	return it.LeaseOwner != "" && it.LeaseOwner != b.cfg.Owner && it.LeaseUntil.After(b.now())
}
