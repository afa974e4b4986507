package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Outbox kinds of the bot's durable jobs.
const (
	kindEvent        = "event"        // an incoming Webex event, kept until fully handled
	kindDesignate    = "designate"    // the designate's 1:1 message with the host key
	kindCancelNotice = "cancelnotice" // the designate is told their meeting was cancelled
)

func eventKey(id string) string         { return "event:" + id }
func designateKey(ledger string) string { return "designate:" + ledger }

// jobPayload is the payload of designate, cancel-notice and reminder jobs: ids only, never a
// host key or a password (they are fetched from Webex when the job runs).
type jobPayload struct {
	MeetingID string `json:"meetingId"`
	// Before is the meeting as it was before a change (changed and released jobs).
	Before *meetingBefore `json:"before,omitempty"`
}

// Submit hands one event to the bot, as the websocket listener and the webhook receiver do
// through Run's channel.
func (b *Bot) Submit(ctx context.Context, ev webexapi.Event) { b.accept(ctx, ev) }

// accept takes an event in: one the listener could not read yet, or one whose conversation waits
// for such a one, goes to the intake (intake_retry.go); any other is recorded and handled now.
func (b *Bot) accept(ctx context.Context, ev webexapi.Event) {
	if ev.Unresolved != nil {
		b.recordUnresolved(ctx, ev) // resolved later, then recorded with acceptNow
		return
	}
	if b.deferBehindUnresolved(ctx, ev) {
		return
	}
	b.acceptNow(ctx, ev)
}

// acceptNow records an event durably (which also drops duplicates: websocket replays, webhook
// retries, several replicas) and hands it to its conversation's lane.
func (b *Bot) acceptNow(ctx context.Context, ev webexapi.Event) {
	received := ev.Ready
	if received.IsZero() {
		received = time.Now()
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
	payload, err := json.Marshal(ev)
	if err != nil {
		ev.Accept(nil) // it will never encode: a redelivery would not help
		b.log.Error().Err(err).Str("event", ev.ID).Msg("cannot encode event")
		return
	}
	job := jobRef{id: uuid.NewString(), due: b.now().Add(b.cfg.Lease), received: received, slowDown: adm == slowDown}
	created, err := b.store.Enqueue(ctx, store.OutboxItem{
		ID: job.id, Key: eventKey(ev.ID), Kind: kindEvent, Payload: payload,
		// Handled right now by this replica; the poller takes it over only if this replica
		// dies before finishing (the lease).
		DueAt: job.due,
	})
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
		job = jobRef{received: received, slowDown: adm == slowDown}
	case !created:
		ev.Accept(nil)
		b.metrics.EventsDuplicate.Inc()
		b.log.Debug().Str("event", ev.ID).Msg("duplicate event dropped")
		return
	default:
		ev.Accept(nil) // recorded: Webex may now forget it
		job.fresh = true
	}
	submit := b.lanes.submit
	if b.outsider(ev) {
		submit = b.lanes.submitLow // never ahead of the people the bot serves
	}
	if !submit(ctx, key, func(ctx context.Context) { b.handle(ctx, ev, job) }) {
		// Filled up meanwhile: the event is recorded, the poller takes it after its lease.
		b.metrics.EventsIgnored.WithLabelValues("queue_full").Inc()
	}
}

// outsider reports whether the event's author is known, before any lookup, to be outside the
// allowed domains (the websocket listener has read the message already).
func (b *Bot) outsider(ev webexapi.Event) bool {
	if len(b.cfg.AllowedDomains) == 0 {
		return false
	}
	email := ev.PersonEmail
	if email == "" && ev.Message != nil {
		email = ev.Message.PersonEmail
	}
	return email != "" && !b.domainAllowed(email)
}

// senderOf is the author of an event, as far as it is known before any lookup.
func senderOf(ev webexapi.Event) string {
	if ev.PersonID != "" {
		return ev.PersonID
	}
	if ev.Message != nil && ev.Message.PersonID != "" {
		return ev.Message.PersonID
	}
	if ev.Action != nil {
		return ev.Action.PersonID
	}
	return ev.PersonEmail
}

func (b *Bot) isSelf(personID, email string) bool {
	return (personID != "" && personID == b.me.ID) || (email != "" && strings.EqualFold(email, b.me.Email()))
}

// laneKey orders events before their message is known: by room and person (a coarser key than
// the conversation's, so order within a conversation is kept).
func laneKey(ev webexapi.Event) string {
	room, person := ev.RoomID, ev.PersonID
	if ev.Message != nil {
		room, person = ev.Message.RoomID, ev.Message.PersonID
	}
	if room == "" && person == "" {
		return "event:" + ev.ID
	}
	return room + "|" + person
}

// conversationKey is (space, thread, person). In a 1:1 space there is one conversation per
// person; in a group space a request and the answers in its thread form one conversation.
func conversationKey(roomID, roomType, threadRoot, personID string) string {
	if roomType == "direct" {
		return "d|" + roomID + "|" + personID
	}
	return "g|" + roomID + "|" + threadRoot + "|" + personID
}
