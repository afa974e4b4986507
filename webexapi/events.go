package webexapi

import "time"

// EventKind says what happened in Webex.
type EventKind string

// Event kinds produced by the websocket listener and the webhook receiver alike.
const (
	// EventMessageCreated: someone posted a message the bot can see (in a 1:1 space, or a
	// group space message that mentions the bot), including thread replies.
	EventMessageCreated EventKind = "message.created"
	// EventCardSubmitted: someone pressed an Action.Submit button of one of the bot's cards.
	EventCardSubmitted EventKind = "card.submitted"
	// EventMembershipCreated: someone was added to a space the bot is in; the bot itself when
	// it is added to a space (Member* say who was added, Person* who added them).
	EventMembershipCreated EventKind = "membership.created"
)

// EventSource says how an event reached Relais.
type EventSource string

// Event sources.
const (
	SourceWebsocket EventSource = "websocket"
	SourceWebhook   EventSource = "webhook"
)

// Event is one typed Webex event. Its content is opaque, as with Webex: fetch the message
// (GET /messages/{ID}) or the attachment action (GET /attachment/actions/{ID}) over REST.
type Event struct {
	Kind   EventKind   `json:"kind"`
	Source EventSource `json:"source"`
	// ID is the REST id of the message (EventMessageCreated) or of the attachment action
	// (EventCardSubmitted). It is the de-duplication key.
	ID string `json:"id"`
	// RoomID and RoomType ("direct" or "group") of the space.
	RoomID   string `json:"roomId,omitempty"`
	RoomType string `json:"roomType,omitempty"`
	// PersonID and PersonEmail of the author (or of the person who submitted the card).
	PersonID    string `json:"personId,omitempty"`
	PersonEmail string `json:"personEmail,omitempty"`
	// ParentID is the thread's parent message id for thread replies.
	ParentID string `json:"parentId,omitempty"`
	// MessageID is, for a card submission, the id of the card's message.
	MessageID string `json:"messageId,omitempty"`
	// MemberID and MemberEmail are, for a membership, the person added to the space (MemberID
	// may be empty from the websocket, which gives the e-mail).
	MemberID    string    `json:"memberId,omitempty"`
	MemberEmail string    `json:"memberEmail,omitempty"`
	Created     time.Time `json:"created,omitempty"`

	// Message is the message already fetched by the websocket listener (which must fetch it to
	// learn the room and author); nil from webhooks: then GET /messages/{ID}.
	Message *Message `json:"message,omitempty"`
	// Action is the attachment action already fetched by the websocket listener; nil from
	// webhooks: then GET /attachment/actions/{ID}.
	Action *AttachmentAction `json:"action,omitempty"`
	// Unresolved, set only by the websocket listener, marks an activity whose object could not
	// be read yet for a passing reason (a 429, a 5xx, a timeout): ID, RoomID and PersonID are
	// then empty, and the consumer records the reference durably before accepting the event,
	// then resolves it later with Client.ResolveActivity, honouring Retry-After.
	Unresolved *ActivityRef `json:"unresolved,omitempty"`

	// Accepted, set by a producer built with WithAcceptance / WithWebhookAcceptance, waits for
	// the consumer's word: the consumer sends nil once it has recorded the event durably (or an
	// error), and only then does the producer acknowledge it to Webex (ack the frame, answer
	// 200). Nil otherwise: the hand-off itself is the acknowledgement.
	Accepted chan<- error `json:"-"`
	// Ready is when the producer had the event ready to hand over (after the websocket
	// listener's lookups, once a webhook's signature was checked): the consumer's own time
	// starts there, waiting for its hand-off included.
	Ready time.Time `json:"-"`
}

// Accept reports to the producer that the event was recorded (err nil) or not. It does nothing
// for producers that do not wait for it, and never blocks.
func (e Event) Accept(err error) {
	if e.Accepted == nil {
		return
	}
	select {
	case e.Accepted <- err:
	default:
	}
}
