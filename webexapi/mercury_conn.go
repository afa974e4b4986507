package webexapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

// Connection-level errors (reasons in StateChange.Err; they make Run reconnect).
var (
	// errDeviceGone: the websocket handshake answered 404/410: the device registration is gone.
	errDeviceGone = errors.New("mercury: device registration is gone")
	// errHandshakeUnauthorized: the websocket handshake answered 401.
	errHandshakeUnauthorized = errors.New("mercury: handshake unauthorized")
	// ErrPongTimeout: a ping stayed unanswered: the connection was declared dead and replaced.
	ErrPongTimeout = errors.New("mercury: pong timeout")
	// errServerShutdown: Mercury asked the client to reconnect.
	errServerShutdown = errors.New("mercury: server shutdown frame")
)

const (
	// maxPendingBeforeReady bounds the activities kept while waiting for readiness.
	maxPendingBeforeReady = 64
	// activityQueue is how many activities may wait for processing before the reader stops
	// reading (backpressure: unacked frames are replayed by Webex after a reconnect).
	activityQueue = 128
)

// mconn is one live Mercury connection.
type mconn struct {
	l      *Listener
	s      *session
	ws     *websocket.Conn
	writes chan []byte
	pongs  chan string
	acts   chan *mercuryFrame
	// blocked is set while the reader waits for room in acts (a slow consumer): the watchdog
	// does not declare the connection dead for pongs the reader has not read yet.
	blocked atomic.Bool
	// delivered is set once an activity went through (handed over or skipped, and acked): the
	// connection is known to work, not merely open, and the reconnection backoff starts over.
	delivered atomic.Bool
}

// runConn lives one connection: dial, authorize, wait for readiness, then a reader, a single
// writer, a watchdog and an activity processor until the first of them fails. It reports how far
// the connection went.
func (l *Listener) runConn(ctx context.Context, s *session) (st connOutcome, err error) {
	l.emit(StateChange{State: StateConnecting, DeviceURL: s.dev.URL})
	token, err := l.c.tokens.Token(ctx)
	if err != nil {
		return st, fmt.Errorf("mercury: get token: %w", err)
	}
	s.token = token
	ws, err := l.dial(ctx, s.dev.WebSocketURL)
	if err != nil {
		return st, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopClose := context.AfterFunc(ctx, func() { _ = ws.Close() }) // unblocks reads on the way out
	defer func() {
		stopClose()
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		_ = ws.Close()
	}()
	ws.SetReadLimit(int64(l.o.maxFrameSize))

	c := &mconn{
		l:      l,
		s:      s,
		ws:     ws,
		writes: make(chan []byte, 16),
		pongs:  make(chan string, 1),
		acts:   make(chan *mercuryFrame, activityQueue),
	}
	if err := c.authorize(token); err != nil {
		return st, err
	}
	pending, err := c.awaitReady()
	if err != nil {
		return st, err
	}
	st.ready = true
	l.emit(StateChange{State: StateConnected, DeviceURL: s.dev.URL})

	errc := make(chan error, 4) // one slot per goroutine: sends never block
	var wg sync.WaitGroup
	wg.Go(func() { errc <- c.writer(ctx) })
	wg.Go(func() { errc <- c.reader(ctx, pending) })
	wg.Go(func() { errc <- c.watchdog(ctx) })
	wg.Go(func() { errc <- c.processor(ctx) })
	err = <-errc
	cancel()
	wg.Wait()
	st.delivered = c.delivered.Load()
	return st, err
}

// connOutcome is how far one connection went.
type connOutcome struct {
	// ready: authorized, Mercury said it was ready (the token works).
	ready bool
	// delivered: an activity went through. Only then is the reconnection backoff reset: a
	// connection that opens and is closed at once, again and again, keeps backing off.
	delivered bool
}

// dial opens the websocket with the query parameters Webex's clients add.
func (l *Listener) dial(ctx context.Context, wsURL string) (*websocket.Conn, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return nil, fmt.Errorf("mercury: bad websocket url: %w", err)
	}
	q := u.Query()
	q.Set("outboundWireFormat", "text")
	q.Set("bufferStates", "true")
	q.Set("aliasHttpStatus", "true")
	q.Set("clientTimestamp", strconv.FormatInt(l.o.now().UnixMilli(), 10))
	u.RawQuery = q.Encode()
	ws, resp, err := l.o.dialer.DialContext(ctx, u.String(), nil)
	if err != nil {
		if resp != nil {
			switch resp.StatusCode {
			case http.StatusNotFound, http.StatusGone:
				return nil, fmt.Errorf("%w (handshake %d)", errDeviceGone, resp.StatusCode)
			case http.StatusUnauthorized:
				return nil, fmt.Errorf("%w (handshake 401)", errHandshakeUnauthorized)
			}
			return nil, fmt.Errorf("mercury: dial: handshake %d: %w", resp.StatusCode, err)
		}
		return nil, fmt.Errorf("mercury: dial: %w", err)
	}
	return ws, nil
}

