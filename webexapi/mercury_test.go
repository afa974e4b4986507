package webexapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runListener starts l.Run and returns its lifecycle, its result and a stop function.
func runListener(t *testing.T, c *Client, out chan Event, opts ...ListenerOption) (states, *runResult, context.CancelFunc) {
	t.Helper()
	st := make(states, 256)
	opts = append([]ListenerOption{
		WithOnState(st.on),
		WithReconnectBackoff(Backoff{Base: time.Millisecond, Max: 4 * time.Millisecond}),
		WithReadyTimeout(5 * time.Second),
	}, opts...)
	l := NewListener(c, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := &runResult{done: make(chan struct{})}
	go func() {
		done.err = l.Run(ctx, out)
		close(done.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done.done:
		case <-time.After(10 * time.Second):
			t.Error("listener did not stop")
		}
	})
	return st, done, cancel
}

// runResult is Run's outcome.
type runResult struct {
	done chan struct{}
	err  error
}

// wait returns Run's error once it returned.
func (r *runResult) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.done:
		return r.err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestListenerTurnsActivitiesIntoEvents(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 16)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateConnected })

	// Ignored: the bot's own post (type BOT), a post by the bot's uuid, another verb, and a
	// malformed frame (reported, acked, skipped; the connection lives on).
	c.send(t, m.activityFrame("f-bot", "a-bot", "post", "BOT", "someone"))
	c.send(t, m.activityFrame("f-me", "a-me", "post", "PERSON", miniBotUUID))
	c.send(t, m.activityFrame("f-ack", "a-ack", "acknowledge", "PERSON", "p1"))
	c.send(t, []byte(`{"id":"f-bad","data":{"eventType":"conversation.activity","activity":{"id":7}}}`))
	c.send(t, []byte(`not json at all`))
	c.send(t, m.activityFrame("f-post", "a-post", "post", "PERSON", "p1"))
	c.send(t, m.activityFrame("f-card", "a-card", "cardAction", "PERSON", "p1"))

	ev := waitEvent(t, out)
	assert.Equal(t, EventMessageCreated, ev.Kind)
	assert.Equal(t, SourceWebsocket, ev.Source)
	assert.Equal(t, "MSG-a-post", ev.ID, "REST id comes from the conversation-URL lookup")
	assert.Equal(t, "ROOM", ev.RoomID)
	assert.Equal(t, "direct", ev.RoomType)
	assert.Equal(t, "PERSON", ev.PersonID)
	assert.Equal(t, "alex@example.com", ev.PersonEmail)
	require.NotNil(t, ev.Message)
	assert.Equal(t, "hello", ev.Message.Text)

	ev = waitEvent(t, out)
	assert.Equal(t, EventCardSubmitted, ev.Kind)
	assert.Equal(t, "ACT-a-card", ev.ID)
	assert.Equal(t, "CARDMSG", ev.MessageID)
	assert.Equal(t, "ROOM", ev.RoomID)
	assert.Equal(t, "direct", ev.RoomType)
	require.NotNil(t, ev.Action)

	waitAcks(t, m, "f-bot", "f-me", "f-ack", "f-bad", "f-post", "f-card")
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateError && errors.Is(sc.Err, errMalformedFrame) })
	select {
	case ev := <-out:
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
	n, created := m.deviceCount()
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, created)
}

func TestListenerReusesDeviceAndDeletesOnExit(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.devices["existing"] = "relais-test"
	out := make(chan Event, 1)
	st, done, cancel := runListener(t, m.client(t), out,
		WithCatalogURL(m.catalogURL()), WithDeviceName("relais-test"), WithDeleteDeviceOnExit(true))
	sc := waitState(t, st, func(sc StateChange) bool {
		return sc.State == StateDeviceReused || sc.State == StateDeviceRegistered
	})
	assert.Equal(t, StateDeviceReused, sc.State)
	assert.Contains(t, sc.DeviceURL, "/devices/existing")
	c := waitConn(t, m)
	assert.Equal(t, "existing", c.deviceID)
	cancel()
	require.ErrorIs(t, done.wait(t), context.Canceled)
	n, created := m.deviceCount()
	assert.Equal(t, 0, created, "no new registration")
	assert.Equal(t, 0, n, "deleted on exit")
}

func TestListenerReRegistersWhenDeviceIsGone(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithDeviceServiceURL(m.srv.URL+"/wdm/api/v1"))
	c := waitConn(t, m)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateConnected })
	// Webex forgets the device; the socket drops; the handshake now answers 404.
	m.mu.Lock()
	delete(m.devices, c.deviceID)
	m.mu.Unlock()
	c.closeWith(websocket.CloseAbnormalClosure)
	waitState(t, st, func(sc StateChange) bool {
		return sc.State == StateDisconnected && errors.Is(sc.Err, errDeviceGone)
	})
	c2 := waitConn(t, m)
	assert.NotEqual(t, c.deviceID, c2.deviceID)
	n, created := m.deviceCount()
	assert.Equal(t, 1, n)
	assert.Equal(t, 2, created)
}

