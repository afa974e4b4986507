package webexapi_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

type countLookups struct {
	n    atomic.Int32
	next http.RoundTripper
	// failMessage, when set, is the status the next GET /v1/messages/{id} gets instead of
	// Webex's answer (once).
	failMessage atomic.Int32
}

func (c *countLookups) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/conversation/api/v1/messages/") {
		c.n.Add(1)
	}
	if strings.Contains(r.URL.Path, "/v1/messages/") && !strings.Contains(r.URL.Path, "/conversation/") {
		if status := c.failMessage.Swap(0); status != 0 {
			return &http.Response{StatusCode: int(status), Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(`{"message":"injected"}`)), Request: r}, nil
		}
	}
	return c.next.RoundTrip(r)
}

// The REST id of a conversation's later messages is built from the cluster learnt at its first
// lookup: one round trip less per event. A wrong guess (Webex answers 404) falls back to the
// lookup, and the event still arrives.
func TestListenerLearnsTheConversationCluster(t *testing.T) {
	t.Parallel()
	s, lookups, l, say := startCountingListener(t)
	first := say("bonjour")
	assert.EqualValues(t, 1, lookups.n.Load(), "the first message of a conversation is looked up")
	say("programme une rencontre")
	assert.EqualValues(t, 1, lookups.n.Load(), "the next ones are not")
	assert.Equal(t, 2, s.CallCounts()["GET /v1/messages/{id}"])

	// The conversation id is the room's uuid.
	raw, err := base64.RawStdEncoding.DecodeString(first.RoomID)
	require.NoError(t, err)
	roomUUID := string(raw[strings.LastIndexByte(string(raw), '/')+1:])
	webexapi.SetClusterForTest(l, roomUUID, "us") // what a naive client would guess
	say("oui")
	assert.EqualValues(t, 2, lookups.n.Load(), "a wrong guess falls back to the lookup")
	say("merci")
	assert.EqualValues(t, 2, lookups.n.Load(), "and the right cluster is learnt again")
}

// startCountingListener runs a listener against a fake whose lookups it counts; say posts a 1:1
// message from alex and returns its event.
func startCountingListener(t *testing.T) (*webextest.Server, *countLookups, *webexapi.Listener, func(string) webexapi.Event) {
	t.Helper()
	s := webextest.NewTestServer(t, webextest.Options{})
	lookups := &countLookups{next: http.DefaultTransport}
	// One attempt per call: an injected failure is not retried away by the client.
	c, err := webexapi.NewClient(webexapi.WithBaseURL(s.APIURL()), webexapi.WithToken(s.BotToken()),
		webexapi.WithHTTPClient(&http.Client{Transport: lookups}), webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	connected := make(chan struct{}, 16)
	l := webexapi.NewListener(c, webexapi.WithCatalogURL(s.CatalogURL()),
		webexapi.WithOnState(func(sc webexapi.StateChange) {
			if sc.State == webexapi.StateConnected {
				connected <- struct{}{}
			}
		}))
	out := make(chan webexapi.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, out) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("listener never connected")
	}

	say := func(text string) webexapi.Event {
		t.Helper()
		id, err := s.Say(webextest.SayRequest{From: alex, Text: text})
		require.NoError(t, err)
		ev := nextEvent(t, out)
		require.Equal(t, id, ev.ID)
		assert.False(t, ev.Ready.IsZero(), "the event says when it was ready to hand over")
		require.NotNil(t, ev.Message)
		assert.Equal(t, text, ev.Message.Text)
		return ev
	}
	return s, lookups, l, say
}

// A built REST id is never handed over unchecked: when reading the message by it fails for a
// passing reason, the listener asks the conversation service and hands over the full event; a
// refusal other than 404 also makes it forget the cluster.
func TestListenerFallsBackWhenABuiltIDFails(t *testing.T) {
	t.Parallel()
	_, lookups, _, say := startCountingListener(t)
	say("bonjour")
	require.EqualValues(t, 1, lookups.n.Load())

	lookups.failMessage.Store(http.StatusServiceUnavailable)
	say("programme une rencontre") // say checks that the event carries its message
	assert.EqualValues(t, 2, lookups.n.Load(), "a passing failure falls back to the lookup")
	say("demain")
	assert.EqualValues(t, 2, lookups.n.Load(), "and keeps the cluster")

	lookups.failMessage.Store(http.StatusForbidden)
	say("oui")
	assert.EqualValues(t, 3, lookups.n.Load(), "a refusal falls back to the lookup")
}