// authorize sends the authorization frame (before the writer goroutine exists).
func (c *mconn) authorize(token string) error {
	var f authFrame
	f.ID, f.Type, f.Data.Token = uuid.NewString(), "authorization", "Bearer "+token
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("mercury: encode authorization: %w", err)
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.l.o.writeTimeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("mercury: send authorization: %w", err)
	}
	return nil
}

// awaitReady reads until Mercury says the connection is ready, within the ready timeout. Frames
// received before are acked, except activities, which are returned to be processed first.
func (c *mconn) awaitReady() ([]*mercuryFrame, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(c.l.o.readyTimeout))
	var pending []*mercuryFrame
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			return nil, fmt.Errorf("mercury: waiting for readiness: %w", err)
		}
		f, err := decodeFrame(b, c.l.o.maxFrameSize)
		if err != nil {
			c.l.emit(StateChange{State: StateError, Err: err, DeviceURL: c.s.dev.URL})
			if f != nil && f.ID != "" {
				if err := c.writeNow(ackFrame{Type: "ack", MessageID: f.ID}); err != nil {
					return nil, err
				}
			}
			continue
		}
		if f.activity != nil && len(pending) < maxPendingBeforeReady {
			pending = append(pending, f)
			continue
		}
		if f.activity == nil && f.ID != "" && f.Type != mercuryTypePong {
			if err := c.writeNow(ackFrame{Type: "ack", MessageID: f.ID}); err != nil {
				return nil, err
			}
		}
		if f.isReady() {
			_ = c.ws.SetReadDeadline(time.Time{})
			return pending, nil
		}
	}
}

// writeNow writes directly; only before the writer goroutine starts.
func (c *mconn) writeNow(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("mercury: encode frame: %w", err)
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.l.o.writeTimeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("mercury: write: %w", err)
	}
	return nil
}

// send queues a frame for the writer.
func (c *mconn) send(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("mercury: encode frame: %w", err)
	}
	select {
	case c.writes <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *mconn) ack(ctx context.Context, frameID string) error {
	if frameID == "" {
		return nil
	}
	return c.send(ctx, ackFrame{Type: "ack", MessageID: frameID})
}

// writer is the only goroutine that writes data frames (gorilla's rule).
func (c *mconn) writer(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case b := <-c.writes:
			_ = c.ws.SetWriteDeadline(time.Now().Add(c.l.o.writeTimeout))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				return fmt.Errorf("mercury: write: %w", err)
			}
		}
	}
}

// reader is the only goroutine that reads. A malformed frame is reported and skipped.
func (c *mconn) reader(ctx context.Context, pending []*mercuryFrame) error {
	for _, f := range pending {
		select {
		case c.acts <- f:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("mercury: read: %w", err)
		}
		f, err := decodeFrame(b, c.l.o.maxFrameSize)
		if err != nil {
			c.l.emit(StateChange{State: StateError, Err: err, DeviceURL: c.s.dev.URL})
			if f != nil {
				if err := c.ack(ctx, f.ID); err != nil {
					return err
				}
			}
			continue
		}
		switch {
		case f.Type == mercuryTypePong:
			select {
			case c.pongs <- f.ID:
			default:
			}
		case f.Type == mercuryTypeShutdown:
			return errServerShutdown
		case f.activity != nil:
			// Acked by the processor once the event is handed over.
			select {
			case c.acts <- f:
				continue
			default:
			}
			c.blocked.Store(true)
			select {
			case c.acts <- f:
				c.blocked.Store(false)
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			if err := c.ack(ctx, f.ID); err != nil {
				return err
			}
		}
	}
}

// watchdog pings every ping interval and declares the connection dead when a ping stays
// unanswered for the pong timeout.
func (c *mconn) watchdog(ctx context.Context) error {
	tick := time.NewTicker(c.l.o.pingInterval)
	defer tick.Stop()
	var deadline <-chan time.Time
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			if deadline != nil {
				continue // a ping is already outstanding
			}
			if err := c.send(ctx, pingFrame{ID: uuid.NewString(), Type: "ping"}); err != nil {
				return err
			}
			timer = time.NewTimer(c.l.o.pongTimeout)
			deadline = timer.C
		case <-c.pongs:
			if timer != nil {
				timer.Stop()
			}
			deadline = nil
		case <-deadline:
			if c.blocked.Load() {
				timer.Reset(c.l.o.pongTimeout) // the pong may be waiting behind unread frames
				continue
			}
			return ErrPongTimeout
		}
	}
}

