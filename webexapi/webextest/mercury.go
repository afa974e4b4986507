package webextest

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Mercury close codes.
const (
	closeNotAuthorized = 4401
	// closeReplaced closes a connection another one on the same device took over (reason
	// "replaced", FACTS.md §6.2).
	closeReplaced = 4000
)

// wsAuthTimeout is how long a new connection may stay silent before its authorization frame.
const wsAuthTimeout = 30 * time.Second

// wsConn is one Mercury connection; a single writer goroutine owns writes to ws.
type wsConn struct {
	ws    *websocket.Conn
	out   chan []byte
	done  chan struct{}
	once  sync.Once
	ready bool // authorized and replayed (guarded by Server.mu)
}

func newWSConn(ws *websocket.Conn) *wsConn {
	return &wsConn{ws: ws, out: make(chan []byte, maxPending+1024), done: make(chan struct{})}
}

// kill closes the connection abruptly (no close frame).
func (c *wsConn) kill() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

// send queues b without blocking; a connection too slow to drain its queue is cut (the frames
// stay pending and are replayed on the next connection).
func (c *wsConn) send(b []byte) {
	select {
	case <-c.done:
	case c.out <- b:
	default:
		c.kill()
	}
}

func (c *wsConn) writeLoop() {
	for {
		select {
		case <-c.done:
			return
		case b := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				c.kill()
				return
			}
		}
	}
}

// clientFrame is anything the client sends: authorization, ping or ack.
type clientFrame struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	MessageID string `json:"messageId"`
	Data      struct {
		Token string `json:"token"`
	} `json:"data"`
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	CheckOrigin:     func(*http.Request) bool { return true },
}

// handleMercury serves the device's webSocketUrl.
func (s *Server) handleMercury(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d := s.state.devices[r.PathValue("id")]
	closed := s.state.closed
	if !closed {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if closed {
		writeError(w, http.StatusServiceUnavailable, "Service unavailable.")
		return
	}
	defer s.wg.Done()
	if d == nil || d.deleted {
		writeError(w, http.StatusNotFound, msgNotFound, "Device registration not found.")
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered
	}
	s.wsAccepted.Add(1)
	ws.SetReadLimit(64 << 10)
	c := newWSConn(ws)
	go c.writeLoop()
	defer c.kill()
	// Close() may have run between the check above and now.
	s.mu.Lock()
	if s.state.closed {
		s.mu.Unlock()
		return
	}
	s.state.conns[c] = struct{}{}
	s.state.ws.Opened++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.state.conns, c)
		s.mu.Unlock()
	}()
	go func() {
		select {
		case <-s.ctx.Done():
			c.kill()
		case <-c.done:
		}
	}()

	if !s.mercuryAuthorize(c, d) {
		return
	}
	defer func() {
		s.mu.Lock()
		if d.conn == c {
			d.conn = nil
		}
		s.mu.Unlock()
	}()
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f clientFrame
		if json.Unmarshal(raw, &f) != nil {
			continue // a bad frame is ignored, as Mercury does
		}
		switch f.Type {
		case "ping":
			b, _ := json.Marshal(map[string]string{"id": f.ID, "type": "pong"})
			c.send(b)
		case "ack":
			s.ack(d, f.MessageID)
		}
	}
}

// mercuryAuthorize reads the authorization frame; on success the connection becomes the
// device's current one, gets the buffer_state frame and the frames not acked yet that the
// replay fault lets through (all of them by default).
func (s *Server) mercuryAuthorize(c *wsConn, d *device) bool {
	_ = c.ws.SetReadDeadline(time.Now().Add(wsAuthTimeout))
	_, raw, err := c.ws.ReadMessage()
	if err != nil {
		return false
	}
	_ = c.ws.SetReadDeadline(time.Time{})
	var f clientFrame
	_ = json.Unmarshal(raw, &f)
	p, ok := s.principalFor(bearer(f.Data.Token))
	if f.Type != "authorization" || !ok || p.person != d.owner {
		msg := websocket.FormatCloseMessage(closeNotAuthorized, "Not Authorized")
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		return false
	}
	faults := s.currentFaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.deleted || s.state.closed {
		return false
	}
	d.pending = s.replayable(faults, d.pending)
	if old := d.conn; old != nil && old != c {
		// The newer connection replaces the older one, which Webex closes with 4000.
		msg := websocket.FormatCloseMessage(closeReplaced, "replaced")
		_ = old.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(100*time.Millisecond))
		old.kill()
	}
	d.conn = c
	ready, _ := json.Marshal(map[string]any{"id": newUUID(), "data": map[string]string{"eventType": "mercury.buffer_state"},
		"timestamp": s.now().UnixMilli()})
	c.send(ready)
	for _, fr := range d.pending {
		c.send(fr.body)
	}
	c.ready = true
	return true
}

// replayable keeps of a device's unacked frames those the faults let a new connection get:
// none with Replay "none", those younger than ReplayWindowSeconds when it is set, else all.
func (s *Server) replayable(f Faults, pending []frame) []frame {
	switch {
	case f.Replay == ReplayNone:
		return nil
	case f.ReplayWindowSeconds > 0:
		oldest := s.now().Add(-time.Duration(f.ReplayWindowSeconds) * time.Second)
		kept := pending[:0]
		for _, fr := range pending {
			if fr.at.After(oldest) {
				kept = append(kept, fr)
			}
		}
		clear(pending[len(kept):]) // let the dropped bodies go
		return kept
	}
	return pending
}

// WebsocketConnections is how many websocket connections the fake accepted since it started
// (authorized or not).
func (s *Server) WebsocketConnections() int { return int(s.wsAccepted.Load()) }

// ack removes an acked frame from the device's replay queue.
func (s *Server) ack(d *device, frameID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range d.pending {
		if f.id == frameID {
			d.pending = append(d.pending[:i], d.pending[i+1:]...)
			return
		}
	}
}

// DropWebsockets cuts every open websocket now (authorized or still in its handshake),
// without a close frame.
func (s *Server) DropWebsockets() {
	s.mu.Lock()
	conns := s.state.allConns()
	for _, d := range s.state.deviceOrder {
		d.conn = nil
	}
	for _, c := range conns {
		select {
		case <-c.done: // already cut, not yet forgotten
		default:
			s.state.ws.Cut++
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.kill()
	}
}

// frameEnvelope is a server→client Mercury frame.
type frameEnvelope struct {
	ID             string    `json:"id"`
	Data           frameData `json:"data"`
	Timestamp      int64     `json:"timestamp"`
	TrackingID     string    `json:"trackingId"`
	SequenceNumber int64     `json:"sequenceNumber"`
}

type frameData struct {
	EventType string       `json:"eventType"`
	Activity  activityJSON `json:"activity"`
}

// pushActivityLocked queues an activity frame on every live device of the bot and sends it
// on the device's current connection.
func (s *Server) pushActivityLocked(build func(base string) activityJSON) {
	for _, d := range s.state.deviceOrder {
		if d.deleted || d.owner != s.state.bot {
			continue
		}
		d.seq++
		env := frameEnvelope{ID: newUUID(), Data: frameData{EventType: "conversation.activity", Activity: build(d.base)},
			Timestamp: s.now().UnixMilli(), TrackingID: trackingID(), SequenceNumber: d.seq}
		body, err := json.Marshal(env)
		if err != nil {
			continue
		}
		d.pending = append(d.pending, frame{id: env.ID, body: body, at: s.now()})
		if len(d.pending) > maxPending {
			d.pending = d.pending[len(d.pending)-maxPending:]
		}
		if d.conn != nil && d.conn.ready {
			d.conn.send(body)
		}
	}
}
