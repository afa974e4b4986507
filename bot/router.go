package bot

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/relaisbot/relais/webexapi"
)

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
	job := jobRef{id: uuid.NewString(), due: b.now().Add(b.cfg.Lease), received: received}
	// Handled right now by this replica; the poller takes it over only if this replica dies
	// before finishing (the lease).
	item, err := eventJob.item(job.id, eventKey(ev.ID), ev, job.due)
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
		job = jobRef{received: received}
	case !created:
		ev.Accept(nil)
		b.metrics.EventsDuplicate.Inc()
		b.log.Debug().Str("event", ev.ID).Msg("duplicate event dropped")
		return
	default:
		ev.Accept(nil) // recorded: Webex may now forget it
		job.fresh = true
	}
	b.lanes.submit(ctx, laneKey(ev), func(ctx context.Context) { b.handle(ctx, ev, job) })
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
