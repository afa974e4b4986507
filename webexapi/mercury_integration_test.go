package webexapi_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

const alex = "alex.martin@example.com"

func fakeClient(t *testing.T, s *webextest.Server) *webexapi.Client {
	t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL(s.APIURL()), webexapi.WithToken(s.BotToken()))
	require.NoError(t, err)
	return c
}

// startFakeListener runs a listener against the fake until the test ends and waits until it is
// connected.
func startFakeListener(t *testing.T, s *webextest.Server, c *webexapi.Client, out chan webexapi.Event) chan webexapi.StateChange {
	t.Helper()
	st := make(chan webexapi.StateChange, 1024)
	l := webexapi.NewListener(c,
		webexapi.WithCatalogURL(s.CatalogURL()),
		webexapi.WithReconnectBackoff(webexapi.Backoff{Base: time.Millisecond, Max: 20 * time.Millisecond}),
		webexapi.WithOnState(func(sc webexapi.StateChange) {
			select {
			case st <- sc:
			default:
			}
		}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, context.Canceled)
		case <-time.After(10 * time.Second):
			t.Error("listener did not stop")
		}
	})
	deadline := time.After(10 * time.Second)
	for {
		select {
		case sc := <-st:
			if sc.State == webexapi.StateConnected {
				return st
			}
		case err := <-done:
			t.Fatalf("listener stopped: %v", err)
		case <-deadline:
			t.Fatal("listener never connected")
		}
	}
}

func nextEvent(t *testing.T, out <-chan webexapi.Event) webexapi.Event {
	t.Helper()
	select {
	case ev := <-out:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for an event")
		return webexapi.Event{}
	}
}

// scenario says, in the fake, a 1:1 message, a group message that mentions the bot, a thread
// reply, and a card submission on a card the bot posted; then a sentinel message. It checks that
// each arrives exactly once, in order, and that nothing else (the bot's own card message) does.
func scenario(t *testing.T, s *webextest.Server, c *webexapi.Client, out <-chan webexapi.Event, source webexapi.EventSource) {
	t.Helper()
	ctx := context.Background()
	me, err := c.People.Me(ctx)
	require.NoError(t, err)

	direct, err := s.Say(webextest.SayRequest{From: alex, Text: "programme une rencontre pour Marie demain à 14h"})
	require.NoError(t, err)
	ev := nextEvent(t, out)
	assert.Equal(t, webexapi.EventMessageCreated, ev.Kind)
	assert.Equal(t, source, ev.Source)
	assert.Equal(t, direct, ev.ID)
	assert.Equal(t, webexapi.RoomTypeDirect, ev.RoomType)
	assert.Equal(t, alex, ev.PersonEmail)
	assert.NotEmpty(t, ev.RoomID)
	assert.NotEmpty(t, ev.PersonID)
	assert.NotEqual(t, me.ID, ev.PersonID)
	if source == webexapi.SourceWebsocket {
		require.NotNil(t, ev.Message, "the listener keeps the fetched message")
		assert.Equal(t, "programme une rencontre pour Marie demain à 14h", ev.Message.Text)
	}

	group, err := s.Say(webextest.SayRequest{From: alex, Text: "Relais schedule a meeting", Room: "Équipe"})
	require.NoError(t, err)
	ev = nextEvent(t, out)
	assert.Equal(t, group, ev.ID)
	assert.Equal(t, webexapi.RoomTypeGroup, ev.RoomType)

	reply, err := s.Say(webextest.SayRequest{From: alex, Text: "Relais oui", ParentID: group, Room: "Équipe"})
	require.NoError(t, err)
	ev = nextEvent(t, out)
	assert.Equal(t, reply, ev.ID)
	assert.Equal(t, group, ev.ParentID)

	card, err := webexapi.CardAttachment(map[string]any{"type": "AdaptiveCard", "version": "1.3",
		"body":    []any{map[string]any{"type": "TextBlock", "text": "Confirmer ?"}},
		"actions": []any{map[string]any{"type": "Action.Submit", "title": "Oui", "data": map[string]any{"answer": "yes"}}}})
	require.NoError(t, err)
	cardMsg, err := c.Messages.Create(ctx, &webexapi.MessageRequest{ToPersonEmail: alex, Text: "Confirmer ?", Attachments: []webexapi.Attachment{card}})
	require.NoError(t, err)
	action, err := s.SubmitCard(webextest.CardSubmission{From: alex, MessageID: cardMsg.ID, Inputs: map[string]any{"answer": "yes"}})
	require.NoError(t, err)
	ev = nextEvent(t, out)
	assert.Equal(t, webexapi.EventCardSubmitted, ev.Kind, "the bot's own card message produced no event")
	assert.Equal(t, action, ev.ID)
	assert.Equal(t, cardMsg.ID, ev.MessageID)
	assert.NotEmpty(t, ev.PersonID)

	sentinel, err := s.Say(webextest.SayRequest{From: alex, Text: "fin"})
	require.NoError(t, err)
	assert.Equal(t, sentinel, nextEvent(t, out).ID, "nothing arrived twice or out of turn")
}

func TestListenerEndToEndWithFake(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	out := make(chan webexapi.Event, 16)
	startFakeListener(t, s, c, out)
	scenario(t, s, c, out, webexapi.SourceWebsocket)
}

