package bot

// An activity the websocket listener could not read at once (Webex answered its lookup 429 with
// a long Retry-After, 5xx, or not at all) reaches the bot unresolved (webexapi.Event.Unresolved):
// a reference, no message yet. Nothing may depend on Webex sending it again, so:
//
//  1. recordUnresolved stores the reference durably, as an outbox job of kind "intake" keyed by
//     the activity id, and only then lets the listener ack the frame;
//  2. the outbox poller runs the job (runIntake), in a lane per conversation so that one
//     person's activities resolve in order, while other conversations go on (the jobs' ids are
//     time-ordered, and the shared backoff gives them one due time, so they are claimed in
//     arrival order); a later event of that conversation that arrives resolved waits behind
//     them (deferBehindUnresolved), as the design wants a conversation handled in order;
//  3. resolveIntake asks Webex again, unless the shared backoff says to wait: every lookup goes
//     to the same service with the same token, so a Retry-After seen by one holds them all;
//  4. once resolved, the event takes the normal path (acceptNow): recorded under its message
//     id, which drops it if the listener or a catch-up had it already, then handled.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// kindIntake is the outbox kind of an activity waiting to be resolved.
const kindIntake = "intake"

// lookupRetryPolicy is the retry policy of activity lookups, the listener's and the bot's: a
// short Retry-After or one 5xx is waited for in line; anything longer is recorded and retried
// with the shared backoff, without holding a frame unacked or a worker busy.
var lookupRetryPolicy = webexapi.RetryPolicy{MaxAttempts: 3, MaxRetryAfter: 2 * time.Second}

// intakeMaxAge is how long an activity is retried before it is given up (and logged).
const intakeMaxAge = 24 * time.Hour

func intakeKey(activityID string) string { return "intake:" + activityID }

// intakeOrder remembers, per conversation (webexapi.Event.OrderKey), the activities this process
// recorded in the intake and has not seen finished. The store has the last word (another
// replica may have resolved them). After a restart it starts empty: the jobs left then still
// resolve, in arrival order, but a new event does not wait behind them.
type intakeOrder struct {
	mu      sync.Mutex
	pending map[string]map[string]bool // conversation → activity ids
}

func (o *intakeOrder) add(key, activityID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == nil {
		o.pending = map[string]map[string]bool{}
	}
	if o.pending[key] == nil {
		o.pending[key] = map[string]bool{}
	}
	o.pending[key][activityID] = true
}

func (o *intakeOrder) done(key, activityID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.pending[key], activityID)
	if len(o.pending[key]) == 0 {
		delete(o.pending, key)
	}
}

// ids returns the activities of conversation key not seen finished.
func (o *intakeOrder) ids(key string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for id := range o.pending[key] {
		out = append(out, id)
	}
	return out
}

// intakeBackoff is the one wait shared by every unresolved activity: a Retry-After from Webex,
// or an exponential backoff over consecutive failures, reset by a success.
type intakeBackoff struct {
	mu       sync.Mutex
	until    time.Time
	failures int
}

// notBefore is the instant before which no lookup is sent.
func (g *intakeBackoff) notBefore() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// failed records a passing failure at now and returns when to try again.
func (g *intakeBackoff) failed(now time.Time, err error) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures++
	var retryAfter time.Duration
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		retryAfter = ae.RetryAfter
	}
	wait := jobRetry.After(g.failures, retryAfter)
	if until := now.Add(wait); until.After(g.until) {
		g.until = until
	}
	return g.until
}

func (g *intakeBackoff) succeeded() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures = 0
}

// recordUnresolved records an unresolved activity before the listener may ack its frame.
func (b *Bot) recordUnresolved(ctx context.Context, ev webexapi.Event) {
	b.recordIntake(ctx, ev, *ev.Unresolved, "activity recorded unresolved; the bot will read it when Webex answers")
}

// deferBehindUnresolved records a resolved event as an intake job when its conversation has
// activities still unresolved, so that it is handled after them. It reports whether it did.
func (b *Bot) deferBehindUnresolved(ctx context.Context, ev webexapi.Event) bool {
	key := ev.OrderKey()
	if key == "" || !b.unresolvedIn(ctx, key) {
		return false
	}
	conversation, actor, _ := strings.Cut(key, "|")
	ref := webexapi.ActivityRef{ActivityID: webexapi.UUIDOf(ev.ID), Verb: "post", ConversationID: conversation,
		RESTID: ev.ID, ActorID: actor, ActorEmail: ev.PersonEmail, RoomType: ev.RoomType, Published: ev.Created}
	if ev.Kind == webexapi.EventCardSubmitted {
		ref.Verb = "cardAction"
	}
	if ref.ActivityID == "" {
		return false
	}
	b.recordIntake(ctx, ev, ref, "event waits behind an unresolved one of its conversation")
	return true
}

