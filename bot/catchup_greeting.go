package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/relaisbot/relais/webexapi"
)

// The greeting does not depend on its event either. Webex promises no replay, so the
// memberships/created event of the bot added to a group space may be lost (the bot stopped,
// the websocket cut, the webhook receiver unreachable) and the space would never be greeted.
// So a catch-up also reads the bot's own memberships (GET /memberships without a space: the
// caller's own) and hands over, as the event Webex would have sent, each group space joined in
// its window and never greeted. The normal path then greets it once (greetSpace, cards.go):
// the record under the membership id drops a copy the intake got after all, the greeted marker
// a space greeted already.
//
// Bounded: at most CatchUpConfig.MaxSpaces memberships are read, one page of 100 per call,
// and only by the catch-ups of a window (start-up, reconnection, intake failure), never by the
// periodic check.

// greetMissed hands over the additions of the bot to a group space made in w and never greeted.
func (b *Bot) greetMissed(ctx context.Context, w window) error {
	read, found := 0, 0
	for m, err := range b.webex.Memberships.All(ctx, &webexapi.MembershipListOptions{Max: min(100, b.cfg.CatchUp.MaxSpaces)}) {
		if err != nil {
			return fmt.Errorf("list the bot's memberships: %w", err)
		}
		if read++; read > b.cfg.CatchUp.MaxSpaces {
			b.log.Warn().Int("read", read-1).Msg("catch-up: the bot is in more spaces than RELAIS_CATCHUP_MAX_SPACES; the others are not checked for a missed greeting")
			break
		}
		if !b.joinedIn(m, w) {
			continue
		}
		greeted, err := b.hasMarker(ctx, greetedSpaceKey(m.RoomID))
		if err != nil {
			return fmt.Errorf("read greeted space: %w", err)
		}
		if greeted {
			continue
		}
		found++
		b.log.Info().Str("room", m.RoomID).Str("trigger", w.reason).Str("joined", m.Created).Msg("catch-up: a space the bot was added to is greeted now")
		created, _ := time.Parse(time.RFC3339Nano, m.Created)
		recorded := make(chan error, 1)
		b.accept(context.WithoutCancel(ctx), webexapi.Event{
			Kind: webexapi.EventMembershipCreated, Source: sourceCatchUp, ID: m.ID, RoomID: m.RoomID,
			RoomType: m.RoomType, MemberID: m.PersonID, MemberEmail: m.PersonEmail, Created: created,
			Ready: wallNow(), Accepted: recorded,
		})
		select {
		case err := <-recorded:
			if err != nil {
				return fmt.Errorf("record a missed addition: %w", err)
			}
		default:
		}
	}
	b.catchup.metrics.greetings.Add(float64(found))
	return nil
}

// joinedIn reports whether m is the bot's membership of a group space, made in w.
func (b *Bot) joinedIn(m webexapi.Membership, w window) bool {
	if m.RoomType != webexapi.RoomTypeGroup || !b.isSelf(m.PersonID, m.PersonEmail) {
		return false
	}
	at, err := time.Parse(time.RFC3339Nano, m.Created)
	return err == nil && !at.Before(w.since) && !at.After(w.until)
}
