package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// unkind is how the bot's tests set the fake from now on: Webex promises no replay of unacked
// websocket frames and no retry of a failed webhook delivery, so no test may lean on either.
func unkind(f webextest.Faults) webextest.Faults {
	none := 0
	f.Replay, f.WebhookRetries = webextest.ReplayNone, &none
	return f
}

// catchUpCount reads relais_catchup_messages_total{outcome} from a runtime's registry.
func catchUpCount(t *testing.T, reg *prometheus.Registry, outcome string) float64 {
	t.Helper()
	return gathered(t, reg, "relais_catchup_messages_total", "outcome", outcome)
}

// gathered sums the counters of the metric name whose label has the given value.
func gathered(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					sum += m.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}

// blockableFake serves the fake through a switch that can refuse websocket connections: the bot
// stays disconnected for as long as the test wants.
func blockableFake(t *testing.T, o webextest.Options) (*webextest.Server, *atomic.Bool) {
	t.Helper()
	fake := webextest.NewTestServer(t, o)
	var blocked atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if blocked.Load() && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "unreachable", http.StatusServiceUnavailable)
			return
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	fake.SetURL(front.URL)
	return fake, &blocked
}

// A message said while the websocket is cut, with no replay of what the old connection did not
// acknowledge, is answered after the reconnection: the catch-up finds it.
func TestCutWebsocketWithoutReplayCatchesUp(t *testing.T) {
	t.Parallel()
	c := newClock(reference)
	fake, blocked := blockableFake(t, webextest.Options{Clock: c.Now})
	fake.SetFaults(unkind(webextest.Faults{}))
	h := newHarness(t, harnessOptions{fake: fake, clock: c})

	r := h.dm(alex, "programme une rencontre pour "+marieTremblay+" demain à 14h")
	require.Len(t, r, 1, texts(r))

	cutOff(t, h, fake, blocked)
	id, err := fake.Say(webextest.SayRequest{From: alex, Text: "oui"})
	require.NoError(t, err)
	blocked.Store(false)

	h.waitHandled(id)
	require.Len(t, fake.Meetings(), 1, "one meeting")
	require.Len(t, fake.BotMessages(marieTremblay), 1, "one designate message")
	replies := fake.BotMessages(alex)
	require.Len(t, replies, 2, texts(replies))
	assert.Contains(t, replies[1].Markdown, "C'est fait")
	assert.NotContains(t, replies[1].Markdown, "indisponible", "a few seconds late is not late")
	assert.Equal(t, 1.0, catchUpCount(t, h.rt.Metrics.Registry, "recovered"))
}

// A message said while the bot is stopped is answered once after the restart: in webhook mode
// when Webex does not retry the failed delivery, in websocket mode when the restart registers a
// new device (which gets nothing of what happened before).
func TestMessageSaidWhileStoppedAnsweredAfterRestart(t *testing.T) {
	for _, mode := range []string{"webhook", "websocket"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h1, restart := restartable(t, mode)
			r := h1.dm(alex, "aide")
			require.Len(t, r, 1)
			h1.stop()

			id, err := h1.fake.Say(webextest.SayRequest{From: alex, Text: "programme une rencontre pour " + marieTremblay + " demain à 14h"})
			require.NoError(t, err)

			h2 := restart()
			h2.waitHandled(id)
			replies := h2.fake.BotMessages(alex)
			require.Len(t, replies, 2, texts(replies))
			assert.Contains(t, replies[1].Markdown, "Marie Tremblay")

			// Exactly once: the next message is answered after it, and nothing else came.
			r = h2.dm(alex, "oui")
			require.NotEmpty(t, r)
			require.Len(t, h2.fake.BotMessages(alex), 3, texts(h2.fake.BotMessages(alex)))
			require.Len(t, h2.fake.Meetings(), 1)
			assert.Equal(t, 1.0, catchUpCount(t, h2.rt.Metrics.Registry, "recovered"))
		})
	}
}

// A message answered late is answered as of now: the person is told Relais was unavailable and
// since when, in their language; a dialogue idle past its timeout by now is expired; a meeting
// whose start is now less than 15 minutes away is not created.
func TestLateMessageHandledAsOfNow(t *testing.T) {
	stoppedFor := func(t *testing.T, request, answer string, away time.Duration) (*harness, []webextest.Message) {
		t.Helper()
		db := filepath.Join(t.TempDir(), "relais.db")
		h1 := newHarness(t, harnessOptions{db: db, deviceName: "relais-first"})
		h1.fake.SetFaults(unkind(webextest.Faults{}))
		r := h1.dm(alex, request)
		require.Len(t, r, 1, texts(r))
		require.Contains(t, r[0].Markdown, answer, "the summary asks for the answer")
		h1.stop()
		id, err := h1.fake.Say(webextest.SayRequest{From: alex, Text: answer})
		require.NoError(t, err)
		h1.clock.Advance(away)
		h2 := newHarness(t, harnessOptions{db: db, fake: h1.fake, clock: h1.clock, deviceName: "relais-second"})
		h2.waitHandled(id)
		return h2, h2.fake.BotMessages(alex)[1:]
	}
	t.Run("too soon by now", func(t *testing.T) {
		t.Parallel()
		// 09:00: a meeting at 09:40 is fine; « oui » is read at 09:28, 12 minutes before.
		h, r := stoppedFor(t, "programme une rencontre pour "+marieTremblay+" aujourd'hui à 9 h 40", "oui", 28*time.Minute)
		require.Len(t, r, 1, texts(r))
		assert.Contains(t, r[0].Markdown, "Relais était indisponible depuis 9 h 00")
		assert.Empty(t, h.fake.Meetings(), "no meeting starting in less than 15 minutes")
		assert.Empty(t, h.fake.BotMessages(marieTremblay))
	})
	t.Run("expired by now", func(t *testing.T) {
		t.Parallel()
		h, r := stoppedFor(t, "schedule a meeting for "+marieTremblay+" tomorrow at 2pm", "yes", 40*time.Minute)
		require.Len(t, r, 1, texts(r))
		assert.Contains(t, r[0].Markdown, "Relais was unavailable since 9:00 AM")
		assert.Contains(t, r[0].Markdown, "expired")
		assert.Empty(t, h.fake.Meetings(), "an expired dialogue creates nothing")
	})
}

