package webextest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestSimFaultsAreReadBackAndUnknownFieldsRefused(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	var cur map[string]any
	callJSON(t, "GET", s.URL()+"/_sim/faults", "", nil, &cur)
	require.Equal(t, "all", cur["replay"], "replay of unacked frames is the default")
	require.EqualValues(t, 2, cur["webhookRetries"], "3 attempts by default: 2 redeliveries")

	set := map[string]any{"replay": "none", "replayWindowSeconds": 30, "webhookRetries": 0, "actThenFailRate": 0.3,
		"actThenFailMode": "drop", "conversationRate429": 0.5, "conversationRetryAfterSeconds": 5, "conversationRate5xx": 0.1}
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", set, &cur)
	callJSON(t, "GET", s.URL()+"/_sim/faults", "", nil, &cur)
	for k, v := range set {
		require.EqualValues(t, v, cur[k], k)
	}
	f := s.Faults()
	require.Equal(t, webextest.ReplayNone, f.Replay)
	require.NotNil(t, f.WebhookRetries)
	require.Zero(t, *f.WebhookRetries)

	// A typo must not silently turn a fault off: the request is refused, naming the field,
	// and the faults in force stay.
	status, h, raw := call(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"raplay": "none"})
	require.Contains(t, requireError(t, http.StatusBadRequest, status, h, raw), `"raplay"`)
	status, h, raw = call(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"replay": "some"})
	require.Contains(t, requireError(t, http.StatusBadRequest, status, h, raw), "replay")
	status, h, raw = call(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"actThenFailMode": "cut"})
	require.Contains(t, requireError(t, http.StatusBadRequest, status, h, raw), "actThenFailMode")
	require.Equal(t, webextest.ReplayNone, s.Faults().Replay)

	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{}, &cur)
	require.Equal(t, "all", cur["replay"])
	require.EqualValues(t, 2, cur["webhookRetries"])
}

// sayAndRead posts a 1:1 message and returns its REST id and the frame c received for it.
func sayAndRead(t *testing.T, s *webextest.Server, c *websocket.Conn, text string) (string, wsFrame) {
	t.Helper()
	id, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: text})
	require.NoError(t, err)
	return id, readFrame(t, c)
}

// cut drops every websocket and waits until c sees it.
func cut(t *testing.T, s *webextest.Server, c *websocket.Conn) {
	t.Helper()
	s.DropWebsockets()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err := c.ReadMessage()
	require.Error(t, err)
}

func TestMercuryReplayNoneDropsUnackedFrames(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"replay": "none"}, nil)
	dev := registerDevice(t, s)
	c := connect(t, s, dev)
	sayAndRead(t, s, c, "jamais acquitté")
	cut(t, s, c)
	_, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "pendant la coupure"})
	require.NoError(t, err)

	c2 := connect(t, s, dev)
	id, f := sayAndRead(t, s, c2, "après")
	require.Equal(t, id, restIDOf(t, s, f), "neither the unacked frame nor the one sent while cut is replayed")
}

func TestMercuryReplayWindowKeepsOnlyRecentFrames(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	s.SetFaults(webextest.Faults{Replay: webextest.ReplayAll, ReplayWindowSeconds: 5})
	dev := registerDevice(t, s)
	c := connect(t, s, dev)
	sayAndRead(t, s, c, "ancien")
	clock.Add(10 * time.Second)
	recent, _ := sayAndRead(t, s, c, "récent")
	cut(t, s, c)

	c2 := connect(t, s, dev)
	f := readFrame(t, c2)
	require.Equal(t, recent, restIDOf(t, s, f), "the frame older than the window is not replayed")
	ack(t, c2, f)
	id, f := sayAndRead(t, s, c2, "suivant")
	require.Equal(t, id, restIDOf(t, s, f))
}

func TestMercuryReplayGoesOnlyToTheSameDevice(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	old := registerDevice(t, s)
	c := connect(t, s, old)
	sayAndRead(t, s, c, "pour l'ancien appareil")
	status, _, _ := call(t, "DELETE", old.URL, s.BotToken(), nil)
	require.Equal(t, http.StatusNoContent, status)

	c2 := connect(t, s, registerDevice(t, s))
	id, f := sayAndRead(t, s, c2, "pour le nouveau")
	require.Equal(t, id, restIDOf(t, s, f), "a new device gets nothing of the old one's frames")
}

func TestCountsWebsocketConnections(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	dev := registerDevice(t, s)
	c := connect(t, s, dev)
	cut(t, s, c)
	connect(t, s, dev)
	_, _, err := dial(t, dev) // accepted, never authorized: counted too
	require.NoError(t, err)
	// The fake counts a connection once its upgrade is written, which the client may read first.
	require.Eventually(t, func() bool { return s.WebsocketConnections() == 3 }, 10*time.Second, time.Millisecond)
	var counts map[string]int
	callJSON(t, "GET", s.URL()+"/_sim/counts", "", nil, &counts)
	require.Equal(t, 3, counts["websocketConnections"])
}