// rotatingToken hands out "old" until invalidated, then "tok".
type rotatingToken struct {
	mu          sync.Mutex
	cur         string
	invalidated atomic.Int32
}

func (r *rotatingToken) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur, nil
}

func (r *rotatingToken) Invalidate(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if tok == r.cur {
		r.cur = "tok"
		r.invalidated.Add(1)
	}
}

func TestListenerReauthorizesOn4401(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.restTokens["old"] = true // REST still takes it; Mercury does not
	ts := &rotatingToken{cur: "old"}
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t, WithTokenSource(ts)), out, WithCatalogURL(m.catalogURL()))
	waitState(t, st, func(sc StateChange) bool {
		var ce *websocket.CloseError
		return sc.State == StateDisconnected && errors.As(sc.Err, &ce) && ce.Code == 4401
	})
	waitConn(t, m)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateConnected })
	assert.Equal(t, int32(1), ts.invalidated.Load())
}

func TestListenerStopsOnInvalidToken(t *testing.T) {
	t.Parallel()
	t.Run("people/me 401", func(t *testing.T) {
		t.Parallel()
		m := newMiniWebex(t)
		out := make(chan Event)
		_, done, _ := runListener(t, m.client(t, WithToken("secret-xyz")), out, WithCatalogURL(m.catalogURL()))
		err := done.wait(t)
		require.ErrorIs(t, err, ErrInvalidToken)
		assert.True(t, IsUnauthorized(err))
		assert.NotContains(t, err.Error(), "secret-xyz", "the token is never in an error")
	})
	t.Run("4401 repeatedly", func(t *testing.T) {
		t.Parallel()
		m := newMiniWebex(t)
		m.wsTokens = map[string]bool{}
		out := make(chan Event)
		_, done, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
		require.ErrorIs(t, done.wait(t), ErrInvalidToken)
	})
	t.Run("4403", func(t *testing.T) {
		t.Parallel()
		m := newMiniWebex(t)
		m.authCloseCode = func(int) int { return 4403 }
		out := make(chan Event)
		_, done, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
		require.ErrorIs(t, done.wait(t), ErrMercuryRefused)
	})
}

func TestListenerReplacesSilentConnection(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.silent = true
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()),
		WithPingInterval(5*time.Millisecond), WithPongTimeout(20*time.Millisecond))
	waitConn(t, m)
	waitState(t, st, func(sc StateChange) bool {
		return sc.State == StateDisconnected && errors.Is(sc.Err, ErrPongTimeout)
	})
	waitConn(t, m) // replaced
}

func TestListenerKeepsHealthyConnection(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()),
		WithPingInterval(2*time.Millisecond), WithPongTimeout(2*time.Second))
	c := waitConn(t, m)
	// Many ping rounds later the connection still delivers.
	c.send(t, m.activityFrame("f1", "a1", "post", "PERSON", "p1"))
	assert.Equal(t, "MSG-a1", waitEvent(t, out).ID)
	for {
		select {
		case sc := <-st:
			require.NotEqual(t, StateDisconnected, sc.State, "healthy connection dropped: %v", sc.Err)
			continue
		default:
		}
		break
	}
}

func TestListenerReadyTimeout(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.withoutReady = true
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()), WithReadyTimeout(20*time.Millisecond))
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateDisconnected && sc.Attempt == 2 })
}

func TestBackoffIsJitteredExponentialAndCapped(t *testing.T) {
	t.Parallel()
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for n := 1; n <= 200; n++ {
		d := b.Wait(n)
		want := min(time.Second, 100*time.Millisecond<<min(n-1, 20))
		require.GreaterOrEqual(t, d, want/2, "attempt %d", n)
		require.LessOrEqual(t, d, want, "attempt %d", n)
	}
	assert.LessOrEqual(t, Backoff{}.Wait(1000), 32*time.Second, "default cap")
}

func TestListenerBacksOffWithCapAndResetsAfterHealthyConnection(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	var fail atomic.Bool
	fail.Store(true)
	m.handshakeCode = func(int) int {
		if fail.Load() {
			return http.StatusBadGateway
		}
		return 0
	}
	waits := make(chan time.Duration, 64)
	var calls atomic.Int32
	sleep := func(ctx context.Context, d time.Duration) error {
		waits <- d
		if calls.Add(1) == 8 {
			fail.Store(false) // the 9th handshake succeeds
		}
		return ctx.Err()
	}
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()),
		WithReconnectBackoff(Backoff{Base: time.Second, Max: 8 * time.Second}), WithListenerSleep(sleep))
	for i := 1; i <= 8; i++ {
		d := <-waits
		want := min(8*time.Second, time.Second<<(i-1))
		require.GreaterOrEqual(t, d, want/2, "wait %d", i)
		require.LessOrEqual(t, d, want, "wait %d", i)
	}
	c := waitConn(t, m)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateConnected })
	// Open is not enough: only a connection that delivered an event resets the backoff.
	c.closeWith(websocket.CloseGoingAway)
	sc := waitState(t, st, func(sc StateChange) bool { return sc.State == StateDisconnected })
	assert.Equal(t, 9, sc.Attempt, "a connection that merely opened does not reset the backoff")
	<-waits
	c = waitConn(t, m)
	c.send(t, m.activityFrame("f1", "a1", "post", "PERSON", "p1"))
	waitEvent(t, out)
	waitAck(t, m, "f1")
	c.closeWith(websocket.CloseGoingAway)
	sc = waitState(t, st, func(sc StateChange) bool { return sc.State == StateDisconnected })
	assert.Equal(t, 1, sc.Attempt, "backoff reset after a connection that delivered an event")
	d := <-waits
	assert.LessOrEqual(t, d, time.Second)
}

