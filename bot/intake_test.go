package bot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// A message whose read Webex answers 429 with Retry-After: 5 is not lost and costs no
// reconnection: it is recorded unresolved, its frame acked, and the bot reads it itself once the
// shared backoff allows (the clock is moved, nobody sleeps), then answers it once.
func TestUnresolvedMessageAnsweredWithoutReconnecting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	intake := h.rt.Metrics.Intake
	connected := func() float64 {
		return counterValue(h.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateConnected)))
	}
	connectedBefore := connected()

	h.fake.SetFaults(webextest.Faults{Rate429: 1, RetryAfterSeconds: 5})
	id, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "aide"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return counterValue(intake.Unresolved) == 1 }, 10*time.Second, time.Millisecond,
		"the message is recorded unresolved")

	// Its first retry comes due; Webex still says 429, Retry-After: 5.
	h.clock.Advance(3 * time.Second)
	h.rt.Bot.Poke()
	retries := intake.Resolutions.WithLabelValues("retry")
	require.Eventually(t, func() bool { return counterValue(retries) >= 1 }, 10*time.Second, time.Millisecond)

	h.fake.SetFaults(webextest.Faults{})
	h.rt.Bot.Poke()
	require.Never(t, func() bool { return counterValue(intake.Resolutions.WithLabelValues("resolved")) > 0 },
		50*time.Millisecond, 5*time.Millisecond, "Retry-After is honoured")
	h.clock.Advance(6 * time.Second)
	h.rt.Bot.Poke()
	h.waitHandled(id)

	assert.Len(t, h.fake.BotMessages(alex), 1, "answered once")
	assert.Equal(t, 1.0, counterValue(intake.Resolutions.WithLabelValues("resolved")))
	assert.Equal(t, connectedBefore, connected(), "no reconnection")
	require.NoError(t, h.rt.Ready(context.Background()))
}

// A conversation is handled in order: a message that arrives readable while an earlier one of
// the same person and space is still unresolved waits behind it.
func TestLaterMessageWaitsBehindUnresolvedOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.fake.SetFaults(webextest.Faults{Rate429: 1, RetryAfterSeconds: 5})
	first, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "aide"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return counterValue(h.rt.Metrics.Intake.Unresolved) == 1 }, 10*time.Second, time.Millisecond)

	h.fake.SetFaults(webextest.Faults{})
	second, err := h.fake.Say(webextest.SayRequest{From: alex, Text: "help"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := h.rt.Store.GetOutboxItem(context.Background(), "intake:"+webexapi.UUIDOf(second))
		return err == nil
	}, 10*time.Second, time.Millisecond, "the second message is queued behind the first")

	h.clock.Advance(3 * time.Second)
	h.rt.Bot.Poke()
	var order []string
	for len(order) < 2 {
		select {
		case id := <-h.handled:
			order = append(order, id)
		case <-time.After(20 * time.Second):
			t.Fatalf("handled only %v", order)
		}
	}
	assert.Equal(t, []string{first, second}, order)
	assert.Len(t, h.fake.BotMessages(alex), 2)
}

// frontDoor stands in front of a fake Webex and can refuse the websocket (the intake is down),
// or take the device over as another process would (Mercury closes with 4000).
type frontDoor struct {
	fake     *webextest.Server
	refuse   atomic.Bool // answer websocket handshakes 503
	replace  atomic.Bool // accept the websocket, then close it with 4000
	failPuts atomic.Bool // answer 500 to a PUT /v1/webhooks/{id} that re-activates
}

func (f *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/mercury/") && f.refuse.Load():
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	case strings.HasPrefix(r.URL.Path, "/mercury/") && f.replace.Load():
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		_, _, _ = ws.ReadMessage() // the authorization
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "replaced"), time.Now().Add(time.Second))
		_ = ws.Close()
		return
	case r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/v1/webhooks/") && f.failPuts.Load():
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(`"status":"active"`)) {
			http.Error(w, `{"message":"injected"}`, http.StatusInternalServerError)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	f.fake.Handler().ServeHTTP(w, r)
}

// startBehindFrontDoor starts a harness whose fake Webex is reached through a front door.
func startBehindFrontDoor(t *testing.T, o harnessOptions) (*harness, *frontDoor) {
	t.Helper()
	clk := newClock(reference)
	door := &frontDoor{fake: webextest.New(webextest.Options{Clock: clk.Now, WebhookRetryDelay: 10 * time.Millisecond})}
	srv := httptest.NewServer(door)
	door.fake.SetURL(srv.URL)
	t.Cleanup(func() {
		door.fake.Close()
		srv.Close()
	})
	o.fake = door.fake
	return newHarness(t, o), door
}

// /readyz is red when the websocket stays down past the grace period, and green again once it
// is back; a reconnection within the grace period never turns it red.
func TestReadyzFollowsTheWebsocket(t *testing.T) {
	t.Parallel()
	h, door := startBehindFrontDoor(t, harnessOptions{tune: func(c *bot.RuntimeConfig) {
		c.IntakeGrace = time.Minute
		c.AdminAddr = "127.0.0.1:0"
	}})
	readyz := func() int {
		resp, err := http.Get("http://" + h.rt.AdminAddr() + "/readyz")
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, readyz())

	door.refuse.Store(true)
	door.fake.DropWebsockets()
	disconnected := h.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateDisconnected))
	require.Eventually(t, func() bool { return counterValue(disconnected) >= 2 }, 10*time.Second, time.Millisecond,
		"the listener tries again and is refused")
	assert.Equal(t, http.StatusOK, readyz(), "within the grace period")

	h.clock.Advance(2 * time.Minute)
	require.Equal(t, http.StatusServiceUnavailable, readyz(), "down longer than the grace period")

	door.refuse.Store(false)
	require.Eventually(t, func() bool { return readyz() == http.StatusOK }, 10*time.Second, 5*time.Millisecond,
		"green again once reconnected")
}

