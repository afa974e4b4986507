package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// This file holds what the bot does for cards and greetings: it remembers which cards were
// answered, who was already greeted, and sends a reply's card. What is said stays in the
// dialogue (conversations/cards.go, conversations/greeting.go).

// markerRetention is how long a card answered or a person greeted is remembered: long enough
// that an old card is never answered twice, and a person never greeted twice.
const markerRetention = 5 * 365 * 24 * time.Hour

// answeredCardKey is per person: in a group space, someone else pressing the organizer's card
// must not use it up.
func answeredCardKey(messageID, personID string) string { return "card|" + messageID + "|" + personID }

func seenKey(roomID, personID string) string { return "seen|" + roomID + "|" + personID }

func greetedSpaceKey(roomID string) string { return "greeted|" + roomID }

// hasMarker reports whether key was recorded.
func (b *Bot) hasMarker(ctx context.Context, key string) (bool, error) {
	_, found, err := b.store.GetConversation(ctx, key)
	return found, err
}

// putMarker records key once (recording it again is no error).
func putMarker(ctx context.Context, q store.Queries, key string, now time.Time) error {
	_, err := claimMarker(ctx, q, key, now)
	return err
}

// claimMarker records key unless it is recorded already; claimed says whether this call did.
func claimMarker(ctx context.Context, q store.Queries, key string, now time.Time) (claimed bool, err error) {
	_, err = q.PutConversation(ctx, store.Conversation{Key: key, State: []byte(`true`), UpdatedAt: now, ExpiresAt: now.Add(markerRetention)}, 0)
	if errors.Is(err, store.ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// cardInput reads a submission of one of the dialogue's cards. ok is false for other cards.
func (b *Bot) cardInput(ctx context.Context, act *webexapi.AttachmentAction) (*conversations.CardInput, bool, error) {
	inputs := make(map[string]string, len(act.Inputs))
	for k, v := range act.Inputs {
		if s, ok := v.(string); ok {
			inputs[k] = s
		}
	}
	c, ok := conversations.ParseCardInputs(inputs)
	if !ok {
		return nil, false, nil
	}
	if c.Action == conversations.CardOpenForm {
		return &c, true, nil // opening the form changes nothing: the greeting's button always works
	}
	answered, err := b.hasMarker(ctx, answeredCardKey(act.MessageID, act.PersonID))
	if err != nil {
		return nil, false, fmt.Errorf("read answered card: %w", err)
	}
	c.Answered = answered
	return &c, true, nil
}

// cardThread returns the thread a card was posted in: in a group space the bot answers in it.
func (b *Bot) cardThread(ctx context.Context, messageID string) (string, error) {
	m, err := b.webex.Messages.Get(ctx, messageID)
	if webexapi.IsNotFound(err) {
		return messageID, nil // the card is gone: its id starts a thread of its own
	}
	if err != nil {
		return "", fmt.Errorf("get card message: %w", err)
	}
	if m.ParentID != "" {
		return m.ParentID, nil
	}
	return m.ID, nil
}

// firstContact reports whether the person never wrote to the bot in this 1:1 space.
func (b *Bot) firstContact(ctx context.Context, roomID, personID string) (bool, error) {
	seen, err := b.hasMarker(ctx, seenKey(roomID, personID))
	if err != nil {
		return false, fmt.Errorf("read first contact: %w", err)
	}
	return !seen, nil
}

// saveMarkers records, with the turn, that its card was answered and that the person was seen.
func (b *Bot) saveMarkers(ctx context.Context, q store.Queries, t *turn) error {
	now := b.now()
	if t.cardMessage != "" {
		if err := putMarker(ctx, q, answeredCardKey(t.cardMessage, t.personID), now); err != nil {
			return err
		}
	}
	if t.input.FirstContact {
		return putMarker(ctx, q, seenKey(t.roomID, t.personID), now)
	}
	return nil
}

// greetSpace says once who Relais is when it is added to a group space (by the intake's event, or
// by the catch-up's when that event was missed: catchup_greeting.go).
//
// Exactly once, as far as the bot can: a bot cannot read its own messages in a group space, so
// it cannot look for a greeting whose answer was lost. It claims the space first (the greeted
// marker, written alone, which also settles two replicas handling the webhook's and the
// websocket's copies), then sends once. Only an answer that says Webex did not act (a 4xx)
// gives the claim back, for the event's retry; any other failure keeps it: a greeting perhaps
// lost beats a greeting perhaps said twice.
func (b *Bot) greetSpace(ctx context.Context, ev webexapi.Event, log *zerolog.Logger) (string, saveFunc, error) {
	if !b.isSelf(ev.MemberID, ev.MemberEmail) {
		return "ignored", nil, nil // someone else joined a space the bot is in
	}
	if ev.RoomType == webexapi.RoomTypeDirect {
		return "ignored", nil, nil // a 1:1 space: the greeting comes with the person's first message
	}
	*log = log.With().Str("room", ev.RoomID).Logger()
	key := greetedSpaceKey(ev.RoomID)
	claimed, err := claimMarker(ctx, b.store, key, b.now())
	if err != nil {
		return "", nil, fmt.Errorf("claim the greeting: %w", err)
	}
	if !claimed {
		return "already_greeted", nil, nil
	}
	name := b.me.DisplayName
	if b.me.NickName != "" {
		name = b.me.NickName
	}
	md, card := conversations.GreetingMessage(b.cfg.DefaultLang, true, name)
	req := &webexapi.MessageRequest{RoomID: ev.RoomID, Markdown: md}
	if err := attachCard(req, card); err != nil {
		return "", nil, err
	}
	err = b.webex.Messages.Send(ctx, req)
	var ae *webexapi.APIError
	switch {
	case err == nil:
		return "greeted", nil, nil
	case errors.As(err, &ae) && ae.StatusCode >= 400 && ae.StatusCode < 500:
		// Webex did not post it: give the claim back, the event's retry greets.
		if derr := b.store.DeleteConversation(context.WithoutCancel(ctx), key); derr != nil {
			log.Warn().Err(derr).Msg("cannot give back the greeting's claim; the space will not be greeted")
		}
		return "", nil, fmt.Errorf("greet space: %w", err)
	default:
		log.Warn().Err(err).Msg("the greeting may have been posted although its answer was lost; not sent again")
		return "greeting_unclear", nil, nil
	}
}

func attachCard(req *webexapi.MessageRequest, card map[string]any) error {
	if card == nil {
		return nil
	}
	att, err := webexapi.CardAttachment(card)
	if err != nil {
		return err
	}
	req.Attachments = []webexapi.Attachment{att}
	return nil
}

// lastCard is the card of the turn's last reply that has one: the dialogue's current card.
func lastCard(replies []conversations.Reply) map[string]any {
	for i := len(replies) - 1; i >= 0; i-- {
		if replies[i].Card != nil {
			return replies[i].Card
		}
	}
	return nil
}

// guardCard drops a card that would show a meeting secret in a group space (none of the
// dialogue's cards carries one; this is the same belt as secrets.guard for markdown).
func (s *secrets) guardCard(card map[string]any, group bool, log *zerolog.Logger) map[string]any {
	if card == nil || !group {
		return card
	}
	raw, err := json.Marshal(card)
	if err != nil {
		return nil
	}
	if s.guard(string(raw), group, log) != string(raw) {
		return nil
	}
	return card
}