// Webex may act and then fail (a 503 from a gateway, a connection cut before the answer): with
// 30 % of the calls with an effect doing so, every organizer still gets exactly one meeting and
// every designate exactly one message.
func TestActThenFailGivesOneMeetingAndOneDesignateMessage(t *testing.T) {
	for _, mode := range []string{"", webextest.ActThenFailDrop} {
		name := "status"
		if mode != "" {
			name = mode
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const n = 30
			clock := newLoadClock(loadStart(t))
			fake := webextest.NewTestServer(t, webextest.Options{Directory: loadDirectory(n), Clock: clock.Now, Seed: 12})
			signals := newHandledSignals()
			logs := &lockedLog{}
			r := startReplica(t, fake, clock.Now, bot.RuntimeConfig{}, signals, zerolog.New(logs).Level(zerolog.WarnLevel))
			defer func() {
				if t.Failed() {
					t.Logf("warnings and errors of the bot (last 20 kB):\n%s", logs.tail(20<<10))
				}
			}()
			fake.SetFaults(unkind(webextest.Faults{ActThenFailRate: 0.3, ActThenFailMode: mode}))

			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			runFlows(ctx, t, fake, signals, n)
			require.Eventually(t, func() bool {
				d, err := r.rt.Store.OutboxDepth(context.Background())
				return err == nil && d == 0
			}, time.Minute, 20*time.Millisecond, "the outbox never drained")
			fake.SetFaults(webextest.Faults{})

			c := countFlows(t, fake, n, 1)
			assert.Equal(t, n, c.meetings, "meetings")
			assert.Zero(t, c.duplicateMeets, "organizers with two meetings")
			assert.Zero(t, c.missingMeets, "organizers without a meeting")
			assert.Equal(t, n, c.designateMsgs, "messages to designates")
			assert.Zero(t, c.noHostKey, "designate messages without their meeting's host key and link")
			assert.Equal(t, n, c.confirmations, "« C'est fait » replies")
		})
	}
}

// A message lost on the way (the webhook receiver unreachable, no retry) in a space with an open
// dialogue is found by the periodic check, without any restart or reconnection.
func TestPeriodicCatchUpFindsALostAnswer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "webhook", botConfig: bot.Config{CatchUp: bot.CatchUpConfig{Interval: 20 * time.Millisecond}}})
	h.fake.SetFaults(unkind(webextest.Faults{}))
	r := h.dm(alex, "programme une rencontre pour "+marieTremblay+" demain à 14h")
	require.Len(t, r, 1, texts(r))

	// Webex now calls an address where nobody answers.
	ctx := context.Background()
	for wh, err := range h.rt.Webex.Webhooks.All(ctx, nil) {
		require.NoError(t, err)
		_, err = h.rt.Webex.Webhooks.Update(ctx, wh.ID, &webexapi.WebhookUpdateRequest{Name: wh.Name, TargetURL: "http://127.0.0.1:1/gone", Secret: "a-webhook-secret-for-tests"})
		require.NoError(t, err)
	}
	id, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "oui"})
	require.NoError(t, err)
	h.clock.Advance(31 * time.Second) // past the settle time the periodic check leaves the intake
	h.waitHandled(id)
	require.Len(t, h.fake.Meetings(), 1)
	require.Len(t, h.fake.BotMessages(marieTremblay), 1)
	assert.Equal(t, 1.0, catchUpCount(t, h.rt.Metrics.Registry, "recovered"))
}

// A webhook delivery the bot could not record (its database down) is not retried by Webex; the
// bot catches it up once it can record it, and answers it once.
func TestUnrecordedWebhookEventCaughtUp(t *testing.T) {
	t.Parallel()
	ds := &failingEnqueue{} // intake_test.go
	h := newHarness(t, harnessOptions{mode: "webhook", wrapStore: func(s store.Store) store.Store { ds.Store = s; return ds }})
	h.fake.SetFaults(unkind(webextest.Faults{}))
	r := h.dm(alex, "programme une rencontre pour "+marieTremblay+" demain à 14h")
	require.Len(t, r, 1, texts(r))

	ds.fail.Store(true)
	id, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "oui"})
	require.NoError(t, err)
	// The delivery was refused, and so was the catch-up it asked for.
	require.Eventually(t, func() bool {
		return gathered(t, h.rt.Metrics.Registry, "relais_catchup_runs_total", "trigger", "intake_failure") >= 1
	}, 10*time.Second, 5*time.Millisecond)
	ds.fail.Store(false)

	h.waitHandled(id)
	require.Len(t, h.fake.Meetings(), 1)
	require.Len(t, h.fake.BotMessages(marieTremblay), 1)
	replies := h.fake.BotMessages(alex)
	require.Len(t, replies, 2, texts(replies))
	assert.Contains(t, replies[1].Markdown, "C'est fait")
}
