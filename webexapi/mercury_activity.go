package webexapi

import (
	"context"
	"encoding/base64"
	"strings"
	"time"
)

// toEvent turns a conversation activity into an Event. ok is false for activities that are
// skipped: other verbs (edits, deletions, people leaving…), the bot's own posts, other bots.
// Messages and card actions need two REST calls: the conversation-URL lookup of the REST id,
// then the message or attachment action. When either fails for a passing reason, the event is
// handed over unresolved (Event.Unresolved) for the consumer to record and resolve later, rather
// than the connection be torn down for one activity. err is left for what is gone for good
// (IsPermanent) and for the end of ctx.
func (l *Listener) toEvent(ctx context.Context, s *session, a *mercuryActv) (ev Event, ok bool, err error) {
	if a == nil {
		return Event{}, false, nil
	}
	if a.Verb == verbAdd {
		return l.membershipEvent(ctx, s, a) // mercury_membership.go
	}
	if !consumedVerb(a.Verb) {
		l.o.log.Debug().Str("verb", a.Verb).Str("activity", a.ID).Msg("activity skipped: not a new message or card submission")
		return Event{}, false, nil
	}
	if !isPerson(a) || (s.meUUID != "" && strings.EqualFold(a.Actor.ID, s.meUUID)) {
		return Event{}, false, nil // the bot itself, other bots, machines
	}
	ref, err := activityRef(a)
	if err != nil {
		return Event{}, false, err
	}
	kind := restKind(a.Verb)
	if cl, ok := l.clusters.get(a.Target.ID); ok {
		// The conversation's cluster is known: its REST id without the lookup's round trip.
		// Any failure falls back to the lookup (a built id is never handed over unchecked),
		// and a refusal (404, or another 4xx) also forgets the cluster.
		built := ref
		built.RESTID = buildRESTID(cl, kind, a.ID)
		ev, err := l.lookups.readActivity(ctx, built)
		if err == nil {
			return l.own(s, ev)
		}
		if ctx.Err() != nil {
			return Event{}, false, ctx.Err()
		}
		if IsPermanent(err) {
			l.clusters.forget(a.Target.ID)
		}
	}
	restID, err := l.lookups.lookupRESTID(ctx, ref)
	if err != nil {
		return l.unresolved(ctx, ref, err)
	}
	if cl, ok := clusterOf(restID, kind, a.ID); ok && buildRESTID(cl, kind, a.ID) == restID {
		// Learnt only when the id built from it is the very id Webex gave: an event then has
		// one id however it was found (the de-duplication key).
		l.clusters.put(a.Target.ID, cl)
	}
	ref.RESTID = restID
	ev, err = l.lookups.readActivity(ctx, ref)
	if err != nil {
		return l.unresolved(ctx, ref, err)
	}
	return l.own(s, ev)
}

// own drops the bot's own messages (seen by REST id once the message is read).
func (l *Listener) own(s *session, ev Event) (Event, bool, error) {
	if ev.Message != nil && s.me != nil && ev.Message.PersonID == s.me.ID {
		return Event{}, false, nil
	}
	return ev, true, nil
}

// unresolved decides what a failed read of an activity's object becomes: the error itself when
// it is final (gone for good, or ctx ended), an unresolved event otherwise.
func (l *Listener) unresolved(ctx context.Context, ref ActivityRef, err error) (Event, bool, error) {
	if ctx.Err() != nil {
		return Event{}, false, ctx.Err()
	}
	if IsPermanent(err) {
		return Event{}, false, err
	}
	l.o.log.Info().Err(err).Str("activity", ref.ActivityID).Bool("restIdKnown", ref.RESTID != "").
		Msg("activity handed over unresolved: Webex did not answer for now")
	return unresolvedEvent(ref), true, nil
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
