package webexapi

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In-memory transport for synctest bubbles: REST requests call the handler directly and the
// websocket runs over net.Pipe, so every goroutine blocks durably and the fake clock advances
// as soon as they all wait (pings, pong timeouts, readiness timeouts, backoff).

type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// pipeRW is a ResponseWriter over one end of a net.Pipe that the websocket upgrader can hijack.
type pipeRW struct {
	conn   net.Conn
	brw    *bufio.ReadWriter
	h      http.Header
	status int
}

func (p *pipeRW) Header() http.Header { return p.h }

func (p *pipeRW) WriteHeader(code int) {
	if p.status != 0 {
		return
	}
	p.status = code
	fmt.Fprintf(p.brw, "HTTP/1.1 %d %s\r\nConnection: close\r\n", code, http.StatusText(code))
	_ = p.h.Write(p.brw)
	fmt.Fprint(p.brw, "\r\n")
	_ = p.brw.Flush()
}

func (p *pipeRW) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	n, err := p.brw.Write(b)
	_ = p.brw.Flush()
	return n, err
}

func (p *pipeRW) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	p.status = http.StatusSwitchingProtocols
	return p.conn, p.brw, nil
}

// newMiniWebexInMemory returns a miniWebex served without sockets, and the client options and
// listener options that reach it. Call it inside the bubble.
func newMiniWebexInMemory(t *testing.T) (*miniWebex, *Client, []ListenerOption) {
	m := buildMiniWebex(t)
	m.base = "http://mini.test"
	c := m.client(t, WithHTTPClient(&http.Client{Transport: handlerTransport{m.mux}}))
	dialer := &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			brw := bufio.NewReadWriter(bufio.NewReader(server), bufio.NewWriter(server))
			req, err := http.ReadRequest(brw.Reader)
			if err != nil {
				return
			}
			rw := &pipeRW{conn: server, brw: brw, h: http.Header{}}
			m.mux.ServeHTTP(rw, req)
		}()
		return client, nil
	}}
	return m, c, []ListenerOption{WithCatalogURL(m.catalogURL()), WithWebsocketDialer(dialer)}
}

// runInBubble runs the listener until the bubble's test function returns.
func runInBubble(t *testing.T, c *Client, opts []ListenerOption, out chan Event) (states, func() error) {
	st := make(states, 1024)
	l := NewListener(c, append(opts, WithOnState(st.on))...)
	ctx, cancel := context.WithCancel(context.Background())
	var err error
	done := make(chan struct{})
	go func() {
		err = l.Run(ctx, out)
		close(done)
	}()
	stop := func() error {
		cancel()
		<-done
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return st, stop
}

func nextState(t *testing.T, st states, want State) StateChange {
	t.Helper()
	for {
		select {
		case sc := <-st:
			if sc.State == want {
				return sc
			}
		case <-time.After(time.Hour): // fake time: fires only if the listener is stuck
			t.Fatalf("no %s state", want)
		}
	}
}

func TestWatchdogDefaultsInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, c, opts := newMiniWebexInMemory(t)
		m.silent = true
		st, stop := runInBubble(t, c, opts, make(chan Event))
		connected := nextState(t, st, StateConnected)
		down := nextState(t, st, StateDisconnected)
		require.ErrorIs(t, down.Err, ErrPongTimeout)
		assert.Equal(t, 29*time.Second, down.Time.Sub(connected.Time),
			"first ping after 15 s, declared dead 14 s later")
		assert.GreaterOrEqual(t, down.Wait, 500*time.Millisecond)
		assert.LessOrEqual(t, down.Wait, time.Second, "first backoff is at most 1 s")
		again := nextState(t, st, StateConnected)
		assert.Equal(t, down.Wait, again.Time.Sub(down.Time), "reconnected after the backoff")
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestHealthyConnectionLivesInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, c, opts := newMiniWebexInMemory(t)
		out := make(chan Event, 1)
		st, stop := runInBubble(t, c, opts, out)
		nextState(t, st, StateConnected)
		conn := <-m.conns
		<-time.After(10 * time.Minute) // fake time: 40 ping rounds
		synctest.Wait()
		for len(st) > 0 {
			sc := <-st
			require.NotEqual(t, StateDisconnected, sc.State, "dropped: %v", sc.Err)
		}
		conn.send(t, m.activityFrame("f1", "a1", "post", "PERSON", "p1"))
		assert.Equal(t, "MSG-a1", (<-out).ID)
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestReadyTimeoutInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, c, opts := newMiniWebexInMemory(t)
		m.withoutReady = true
		st, stop := runInBubble(t, c, opts, make(chan Event))
		connecting := nextState(t, st, StateConnecting)
		down := nextState(t, st, StateDisconnected)
		assert.Equal(t, 30*time.Second, down.Time.Sub(connecting.Time))
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestBackoffCapInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, c, opts := newMiniWebexInMemory(t)
		m.handshakeCode = func(int) int { return http.StatusServiceUnavailable }
		st, stop := runInBubble(t, c, opts, make(chan Event))
		var last time.Time
		for i := 1; i <= 12; i++ {
			sc := nextState(t, st, StateDisconnected)
			want := min(32*time.Second, time.Second<<(i-1))
			assert.Equal(t, i, sc.Attempt)
			assert.GreaterOrEqual(t, sc.Wait, want/2, "attempt %d", i)
			assert.LessOrEqual(t, sc.Wait, want, "attempt %d: capped at 32 s", i)
			if !last.IsZero() {
				assert.LessOrEqual(t, sc.Time.Sub(last), 32*time.Second)
			}
			last = sc.Time
		}
		require.ErrorIs(t, stop(), context.Canceled)
	})
}