// Another process took the device (close 4000): the listener stops reconnecting on it, the
// process stays up and /readyz is red.
func TestDeviceTakenByAnotherProcessFailsReadiness(t *testing.T) {
	t.Parallel()
	h, door := startBehindFrontDoor(t, harnessOptions{})
	connecting := h.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateConnecting))
	door.replace.Store(true)
	door.fake.DropWebsockets()
	stopped := h.rt.Metrics.WebsocketEvents.WithLabelValues(string(webexapi.StateStopped))
	require.Eventually(t, func() bool { return counterValue(stopped) == 1 }, 10*time.Second, time.Millisecond)
	require.Eventually(t, func() bool {
		return errors.Is(h.rt.Ready(context.Background()), webexapi.ErrDeviceReplaced)
	}, 10*time.Second, time.Millisecond, "not ready")
	before := counterValue(connecting)
	require.Never(t, func() bool { return counterValue(connecting) > before }, 100*time.Millisecond, 10*time.Millisecond,
		"no reconnection on a device another process uses")
	select {
	case err := <-h.done:
		t.Fatalf("the process stopped: %v", err)
	default:
	}
}

// setWebhooksInactive marks every webhook of the bot inactive, as Webex does after failed
// deliveries.
func setWebhooksInactive(t *testing.T, fake *webextest.Server) {
	t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL(fake.APIURL()), webexapi.WithToken(fake.BotToken()))
	require.NoError(t, err)
	ctx := context.Background()
	n := 0
	for w, err := range c.Webhooks.All(ctx, nil) {
		require.NoError(t, err)
		_, err := c.Webhooks.Update(ctx, w.ID, &webexapi.WebhookUpdateRequest{Name: w.Name, TargetURL: w.TargetURL, Status: webexapi.WebhookStatusInactive})
		require.NoError(t, err)
		n++
	}
	require.Positive(t, n)
}

func webhookStatuses(t *testing.T, fake *webextest.Server) []string {
	t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL(fake.APIURL()), webexapi.WithToken(fake.BotToken()))
	require.NoError(t, err)
	var out []string
	for w, err := range c.Webhooks.All(context.Background(), nil) {
		require.NoError(t, err)
		out = append(out, w.Status)
	}
	return out
}

// A webhook Webex marked inactive is found by the periodic check and re-activated, with a metric;
// one that cannot be re-activated turns /readyz red until a later check mends it.
func TestInactiveWebhookIsReactivated(t *testing.T) {
	t.Parallel()
	h, door := startBehindFrontDoor(t, harnessOptions{mode: "webhook", tune: func(c *bot.RuntimeConfig) {
		c.WebhookCheckInterval = 10 * time.Millisecond
	}})
	reactivations := h.rt.Metrics.Intake.WebhookReactivations

	registered := len(webhookStatuses(t, h.fake)) // messages, attachmentActions, memberships
	require.GreaterOrEqual(t, registered, 3)
	setWebhooksInactive(t, h.fake)
	require.Eventually(t, func() bool { return counterValue(reactivations) == float64(registered) }, 10*time.Second, time.Millisecond)
	for _, status := range webhookStatuses(t, h.fake) {
		assert.Equal(t, "active", status)
	}
	require.NoError(t, h.rt.Ready(context.Background()))
	h.dm(alex, "aide") // delivered again

	door.failPuts.Store(true)
	setWebhooksInactive(t, h.fake)
	require.Eventually(t, func() bool {
		err := h.rt.Ready(context.Background())
		return err != nil && strings.Contains(err.Error(), "could not be re-activated")
	}, 10*time.Second, time.Millisecond, "red while inactive")

	door.failPuts.Store(false)
	require.Eventually(t, func() bool { return h.rt.Ready(context.Background()) == nil }, 10*time.Second, time.Millisecond,
		"green again once re-activated")
	assert.Equal(t, float64(2*registered), counterValue(reactivations))
}

// failingEnqueue refuses to record events while fail is set: the database is down.
type failingEnqueue struct {
	store.Store
	fail atomic.Bool
}

func (s *failingEnqueue) Enqueue(ctx context.Context, item store.OutboxItem) (bool, error) {
	if s.fail.Load() {
		return false, errors.New("injected: database unavailable")
	}
	return s.Store.Enqueue(ctx, item)
}

// The webhook receiver answers 200 only once the event is recorded; when it cannot be, 503, so
// that Webex (which may or may not retry) is not told the event is safe.
func TestWebhookAnswered5xxWhenTheEventCannotBeRecorded(t *testing.T) {
	t.Parallel()
	st := &failingEnqueue{}
	h := newHarness(t, harnessOptions{mode: "webhook", wrapStore: func(s store.Store) store.Store { st.Store = s; return st }})
	post := func(id string) int {
		body := []byte(`{"id":"wh","name":"relais:messages.created","resource":"messages","event":"created",` +
			`"data":{"id":"` + id + `","roomId":"R","roomType":"direct","personId":"P","personEmail":"someone@example.com"}}`)
		req, err := http.NewRequest(http.MethodPost, "http://"+h.rt.WebhookAddr()+"/webex/events", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(webexapi.HeaderSparkSignature, webexapi.SignWebhook([]byte("a-webhook-secret-for-tests"), body))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	st.fail.Store(true)
	assert.Equal(t, http.StatusServiceUnavailable, post("MSG-1"))
	st.fail.Store(false)
	assert.Equal(t, http.StatusOK, post("MSG-2"))
	require.NoError(t, h.rt.Ready(context.Background()), "one event that failed does not turn readiness red")
}
