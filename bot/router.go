package bot

import (
	"context"
	"strings"

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
//
// The store's conversations hold, beside the dialogues, a few small records; each key prefix
// has one writer and one reader, and one shape of state:
//
//	d|<room>|<person>, g|<room>|<thread>|<person>   conversations.State   conversationKey (turn.go)
//	gp|<room>|<person>                              thread root (string)  openThreadKey (turn.go)
//	card|<message>|<person>, seen|<room>|<person>,
//	greeted|<room>                                  true (a marker)       cards.go
//	relais|catchup-mark                             an instant            markKey (catchup.go)
func conversationKey(roomID, roomType, threadRoot, personID string) string {
	if roomType == "direct" {
		return "d|" + roomID + "|" + personID
	}
	return "g|" + roomID + "|" + threadRoot + "|" + personID
}