// unresolvedIn reports whether conversation key has intake jobs still pending, forgetting those
// the store says are finished (by this replica or another).
func (b *Bot) unresolvedIn(ctx context.Context, key string) bool {
	waiting := false
	for _, id := range b.intakeOrder.ids(key) {
		it, err := b.store.GetOutboxItem(ctx, intakeKey(id))
		switch {
		case errors.Is(err, store.ErrNotFound), err == nil && it.Status != store.OutboxPending:
			b.intakeOrder.done(key, id)
		default: // pending, or cannot tell: keep the order
			waiting = true
		}
	}
	return waiting
}

// recordIntake records ref as an intake job, then accepts ev (the listener may ack its frame);
// when the record fails the frame is not acked (Event.Accept with the error).
func (b *Bot) recordIntake(ctx context.Context, ev webexapi.Event, ref webexapi.ActivityRef, msg string) {
	log := b.log.With().Str("activity", ref.ActivityID).Logger()
	if ref.ActivityID == "" {
		ev.Accept(nil)
		b.metrics.EventsIgnored.WithLabelValues("malformed").Inc()
		log.Warn().Msg("unresolved activity without id ignored")
		return
	}
	// The listener has just failed: the first retry waits a little, or as long as the others.
	due := b.now().Add(jobRetry.Delay(1))
	if wait := b.intakeWait.notBefore(); wait.After(due) {
		due = wait
	}
	// A time-ordered id: jobs due at the same instant are claimed in arrival order.
	id, err := uuid.NewV7()
	if err != nil {
		id = uuid.New()
	}
	item, err := intakeJob.item(id.String(), intakeKey(ref.ActivityID), ref, due)
	if err != nil {
		ev.Accept(nil) // it will never encode: a redelivery would not help
		log.Error().Err(err).Msg("cannot encode unresolved activity")
		return
	}
	created, err := b.store.Enqueue(ctx, item)
	if err != nil {
		log.Error().Err(err).Msg("cannot record unresolved activity; its frame stays unacked")
		ev.Accept(err)
		if ev.Source != sourceCatchUp {
			// Webex may not send the frame again: the catch-up looks for it.
			b.CatchUpSince(b.now(), catchUpIntake)
		}
		return
	}
	ev.Accept(nil)
	if !created {
		log.Debug().Msg("unresolved activity already recorded")
		return
	}
	b.intakeOrder.add(ref.OrderKey(), ref.ActivityID)
	if ev.Unresolved != nil {
		b.metrics.Intake.Unresolved.Inc()
	}
	log.Info().Time("retryAt", due).Msg(msg)
}

// resolveIntake tries to read a recorded activity, and feeds it to the normal path once read.
func (b *Bot) resolveIntake(ctx context.Context, it store.OutboxItem, ref webexapi.ActivityRef, log *zerolog.Logger) {
	if !b.stillMine(ctx, it) {
		log.Debug().Msg("intake job taken over or finished meanwhile; skipped")
		return
	}
	now := b.now()
	if wait := b.intakeWait.notBefore(); now.Before(wait) {
		_ = b.store.Retry(ctx, it.ID, wait, "waiting for Webex (shared backoff)")
		return
	}
	ev, err := b.lookups.ResolveActivity(ctx, ref)
	switch {
	case err == nil:
		b.intakeWait.succeeded()
		b.metrics.Intake.Resolutions.WithLabelValues("resolved").Inc()
		log.Info().Str("event", ev.ID).Dur("late", now.Sub(it.CreatedAt)).Msg("unresolved activity read; handling it")
		b.intakeOrder.done(ref.OrderKey(), ref.ActivityID)
		b.acceptNow(ctx, ev) // recorded under its message id first: a duplicate is dropped there
		if err := b.store.Complete(ctx, it.ID); err != nil {
			log.Warn().Err(err).Msg("cannot mark the intake job done; it resolves again (harmlessly)")
		}
	case webexapi.IsPermanent(err):
		b.metrics.Intake.Resolutions.WithLabelValues("gone").Inc()
		log.Debug().Err(err).Msg("unresolved activity skipped: its object is gone")
		b.intakeOrder.done(ref.OrderKey(), ref.ActivityID)
		_ = b.store.Complete(ctx, it.ID)
	case now.Sub(it.CreatedAt) > intakeMaxAge:
		b.metrics.Intake.Resolutions.WithLabelValues("given_up").Inc()
		log.Warn().Err(err).Msg("unresolved activity given up: Webex has not answered for a day")
		b.intakeOrder.done(ref.OrderKey(), ref.ActivityID)
		_ = b.store.Fail(ctx, it.ID, err.Error())
	default:
		next := b.intakeWait.failed(now, err)
		b.metrics.Intake.Resolutions.WithLabelValues("retry").Inc()
		log.Info().Err(err).Time("retryAt", next).Msg("unresolved activity: Webex still does not answer; retrying later")
		_ = b.store.Retry(ctx, it.ID, next, err.Error())
	}
}