func TestWebhooksEndToEndWithFake(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	ctx := context.Background()
	me, err := c.People.Me(ctx)
	require.NoError(t, err)
	out := make(chan webexapi.Event, 16)
	h, err := webexapi.NewWebhookHandler("whsecret", out, webexapi.WithIgnoredPersons(me.ID))
	require.NoError(t, err)
	recv := httptest.NewServer(h)
	t.Cleanup(recv.Close)
	rep, err := webexapi.SyncWebhooks(ctx, c, webexapi.WebhookConfig{TargetURL: recv.URL + "/webhook", Secret: "whsecret"})
	require.NoError(t, err)
	assert.Len(t, rep.Created, 3)
	scenario(t, s, c, out, webexapi.SourceWebhook)
}

// TestListenerSurvivesDropsWithoutLoss says 1,000 messages while the fake cuts every websocket
// every 100 messages. Every message arrives; redeliveries after a reconnect are possible (Webex
// replays unacked frames) and are removed by the consumer's de-duplication by Event.ID, which is
// the design: the bot keeps processed-event ids in its store. The device is reused.
func TestListenerSurvivesDropsWithoutLoss(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("1,000 messages")
	}
	const n = 1000
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	out := make(chan webexapi.Event, 64)
	st := startFakeListener(t, s, c, out)

	sent := make(map[string]bool, n)
	var mu sync.Mutex
	sayErr := make(chan error, 1)
	go func() {
		for range n {
			id, err := s.Say(webextest.SayRequest{From: alex, Text: "message"})
			if err != nil {
				sayErr <- err
				return
			}
			mu.Lock()
			sent[id] = true
			mu.Unlock()
		}
		sayErr <- nil
	}()

	seen := make(map[string]int, n) // the consumer-side dedup
	duplicates := 0
	// The deadline follows the work done: it fails only when no event has arrived for a while,
	// so a slow machine is slower, not red.
	const stall = 30 * time.Second
	deadline := time.NewTimer(stall)
	defer deadline.Stop()
	for len(seen) < n {
		select {
		case ev := <-out:
			deadline.Reset(stall)
			if seen[ev.ID] > 0 {
				duplicates++
				continue
			}
			seen[ev.ID]++
			if len(seen)%100 == 50 { // cut every websocket in the middle of the stream
				s.DropWebsockets()
			}
		case err := <-sayErr:
			require.NoError(t, err)
			sayErr = nil
		case <-deadline.C:
			t.Fatalf("only %d of %d messages arrived, none for %s", len(seen), n, stall)
		}
	}
	if sayErr != nil {
		require.NoError(t, <-sayErr)
	}
	mu.Lock()
	for id := range seen {
		assert.True(t, sent[id], "unknown event %s", id)
	}
	assert.Len(t, sent, n)
	mu.Unlock()
	t.Logf("%d redeliveries removed by the consumer's dedup", duplicates)

	disconnects, reused, registered := 0, 0, 0
	for len(st) > 0 {
		switch (<-st).State {
		case webexapi.StateDisconnected:
			disconnects++
		case webexapi.StateDeviceReused:
			reused++
		case webexapi.StateDeviceRegistered:
			registered++
		}
	}
	// The cuts as the fake saw them: each cut a live websocket, and each was followed by a new
	// connection (the last messages arrived after the last cut).
	ws := s.WebsocketCounts()
	assert.GreaterOrEqual(t, ws.Cut, 5, "websockets the fake cut")
	assert.GreaterOrEqual(t, ws.Opened, ws.Cut+1, "a reconnection after each cut")
	assert.GreaterOrEqual(t, disconnects, ws.Cut, "the listener saw every cut")
	t.Logf("the fake cut %d websockets and accepted %d", ws.Cut, ws.Opened)
	assert.Zero(t, registered+reused, "the device registration is kept across reconnects")

	devs, err := webexapi.NewDevices(c, webexapi.DevicesConfig{CatalogURL: s.CatalogURL()}).List(context.Background())
	require.NoError(t, err)
	assert.Len(t, devs, 1, "the device is reused")
}

// TestListenerReusesDeviceAcrossRuns: a second start finds the device by name.
func TestListenerReusesDeviceAcrossRuns(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := fakeClient(t, s)
	for range 2 {
		out := make(chan webexapi.Event, 1)
		ctx, cancel := context.WithCancel(context.Background())
		st := make(chan webexapi.StateChange, 64)
		l := webexapi.NewListener(c, webexapi.WithCatalogURL(s.CatalogURL()), webexapi.WithOnState(func(sc webexapi.StateChange) {
			select {
			case st <- sc:
			default:
			}
		}))
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx, out) }()
		for sc := range st {
			if sc.State == webexapi.StateConnected {
				break
			}
		}
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	}
	devs, err := webexapi.NewDevices(c, webexapi.DevicesConfig{CatalogURL: s.CatalogURL()}).List(context.Background())
	require.NoError(t, err)
	assert.Len(t, devs, 1)
}

func TestListenerStopsOnUnknownTokenWithFake(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c, err := webexapi.NewClient(webexapi.WithBaseURL(s.APIURL()), webexapi.WithToken("not-a-token"))
	require.NoError(t, err)
	l := webexapi.NewListener(c, webexapi.WithCatalogURL(s.CatalogURL()))
	err = l.Run(context.Background(), make(chan webexapi.Event))
	require.ErrorIs(t, err, webexapi.ErrInvalidToken)
}
