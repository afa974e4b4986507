package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// Whole flows while the conversation service answers half the activity lookups 429 with
// Retry-After: 5 (or most of them 503), with no replay of unacked frames and no webhook retry: every flow
// completes and the websocket is never reconnected. Nobody sleeps: while an activity waits for
// Webex, the shared clock is moved a second at a time.
func TestActivityLookupFaultsNeedNoReconnection(t *testing.T) {
	t.Parallel()
	zero := 0
	for _, tc := range []struct {
		name   string
		faults webextest.Faults
	}{
		{"429 Retry-After 5", webextest.Faults{ConversationRate429: 0.5, ConversationRetryAfterSeconds: 5}},
		{"503", webextest.Faults{ConversationRate5xx: 0.8}}, // the lookup client retries a 5xx itself: most must fail for some to reach the bot
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const n = 12
			clock := newLoadClock(loadStart(t))
			fake := webextest.NewTestServer(t, webextest.Options{Directory: loadDirectory(n), Clock: clock.Now, Seed: 12})
			signals := newHandledSignals()
			r := startReplica(t, fake, clock.Now, bot.RuntimeConfig{}, signals, zerolog.Nop())
			connections := fake.WebsocketConnections()
			tc.faults.Replay, tc.faults.WebhookRetries = webextest.ReplayNone, &zero
			fake.SetFaults(tc.faults)

			intake := r.rt.Metrics.Intake
			waiting := func() bool {
				done := counterValue(intake.Resolutions.WithLabelValues("resolved")) + counterValue(intake.Resolutions.WithLabelValues("gone"))
				return counterValue(intake.Unresolved) > done
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					if waiting() {
						clock.Advance(time.Second)
						r.rt.Bot.Poke()
					}
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			runFlows(ctx, t, fake, signals, n)
			close(stop)
			wg.Wait()

			assert.Equal(t, connections, fake.WebsocketConnections(), "no reconnection")
			assert.Positive(t, fake.ConversationLookups())
			assert.Positive(t, counterValue(intake.Unresolved), "some lookups failed and were retried by the bot")
			c := countFlows(t, fake, n, 1)
			assert.Equal(t, n, c.meetings, "meetings")
			assert.Equal(t, n, c.designateMsgs, "messages to designates")
			assert.Equal(t, n, c.confirmations, "« C'est fait » replies")
			assert.Equal(t, 2*n, c.organizerReplys, "one reply per message")
			require.NoError(t, r.rt.Ready(context.Background()))
		})
	}
}

// A message with a file arrives as verb share: it is a new message, answered like any other.
func TestShareMessageIsAnswered(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	id := h.say(webextest.SayRequest{From: alex, Text: "programme une rencontre pour Marie demain à 14h",
		Files: []string{"https://example.com/capture-ecran.png"}})
	replies := h.fake.BotMessages(alex)
	require.Len(t, replies, 1, "answered (event %s)", id)
	assert.Contains(t, replies[0].Markdown, "Marie Tremblay")
	assert.Contains(t, replies[0].Markdown, "Marie Gagnon")
}

// A message deleted before the bot could read it is skipped: no answer, no error state, no
// reconnection, /readyz green, and the conversation goes on.
func TestDeletedMessageLeavesReadyzGreen(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	connections := h.fake.WebsocketConnections()
	// The message read is slowed down, so that the deletion happens before it.
	h.fake.SetFaults(webextest.Faults{LatencyMs: 300})
	gone, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "aide"})
	require.NoError(t, err)
	require.NoError(t, h.fake.DeleteMessage(gone))
	next := h.say(webextest.SayRequest{From: alex, Text: "aide"}) // handled after the deleted one
	h.fake.SetFaults(webextest.Faults{})

	replies := h.fake.BotMessages(alex)
	require.Len(t, replies, 1, "only the second message is answered (%s)", next)
	require.NoError(t, h.rt.Ready(context.Background()))
	assert.Equal(t, connections, h.fake.WebsocketConnections(), "no reconnection")
}
