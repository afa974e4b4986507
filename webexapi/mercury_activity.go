package webexapi

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// toEvent turns a conversation activity into an Event. ok is false for activities that are
// ignored: other verbs, the bot's own posts, other bots. Posts and card actions need two REST
// calls: the conversation-URL lookup of the REST id, then the message or attachment action.
func (l *Listener) toEvent(ctx context.Context, s *session, a *mercuryActv) (ev Event, ok bool, err error) {
	if a != nil && a.Verb == verbAdd {
		return l.membershipEvent(ctx, s, a) // mercury_membership.go
	}
	if a == nil || (a.Verb != verbPost && a.Verb != verbCardAction) {
		return Event{}, false, nil
	}
	if !strings.EqualFold(a.Actor.Type, "PERSON") {
		return Event{}, false, nil // the bot itself, other bots, machines
	}
	if s.meUUID != "" && strings.EqualFold(a.Actor.ID, s.meUUID) {
		return Event{}, false, nil
	}
	lookup, err := restLookupURL(a)
	if err != nil {
		return Event{}, false, err
	}
	if !l.c.trustedHost(lookup) {
		// The bot token goes with this request: only to Webex (or the API host configured).
		return Event{}, false, fmt.Errorf("%w: conversation url outside Webex", errMalformedFrame)
	}
	kind := restKind(a.Verb)
	if cl, ok := l.clusters.get(a.Target.ID); ok {
		// The conversation's cluster is known: its REST id without the lookup's round trip.
		// Any failure falls back to the lookup (a built id is never handed over unchecked),
		// and a refusal (404, or another 4xx) also forgets the cluster.
		ev, ok, err := l.fetch(ctx, s, a, buildRESTID(cl, kind, a.ID), true)
		if err == nil || ctx.Err() != nil {
			return ev, ok, err
		}
		if permanent(err) {
			l.clusters.forget(a.Target.ID)
		}
	}
	var ref struct {
		ID string `json:"id"`
	}
	if _, err := l.c.doURL(ctx, http.MethodGet, lookup, nil, &ref); err != nil {
		return Event{}, false, fmt.Errorf("look up REST id of activity %s: %w", a.ID, err)
	}
	if ref.ID == "" {
		return Event{}, false, fmt.Errorf("%w: REST id lookup of activity %s gave no id", errMalformedFrame, a.ID)
	}
	if cl, ok := clusterOf(ref.ID, kind, a.ID); ok && buildRESTID(cl, kind, a.ID) == ref.ID {
		// Learnt only when the id built from it is the very id Webex gave: an event then has
		// one id however it was found (the de-duplication key).
		l.clusters.put(a.Target.ID, cl)
	}
	return l.fetch(ctx, s, a, ref.ID, false)
}

// fetch reads the activity's REST object (its message or card action) by its REST id and makes
// the event of it. When the object cannot be read for a passing reason, an id Webex gave
// (built false) is handed over bare, for the consumer to read later; a built one is not.
func (l *Listener) fetch(ctx context.Context, s *session, a *mercuryActv, restID string, built bool) (Event, bool, error) {
	ref := struct{ ID string }{restID}
	switch a.Verb {
	case verbPost:
		m, err := l.c.Messages.Get(ctx, ref.ID)
		if err != nil {
			if ctx.Err() == nil && !permanent(err) && !built {
				// The REST id is known: hand the event over without its message, which the
				// consumer fetches (and retries durably) itself, rather than tear the
				// connection down and have every conversation wait for a replay.
				return l.bareEvent(EventMessageCreated, ref.ID, a), true, nil
			}
			return Event{}, false, err
		}
		if s.me != nil && m.PersonID == s.me.ID {
			return Event{}, false, nil
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
		}, true, nil
	default: // cardAction
		act, err := l.c.AttachmentActions.Get(ctx, ref.ID)
		if err != nil {
			if ctx.Err() == nil && !permanent(err) && !built {
				return l.bareEvent(EventCardSubmitted, ref.ID, a), true, nil
			}
			return Event{}, false, err
		}
		return Event{
			Kind:        EventCardSubmitted,
			Source:      SourceWebsocket,
			ID:          act.ID,
			RoomID:      act.RoomID,
			RoomType:    roomTypeOf(a.Target.Tags),
			PersonID:    act.PersonID,
			PersonEmail: a.Actor.EmailAddress,
			MessageID:   act.MessageID,
			Created:     parseTime(act.Created),
			Action:      act,
		}, true, nil
	}
}

// bareEvent is what the activity itself says, when the REST object could not be read.
func (l *Listener) bareEvent(kind EventKind, id string, a *mercuryActv) Event {
	return Event{Kind: kind, Source: SourceWebsocket, ID: id, RoomType: roomTypeOf(a.Target.Tags),
		PersonEmail: a.Actor.EmailAddress, Created: parseTime(a.Published)}
}

// uuidFromRESTID returns the last path segment of a decoded REST id
// ("ciscospark://us/PEOPLE/<uuid>" → "<uuid>"), or "" if id is not one.
func uuidFromRESTID(id string) string {
	s, ok := decodeRESTID(id)
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 && i < len(s)-1 {
		return s[i+1:]
	}
	return ""
}

// decodeRESTID returns what follows "ciscospark://" in a REST id (base64, padded or not, standard
// or URL alphabet): "us/PEOPLE/<uuid>", "urn:TEAM:us-west-2_r/MESSAGE/<uuid>".
func decodeRESTID(id string) (string, bool) {
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.StdEncoding, base64.RawURLEncoding, base64.URLEncoding} {
		b, err := enc.DecodeString(id)
		if err != nil {
			continue
		}
		if rest, ok := strings.CutPrefix(string(b), "ciscospark://"); ok {
			return rest, true
		}
	}
	return "", false
}

// parseTime reads an RFC 3339 timestamp; zero if absent or bad.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
