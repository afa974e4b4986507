package webexapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ActivityRef is what a websocket activity says of itself before its REST object (the message or
// the card submission) was read: enough to read it later, even after a restart. The listener
// hands it over in Event.Unresolved when reading the object failed for a passing reason (a 429
// with a long Retry-After, a 5xx, a timeout); the consumer records it and calls
// Client.ResolveActivity until Webex answers.
type ActivityRef struct {
	// ActivityID is the conversation activity's id (a UUID; the REST id's last segment).
	ActivityID string `json:"activityId"`
	// Verb is "post", "share" (a message with files) or "cardAction".
	Verb string `json:"verb"`
	// ConversationID is the space's conversation id (a UUID; the room id's last segment).
	ConversationID string `json:"conversationId"`
	// LookupURL is the conversation-service URL that turns the activity id into a REST id.
	LookupURL string `json:"lookupUrl"`
	// RESTID is the object's REST id once known (the lookup went through, the read did not).
	RESTID string `json:"restId,omitempty"`
	// ActorID and ActorEmail are the author (ActorID is a UUID, not a REST person id).
	ActorID    string `json:"actorId"`
	ActorEmail string `json:"actorEmail,omitempty"`
	// RoomType is "direct" or "group", from the activity's tags.
	RoomType  string    `json:"roomType,omitempty"`
	Published time.Time `json:"published,omitzero"`
}

// OrderKey names the reference's conversation for ordering: "<space uuid>|<author uuid>", the
// same key as Event.OrderKey gives the event once resolved.
func (r ActivityRef) OrderKey() string {
	if r.ConversationID == "" || r.ActorID == "" {
		return ""
	}
	return strings.ToLower(r.ConversationID + "|" + r.ActorID)
}

// OrderKey names the conversation (space and author) an event belongs to, in a form an
// unresolved event and a resolved one share, so that a consumer can keep a conversation's
// events in order across both; "" when unknown.
func (e Event) OrderKey() string {
	if e.Unresolved != nil {
		return e.Unresolved.OrderKey()
	}
	room, person := uuidFromRESTID(e.RoomID), uuidFromRESTID(e.PersonID)
	if room == "" || person == "" {
		return ""
	}
	return strings.ToLower(room + "|" + person)
}

// UUIDOf returns the uuid a REST id names ("ciscospark://us/PEOPLE/<uuid>" → "<uuid>"), or ""
// when id is not a REST id. An activity's id is its message's uuid.
func UUIDOf(restID string) string { return uuidFromRESTID(restID) }

// IsPermanent reports whether reading an activity's object failed for good: the message was
// deleted (404), the bot left or was removed from the space (403), the frame was malformed.
// Anything else (429, 5xx, 401, 408, timeouts) may pass and is worth retrying.
func IsPermanent(err error) bool {
	if errors.Is(err, errMalformedFrame) {
		return true
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusLocked, http.StatusTooManyRequests:
			return false
		}
		return apiErr.StatusCode >= 400 && apiErr.StatusCode < 500
	}
	return false
}

// activityRef builds the reference of an activity the bot consumes (post, share, cardAction).
func activityRef(a *mercuryActv) (ActivityRef, error) {
	lookup, err := restLookupURL(a)
	if err != nil {
		return ActivityRef{}, err
	}
	return ActivityRef{
		ActivityID:     a.ID,
		Verb:           a.Verb,
		ConversationID: a.Target.ID,
		LookupURL:      lookup,
		ActorID:        a.Actor.ID,
		ActorEmail:     a.Actor.EmailAddress,
		RoomType:       roomTypeOf(a.Target.Tags),
		Published:      parseTime(a.Published),
	}, nil
}

// ResolveActivity reads an activity's REST object (first its REST id, unless ref has it) and
// returns its event, as the websocket listener would have. Errors that IsPermanent reports mean
// the activity is gone for good; others may pass (an *APIError's RetryAfter says when to try
// again).
func (c *Client) ResolveActivity(ctx context.Context, ref ActivityRef) (Event, error) {
	if ref.RESTID == "" {
		id, err := c.lookupRESTID(ctx, ref)
		if err != nil {
			return Event{}, err
		}
		ref.RESTID = id
	}
	return c.readActivity(ctx, ref)
}

// lookupRESTID asks the conversation service for the REST id of an activity's object.
func (c *Client) lookupRESTID(ctx context.Context, ref ActivityRef) (string, error) {
	if !c.trustedHost(ref.LookupURL) {
		// The bot token goes with this request: only to Webex (or the API host configured).
		return "", fmt.Errorf("%w: conversation url outside Webex", errMalformedFrame)
	}
	var out struct {
		ID string `json:"id"`
	}
	if _, err := c.doURL(ctx, http.MethodGet, ref.LookupURL, nil, &out); err != nil {
		return "", fmt.Errorf("look up REST id of activity %s: %w", ref.ActivityID, err)
	}
	if out.ID == "" {
		return "", fmt.Errorf("%w: REST id lookup of activity %s gave no id", errMalformedFrame, ref.ActivityID)
	}
	return out.ID, nil
}

// readActivity reads the object of ref.RESTID and makes the event of it.
func (c *Client) readActivity(ctx context.Context, ref ActivityRef) (Event, error) {
	if ref.Verb == verbCardAction {
		act, err := c.AttachmentActions.Get(ctx, ref.RESTID)
		if err != nil {
			return Event{}, err
		}
		return Event{
			Kind:        EventCardSubmitted,
			Source:      SourceWebsocket,
			ID:          act.ID,
			RoomID:      act.RoomID,
			RoomType:    ref.RoomType,
			PersonID:    act.PersonID,
			PersonEmail: ref.ActorEmail,
			MessageID:   act.MessageID,
			Created:     parseTime(act.Created),
			Action:      act,
		}, nil
	}
	// post and share: a message (its files are not read; its text is what matters).
	m, err := c.Messages.Get(ctx, ref.RESTID)
	if err != nil {
		return Event{}, err
	}
	return Event{
		Kind:        EventMessageCreated,
		Source:      SourceWebsocket,
		ID:          m.ID,
		RoomID:      m.RoomID,
		RoomType:    m.RoomType,
		PersonID:    m.PersonID,
		PersonEmail: m.PersonEmail,
		ParentID:    m.ParentID,
		Created:     parseTime(m.Created),
		Message:     m,
	}, nil
}

// unresolvedEvent is the event handed over for an activity whose object could not be read yet.
func unresolvedEvent(ref ActivityRef) Event {
	kind := EventMessageCreated
	if ref.Verb == verbCardAction {
		kind = EventCardSubmitted
	}
	return Event{Kind: kind, Source: SourceWebsocket, RoomType: ref.RoomType, PersonEmail: ref.ActorEmail,
		Created: ref.Published, Unresolved: &ref}
}

// consumedVerb reports whether the bot consumes activities of this verb: new messages (post,
// and share for a message with files) and card submissions. Edits ("update"), deletions
// ("delete"), people leaving or being added, read receipts… are not events for the bot.
func consumedVerb(verb string) bool {
	return verb == verbPost || verb == verbShare || verb == verbCardAction
}

// isPerson reports whether the activity's author is a person (not a bot or a machine).
func isPerson(a *mercuryActv) bool { return strings.EqualFold(a.Actor.Type, "PERSON") }