func TestListenerStopsWhenAnotherProcessTakesTheDevice(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 1)
	_, res, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()), WithDeleteDeviceOnExit(true),
		WithListenerSleep(func(ctx context.Context, d time.Duration) error { return ctx.Err() }))
	c := waitConn(t, m)
	c.closeWith(closeReplaced) // the other process's connection takes the device
	err := res.wait(t)
	require.ErrorIs(t, err, ErrDeviceReplaced)
	m.mu.Lock()
	handshakes := m.handshakes
	m.mu.Unlock()
	assert.Equal(t, 1, handshakes, "no reconnection after 4000")
	n, _ := m.deviceCount()
	assert.Equal(t, 1, n, "the device the other process uses is not deleted")
}

// A deleted message (404), a space the bot left (403), an edit or a deletion: skipped quietly,
// acked, never an error state (readiness follows error states).
func TestListenerSkipsDeletedMessage(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 4)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	c.send(t, m.activityFrame("f-gone", "gone", "post", "PERSON", "p1"))
	c.send(t, m.activityFrame("f-left", "forbidden", "post", "PERSON", "p1"))
	c.send(t, m.activityFrame("f-edit", "edit", "update", "PERSON", "p1"))
	c.send(t, m.activityFrame("f-del", "del", "delete", "PERSON", "p1"))
	c.send(t, m.activityFrame("f-ok", "ok", "post", "PERSON", "p1"))
	assert.Equal(t, "MSG-ok", waitEvent(t, out).ID)
	waitAcks(t, m, "f-gone", "f-left", "f-edit", "f-del", "f-ok")
	for len(st) > 0 {
		sc := <-st
		assert.NotContains(t, []State{StateError, StateDisconnected}, sc.State, "%v", sc.Err)
	}
	select {
	case ev := <-out:
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
}

// A message with files arrives as verb share: a new message like any other.
func TestListenerTurnsShareIntoMessage(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 4)
	runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	c.send(t, m.activityFrame("f-share", "shared", "share", "PERSON", "p1"))
	ev := waitEvent(t, out)
	assert.Equal(t, EventMessageCreated, ev.Kind)
	assert.Equal(t, "MSG-shared", ev.ID)
	require.NotNil(t, ev.Message)
	assert.Equal(t, "hello", ev.Message.Text)
	waitAck(t, m, "f-share")
}

func TestListenerReplacesListedDeviceWhoseSocketIsGone(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.devices["stale"] = DefaultDeviceName
	m.handshakeCode = func(n int) int {
		if n == 1 {
			return http.StatusNotFound // WDM still lists it, Mercury forgot it
		}
		return 0
	}
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	assert.NotEqual(t, "stale", c.deviceID)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateConnected })
	n, created := m.deviceCount()
	assert.Equal(t, 1, n, "the stale registration was deleted")
	assert.Equal(t, 1, created)
}

func TestListenerRejectsNilChannel(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	require.Error(t, NewListener(m.client(t)).Run(context.Background(), nil))
}

func TestListenerReconnectsOnShutdownFrame(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	c.send(t, map[string]string{"id": "s1", "type": "shutdown"})
	waitState(t, st, func(sc StateChange) bool {
		return sc.State == StateDisconnected && errors.Is(sc.Err, errServerShutdown)
	})
	c2 := waitConn(t, m)
	assert.Equal(t, c.deviceID, c2.deviceID, "same device")
	c2.send(t, m.activityFrame("f2", "a2", "post", "PERSON", "p1"))
	assert.Equal(t, "MSG-a2", waitEvent(t, out).ID)
}

func TestListenerRefreshesDeviceAfterCloseWithoutStatus(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	out := make(chan Event, 1)
	st, _, _ := runListener(t, m.client(t), out, WithCatalogURL(m.catalogURL()))
	c := waitConn(t, m)
	c.closeWith(websocket.CloseNoStatusReceived)
	waitState(t, st, func(sc StateChange) bool { return sc.State == StateDisconnected })
	c2 := waitConn(t, m)
	assert.Equal(t, c.deviceID, c2.deviceID)
	m.mu.Lock()
	defer m.mu.Unlock()
	assert.Equal(t, 1, m.refreshed)
	assert.Equal(t, 1, m.created)
}
