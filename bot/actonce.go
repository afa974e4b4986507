package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/relaisbot/relais/internal/backoff"
	"github.com/relaisbot/relais/webexapi"
)

// Calls with an effect (create a meeting, post a message) are never repeated blind. The client
// repeats them only on 429, when Webex surely did not act (see webexapi.RetryPolicy); any other
// failure may come after Webex acted (a gateway's 5xx, a connection cut before the answer), so
// the bot looks for the effect before acting again: the meeting by its integration tag, the
// message in the 1:1 space. Where it cannot look (a reply in a group space, where a bot sees
// only the messages that mention it), it does not act again at once; the event is handled again
// later, as after a crash.

// clockSkew is the margin kept between the bot's clock and the time Webex stamps on messages.
const clockSkew = 2 * time.Second

// actAttempts bounds the actions of one actOnce.
const actAttempts = 4

// unclear reports whether a failed call may have taken effect all the same: a 5xx answer or no
// answer at all. A 4xx, 429 included, says Webex did not act.
func unclear(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 500
	}
	return !errors.Is(err, errTooSoon)
}

// actOnce does act; when act fails unclearly, it asks look whether the effect happened all the
// same, and acts again only when look says it did not. A nil look never acts twice. It returns
// nil once the effect is known to have happened, else the action's last error.
func (b *Bot) actOnce(ctx context.Context, act func(context.Context) error, look func(context.Context) (bool, error)) error {
	for attempt := 1; ; attempt++ {
		err := act(ctx)
		if !unclear(ctx, err) {
			return err
		}
		if look == nil || attempt >= actAttempts {
			return err
		}
		if !b.wait(ctx, actBackoff(attempt, err)) {
			return err
		}
		done, lerr := look(ctx)
		if lerr != nil {
			// Cannot tell: acting again could do it twice. The caller's durable retry
			// looks again later.
			b.log.Warn().Err(lerr).AnErr("cause", err).Msg("cannot tell whether Webex acted; not acting again now")
			return err
		}
		if done {
			b.log.Warn().Err(err).Msg("Webex acted although its answer was lost; not acting again")
			return nil
		}
	}
}

// lookBackoff is the wait before looking after a failed action: 250 ms doubling (up to 2 s).
var lookBackoff = backoff.Policy{Base: 250 * time.Millisecond, Cap: 2 * time.Second}

// actBackoff is the wait before looking after a failed action: lookBackoff, or longer when Webex
// gave a Retry-After (honoured up to 30 s).
func actBackoff(attempt int, err error) time.Duration {
	var retryAfter time.Duration
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		retryAfter = min(ae.RetryAfter, 30*time.Second)
	}
	return lookBackoff.After(attempt, retryAfter)
}

// wait waits d unless ctx ends first; it reports whether the whole wait passed.
func (b *Bot) wait(ctx context.Context, d time.Duration) bool {
	return backoff.Sleep(ctx, d) == nil
}

// inDirect reports whether the bot's 1:1 space with the person holds a message of the bot that
// matches. A space that does not exist yet holds nothing.
func (b *Bot) inDirect(ctx context.Context, email string, match func(webexapi.Message) bool) (bool, error) {
	msgs, err := b.webex.Messages.ListDirect(ctx, email)
	if webexapi.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, m := range msgs {
		if m.PersonID == b.me.ID && match(m) {
			return true, nil
		}
	}
	return false, nil
}

// inRoom reports whether a 1:1 space holds a message of the bot with this markdown, posted at or
// after since (the recent messages only: a reply is looked for right after it was sent).
func (b *Bot) inRoom(ctx context.Context, roomID, markdown string, since time.Time) (bool, error) {
	page, err := b.webex.Messages.List(ctx, &webexapi.MessageListOptions{RoomID: roomID, Max: 20})
	if err != nil {
		return false, err
	}
	for _, m := range page.Items {
		if m.PersonID != b.me.ID || !sameText(m.Markdown, markdown) {
			continue
		}
		if writtenBefore(m, since) {
			continue
		}
		return true, nil
	}
	return false, nil
}

// writtenBefore reports whether Webex stamped the message before the given instant.
func writtenBefore(m webexapi.Message, at time.Time) bool {
	t, err := time.Parse(time.RFC3339Nano, m.Created)
	return err == nil && t.Before(at)
}

// sameText compares a message as Webex returns it with what was sent.
func sameText(got, sent string) bool { return strings.TrimSpace(got) == strings.TrimSpace(sent) }