// defaultLookupWindow is how many activities are turned into events at once, unless
// WithLookupWindow says otherwise. Each needs two REST round trips (the REST id lookup, then the
// message); one at a time would cap the whole bot at one event per two round trips, whatever the
// number of conversations (measured with relais loadtest: 100 flows at 50 ms took 10.8 s, p99 27×
// the critical path).
const defaultLookupWindow = 64

// processor turns activities into events, up to the lookup window at once. The events of one
// conversation (space and author) are handed over in arrival order; other conversations do not
// wait for them, so a slow lookup (a 429 and its Retry-After) delays only its own conversation.
// Each frame is acked after its event was handed to the consumer (or after deciding to ignore
// it). An activity whose lookup fails for a passing reason is handed over unresolved (the
// consumer records it and resolves it later), so only the consumer failing to record an event,
// or the connection itself, ends the connection.
func (c *mconn) processor(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	window := make(chan struct{}, c.l.o.lookups)
	errc := make(chan error, 1)
	var mu sync.Mutex
	latest := map[string]chan struct{}{} // per conversation: closed once its latest frame is acked
	for {
		var f *mercuryFrame
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return err
		case f = <-c.acts:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return err
		case window <- struct{}{}:
		}
		key, done := orderKey(f.activity), make(chan struct{})
		mu.Lock()
		prev := latest[key]
		latest[key] = done
		mu.Unlock()
		wg.Go(func() {
			defer func() { <-window }()
			ev, ok, err := c.l.toEvent(ctx, c.s, f.activity)
			if prev != nil {
				select {
				case <-prev:
				case <-ctx.Done():
					return
				}
			}
			if err := c.deliver(ctx, f, ev, ok, err); err != nil {
				select {
				case errc <- err:
				default:
				}
				return // done stays open: this conversation's later frames wait for the reconnect
			}
			mu.Lock()
			if latest[key] == done {
				delete(latest, key)
			}
			mu.Unlock()
			close(done)
		})
	}
}

// deliver hands one frame's event over (when there is one) and acks the frame.
func (c *mconn) deliver(ctx context.Context, f *mercuryFrame, ev Event, ok bool, err error) error {
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Gone for good (toEvent hands passing failures over unresolved): a message deleted
		// right after it was posted, a space the bot left. An ordinary event, not an error
		// state: skip it and ack the frame. An "add" activity has no unresolved form: when the
		// bot's memberships could not be read, it is dropped, and said so.
		if IsPermanent(err) {
			c.l.o.log.Debug().Err(err).Str("activity", activityID(f)).Msg("activity skipped: its object is gone")
		} else {
			c.l.o.log.Warn().Err(err).Str("activity", activityID(f)).Msg("activity dropped: Webex did not answer (the next catch-up finds a missed greeting)")
		}
	}
	if ok {
		var accepted chan error
		if c.l.o.acceptance {
			accepted = make(chan error, 1)
			ev.Accepted = accepted
		}
		ev.Ready = time.Now()
		select {
		case c.s.out <- ev:
		case <-ctx.Done():
			return ctx.Err()
		}
		if accepted != nil {
			select {
			case err := <-accepted:
				if err != nil {
					return fmt.Errorf("mercury: consumer did not record the event: %w", err)
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if err := c.ack(ctx, f.ID); err != nil {
		return err
	}
	c.delivered.Store(true)
	return nil
}

// activityID is the id of a frame's activity, for log lines.
func activityID(f *mercuryFrame) string {
	if f == nil || f.activity == nil {
		return ""
	}
	return f.activity.ID
}

// orderKey is the conversation an activity belongs to, for ordering: its space and its author.
func orderKey(a *mercuryActv) string {
	if a == nil {
		return ""
	}
	return a.Target.ID + "|" + a.Actor.ID
}
