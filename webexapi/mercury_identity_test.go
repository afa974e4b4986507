package webexapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// A caller that already knows the bot's identity saves the listener its GET /people/me, and the
// listener still ignores the bot's own posts.
func TestListenerWithKnownIdentityDoesNotAskAgain(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	me, err := c.People.Me(context.Background())
	require.NoError(t, err)
	before := s.CallCounts()["GET /v1/people/me"]

	out := make(chan webexapi.Event, 4)
	connected := make(chan struct{}, 1)
	l := webexapi.NewListener(c, webexapi.WithCatalogURL(s.CatalogURL()), webexapi.WithIdentity(*me),
		webexapi.WithOnState(func(sc webexapi.StateChange) {
			if sc.State == webexapi.StateConnected {
				select {
				case connected <- struct{}{}:
				default:
				}
			}
		}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, out) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("never connected")
	}
	id, err := s.Say(webextest.SayRequest{From: alex, Text: "bonjour"})
	require.NoError(t, err)
	select {
	case ev := <-out:
		assert.Equal(t, id, ev.ID)
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	assert.Equal(t, before, s.CallCounts()["GET /v1/people/me"], "no second identity lookup")
}

// When the message itself cannot be read (Webex answers 503 to everything under /v1/), the event
// is handed over unresolved, for the consumer to record and resolve durably; the connection lives
// on, and once Webex answers again the reference resolves to the very event.
func TestListenerHandsOverEventsWhoseMessageCannotBeRead(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c, err := webexapi.NewClient(webexapi.WithBaseURL(s.APIURL()), webexapi.WithToken(s.BotToken()),
		webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	out := make(chan webexapi.Event, 4)
	st := startFakeListener(t, s, c, out)
	s.SetFaults(webextest.Faults{Rate5xx: 1})
	id, err := s.Say(webextest.SayRequest{From: alex, Text: "bonjour"})
	require.NoError(t, err)
	select {
	case ev := <-out:
		require.NotNil(t, ev.Unresolved, "the message could not be read")
		assert.Empty(t, ev.ID, "no id before the message is read")
		assert.Equal(t, id, ev.Unresolved.RESTID, "the lookup went through")
		assert.Equal(t, webexapi.EventMessageCreated, ev.Kind)
		assert.Equal(t, "direct", ev.RoomType)
		assert.Equal(t, alex, ev.PersonEmail)
		s.SetFaults(webextest.Faults{})
		resolved, err := c.ResolveActivity(context.Background(), *ev.Unresolved)
		require.NoError(t, err)
		assert.Equal(t, id, resolved.ID)
		require.NotNil(t, resolved.Message)
		assert.Equal(t, "bonjour", resolved.Message.Text)
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	for {
		select {
		case sc := <-st:
			assert.NotEqual(t, webexapi.StateDisconnected, sc.State, "the connection must not be torn down: %v", sc.Err)
			continue
		default:
		}
		break
	}
}

// With acceptance, a frame is acked only once the consumer recorded its event: a consumer that
// could not record it gets the event again (Webex replays the unacked frame after a reconnect).
func TestListenerAcksOnlyRecordedEvents(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	out := make(chan webexapi.Event)
	connected := make(chan struct{}, 1)
	l := webexapi.NewListener(c, webexapi.WithCatalogURL(s.CatalogURL()), webexapi.WithAcceptance(),
		webexapi.WithOnState(func(sc webexapi.StateChange) {
			if sc.State == webexapi.StateConnected {
				select {
				case connected <- struct{}{}:
				default:
				}
			}
		}),
		webexapi.WithReconnectBackoff(webexapi.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, out) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("never connected")
	}

	id, err := s.Say(webextest.SayRequest{From: alex, Text: "bonjour"})
	require.NoError(t, err)
	next := func() webexapi.Event {
		select {
		case ev := <-out:
			return ev
		case <-time.After(10 * time.Second):
			t.Fatal("no event")
			return webexapi.Event{}
		}
	}
	first := next()
	require.Equal(t, id, first.ID)
	first.Accept(errors.New("database is down"))
	again := next() // replayed: it was never acked
	require.Equal(t, id, again.ID)
	again.Accept(nil)

	// Recorded and acked: a later message comes, the first one no more.
	id2, err := s.Say(webextest.SayRequest{From: alex, Text: "au revoir"})
	require.NoError(t, err)
	ev := next()
	assert.Equal(t, id2, ev.ID)
	ev.Accept(nil)
}
