package bot_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestGreetingSentOnceWhenItsAnswerIsLost: Webex posts the greeting and its answer is lost (a
// 503, a cut connection). A bot cannot read its own messages in a group space, so it cannot
// look for the greeting: it claimed the space before sending and does not send again, and the
// event is done, not retried.
func TestGreetingSentOnceWhenItsAnswerIsLost(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", webextest.ActThenFailDrop} {
		name := "status"
		if mode != "" {
			name = mode
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{})
			h.fake.SetFaults(unkind(webextest.Faults{ActThenFailRate: 1, ActThenFailMode: mode}))
			id, err := h.fake.AddBot(webextest.AddRequest{Room: "Équipe", By: alex})
			require.NoError(t, err)
			h.waitHandled(id)

			assert.Len(t, h.fake.RoomMessages("Équipe"), 1, "the greeting Webex posted")
			assert.Equal(t, 1, h.fake.CallCounts()["POST /v1/messages"], "sent once, never again blind")
			depth, err := h.rt.Store.OutboxDepth(context.Background())
			require.NoError(t, err)
			assert.Zero(t, depth, "the event is done, not retried")
		})
	}
}

// TestMissedAdditionGreetedAfterReconnection: the bot is added to a space while its websocket is
// cut, and Webex replays nothing: the catch-up after the reconnection finds the bot's new
// membership and greets the space, once.
func TestMissedAdditionGreetedAfterReconnection(t *testing.T) {
	t.Parallel()
	c := newClock(reference)
	fake, blocked := blockableFake(t, webextest.Options{Clock: c.Now})
	fake.SetFaults(unkind(webextest.Faults{}))
	h := newHarness(t, harnessOptions{fake: fake, clock: c})

	cutOff(t, h, fake, blocked)
	id, err := fake.AddBot(webextest.AddRequest{Room: "Équipe projet", By: alex})
	require.NoError(t, err)
	blocked.Store(false)

	h.waitHandled(id)
	msgs := fake.RoomMessages("Équipe projet")
	require.Len(t, msgs, 1, "greeted once")
	assert.Contains(t, msgs[0].Markdown, "mentionnez-moi")
	assert.Equal(t, 1.0, total(t, h.rt.Metrics.Registry, "relais_catchup_greetings_total"))
}

// TestAdditionWhileStoppedGreetedAfterRestart: the bot is added to a space while it is stopped;
// the restart (a new device, which gets nothing of before) greets that space once, and not the
// space it greeted before it stopped.
func TestAdditionWhileStoppedGreetedAfterRestart(t *testing.T) {
	for _, mode := range []string{"webhook", "websocket"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h1, restart := restartable(t, mode)
			before, err := h1.fake.AddBot(webextest.AddRequest{Room: "Avant", By: alex})
			require.NoError(t, err)
			h1.waitHandled(before)
			require.Len(t, h1.fake.RoomMessages("Avant"), 1)
			h1.stop()

			id, err := h1.fake.AddBot(webextest.AddRequest{Room: "Pendant", By: alex})
			require.NoError(t, err)

			h2 := restart()
			h2.waitHandled(id)
			require.Len(t, h2.fake.RoomMessages("Pendant"), 1, "greeted once after the restart")

			// Exactly once: a message said after it is answered after it, and nothing else came.
			h2.say(webextest.SayRequest{From: alex, Room: "Pendant", Text: "aide"})
			require.Len(t, h2.fake.RoomMessages("Pendant"), 2, "the greeting and the answer")
			assert.Len(t, h2.fake.RoomMessages("Avant"), 1, "a space greeted before is not greeted again")
			assert.Equal(t, 3, h2.fake.CallCounts()["POST /v1/messages"], "two greetings and one answer in all")
		})
	}
}

// total reads the value of a counter without labels from a registry.
func total(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

// cutOff cuts the bot's websocket, keeps it from connecting again until blocked is cleared, and
// waits until the bot saw the cut.
func cutOff(t *testing.T, h *harness, fake *webextest.Server, blocked *atomic.Bool) {
	t.Helper()
	blocked.Store(true)
	fake.DropWebsockets()
	disconnects := h.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateDisconnected))
	require.Eventually(t, func() bool { return counterValue(disconnects) >= 1 }, 10*time.Second, 5*time.Millisecond,
		"the bot never saw the cut")
}

// restartable starts a bot on a new database, the fake set unkind, and returns it with what
// starts it again (once stopped) on the same database and fake, as a new device, which gets
// nothing of what happened before it registered.
func restartable(t *testing.T, mode string) (*harness, func() *harness) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "relais.db")
	h1 := newHarness(t, harnessOptions{mode: mode, db: db, deviceName: "relais-first"})
	h1.fake.SetFaults(unkind(webextest.Faults{}))
	return h1, func() *harness {
		return newHarness(t, harnessOptions{mode: mode, db: db, fake: h1.fake, clock: h1.clock, deviceName: "relais-second"})
	}
}
