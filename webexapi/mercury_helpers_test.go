package webexapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// miniWebex is a small stand-in for Webex's catalog, device service, Mercury websocket and the
// REST lookups a listener makes. Unit tests steer it through hooks; the integration tests use
// webextest instead.
type miniWebex struct {
	t    *testing.T
	srv  *httptest.Server // nil when in memory
	base string           // http://host of the REST, device and websocket endpoints
	mux  *http.ServeMux

	mu            sync.Mutex
	restTokens    map[string]bool   // accepted over REST
	wsTokens      map[string]bool   // accepted by the websocket authorization frame
	devices       map[string]string // id -> name
	created       int
	refreshed     int
	handshakes    int
	authCloseCode func(n int) int // close code answered to the n-th authorization (0 = accept)
	handshakeCode func(n int) int // HTTP status for the n-th handshake (0 = upgrade)
	silent        bool            // do not answer pings
	withoutReady  bool            // never send the readiness frame
	// lookupFault, when set, answers the n-th activity lookup with this status (0 = answer),
	// with a Retry-After of lookupRetryAfter seconds when not empty.
	lookupFault      func(n int) int
	lookupRetryAfter string
	lookups          int

	conns chan *miniConn // each connection once ready
	acks  chan string    // frame ids acked by the client
}

// miniConn is one server-side websocket.
type miniConn struct {
	ws       *websocket.Conn
	deviceID string
	wmu      sync.Mutex
}

func (c *miniConn) send(t *testing.T, v any) {
	t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var err error
	if b, ok := v.([]byte); ok {
		err = c.ws.WriteMessage(websocket.TextMessage, b)
	} else {
		err = c.ws.WriteJSON(v)
	}
	if err != nil {
		t.Logf("mini: send: %v", err)
	}
}

func (c *miniConn) closeWith(code int) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "test"), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

const miniBotUUID = "b0700000-0000-0000-0000-000000000001"

func miniBotID() string {
	return base64.RawStdEncoding.EncodeToString([]byte("ciscospark://us/PEOPLE/" + miniBotUUID))
}

func newMiniWebex(t *testing.T) *miniWebex {
	m := buildMiniWebex(t)
	m.srv = httptest.NewServer(m.mux)
	t.Cleanup(m.srv.Close)
	m.base = m.srv.URL
	return m
}

// buildMiniWebex returns a miniWebex that is not listening (see newMiniWebex and
// newMiniWebexInMemory).
func buildMiniWebex(t *testing.T) *miniWebex {
	m := &miniWebex{
		t:          t,
		restTokens: map[string]bool{"tok": true},
		wsTokens:   map[string]bool{"tok": true},
		devices:    map[string]string{},
		conns:      make(chan *miniConn, 16),
		acks:       make(chan string, 4096),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /catalog", m.rest(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("format") != "hostmap" {
			http.Error(w, "format", http.StatusBadRequest)
			return
		}
		writeTestJSON(w, map[string]any{"serviceLinks": map[string]string{"wdm": m.base + "/wdm/api/v1"}})
	}))
	mux.HandleFunc("GET /wdm/api/v1/devices", m.rest(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		var list []Device
		for id, name := range m.devices {
			list = append(list, m.deviceLocked(id, name))
		}
		writeTestJSON(w, map[string]any{"devices": list})
	}))
	mux.HandleFunc("POST /wdm/api/v1/devices", m.rest(func(w http.ResponseWriter, r *http.Request) {
		var req DeviceRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Name == "" || req.DeviceType == "" {
			http.Error(w, "bad device", http.StatusBadRequest)
			return
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		id := uuid.NewString()
		m.devices[id] = req.Name
		m.created++
		writeTestJSON(w, m.deviceLocked(id, req.Name))
	}))
	mux.HandleFunc("PUT /wdm/api/v1/devices/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		id := r.PathValue("id")
		name, ok := m.devices[id]
		if !ok {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		m.refreshed++
		writeTestJSON(w, m.deviceLocked(id, name))
	}))
	mux.HandleFunc("DELETE /wdm/api/v1/devices/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.devices, r.PathValue("id"))
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("GET /mercury/{id}", m.websocket)
	mux.HandleFunc("GET /conv/api/v1/messages/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.lookups++
		status := 0
		if m.lookupFault != nil {
			status = m.lookupFault(m.lookups)
		}
		retryAfter := m.lookupRetryAfter
		m.mu.Unlock()
		if status != 0 {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			http.Error(w, `{"message":"fault"}`, status)
			return
		}
		writeTestJSON(w, map[string]string{"id": "MSG-" + r.PathValue("id")})
	}))
	mux.HandleFunc("GET /conv/api/v1/attachment/actions/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, map[string]string{"id": "ACT-" + r.PathValue("id")})
	}))
	mux.HandleFunc("GET /v1/people/me", m.rest(func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, Person{ID: miniBotID(), Emails: []string{"bot@webex.bot"}, Type: "bot"})
	}))
	mux.HandleFunc("GET /v1/messages/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if strings.Contains(id, "gone") {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		if strings.Contains(id, "forbidden") {
			http.Error(w, `{"message":"not a member"}`, http.StatusForbidden)
			return
		}
		writeTestJSON(w, Message{ID: id, RoomID: "ROOM", RoomType: "direct", PersonID: "PERSON", PersonEmail: "alex@example.com", Text: "hello"})
	}))
	mux.HandleFunc("GET /v1/attachment/actions/{id}", m.rest(func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, AttachmentAction{ID: r.PathValue("id"), Type: "submit", MessageID: "CARDMSG", PersonID: "PERSON", RoomID: "ROOM"})
	}))
	m.mux = mux
	return m
}

func writeTestJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (m *miniWebex) rest(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		m.mu.Lock()
		ok := m.restTokens[tok]
		m.mu.Unlock()
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"The request requires a valid access token set in the Authorization request header."}`))
			return
		}
		h(w, r)
	}
}

func (m *miniWebex) deviceLocked(id, name string) Device {
	return Device{
		URL:          m.base + "/wdm/api/v1/devices/" + id,
		WebSocketURL: "ws" + strings.TrimPrefix(m.base, "http") + "/mercury/" + id,
		Name:         name,
		DeviceType:   "DESKTOP",
	}
}

func (m *miniWebex) websocket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m.mu.Lock()
	m.handshakes++
	n := m.handshakes
	_, exists := m.devices[id]
	code := 0
	if m.handshakeCode != nil {
		code = m.handshakeCode(n)
	}
	m.mu.Unlock()
	if code == 0 && !exists {
		code = http.StatusNotFound
	}
	if code != 0 {
		http.Error(w, "no", code)
		return
	}
	for _, p := range []string{"outboundWireFormat", "bufferStates", "aliasHttpStatus", "clientTimestamp"} {
		if r.URL.Query().Get(p) == "" {
			m.t.Errorf("websocket url lacks %s", p)
		}
	}
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &miniConn{ws: ws, deviceID: id}
	var auth struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := ws.ReadJSON(&auth); err != nil || auth.Type != "authorization" || auth.ID == "" {
		c.closeWith(4400)
		return
	}
	tok, hasBearer := strings.CutPrefix(auth.Data.Token, "Bearer ")
	m.mu.Lock()
	ok := hasBearer && m.wsTokens[tok]
	closeCode := 0
	if m.authCloseCode != nil {
		closeCode = m.authCloseCode(n)
	}
	silent, withoutReady := m.silent, m.withoutReady
	m.mu.Unlock()
	if !ok && closeCode == 0 {
		closeCode = 4401
	}
	if closeCode != 0 {
		c.closeWith(closeCode)
		return
	}
	if !withoutReady {
		c.send(m.t, map[string]any{"id": uuid.NewString(), "data": map[string]string{"eventType": "mercury.buffer_state"}})
	}
	m.conns <- c
	for {
		var f struct {
			ID        string `json:"id"`
			Type      string `json:"type"`
			MessageID string `json:"messageId"`
		}
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		switch f.Type {
		case "ping":
			if !silent {
				c.send(m.t, map[string]string{"id": f.ID, "type": "pong"})
			}
		case "ack":
			m.acks <- f.MessageID
		}
	}
}

// activityFrame builds a conversation.activity frame.
func (m *miniWebex) activityFrame(frameID, actID, verb, actorType, actorID string) map[string]any {
	conv := "c0c0c0c0-0000-0000-0000-000000000001"
	return map[string]any{
		"id": frameID,
		"data": map[string]any{
			"eventType": "conversation.activity",
			"activity": map[string]any{
				"id":     actID,
				"verb":   verb,
				"actor":  map[string]any{"id": actorID, "objectType": "person", "type": actorType, "emailAddress": "alex@example.com"},
				"object": map[string]any{"objectType": "comment", "displayName": "eyJhbGciOi.encrypted"},
				"target": map[string]any{"id": conv, "objectType": "conversation", "url": m.base + "/conv/api/v1/conversations/" + conv, "tags": []string{"ONE_ON_ONE"}},
			},
		},
		"timestamp": 1, "sequenceNumber": 1,
	}
}

func (m *miniWebex) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithBaseURL(m.base + "/v1"), WithToken("tok"), WithSleep(func(ctx context.Context, d time.Duration) error { return ctx.Err() })}, opts...)
	c, err := NewClient(opts...)
	require.NoError(t, err)
	return c
}

func (m *miniWebex) catalogURL() string { return m.base + "/catalog" }

func (m *miniWebex) deviceCount() (n, created int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.devices), m.created
}

// states collects lifecycle changes in a channel.
type states chan StateChange

func (s states) on(sc StateChange) {
	select {
	case s <- sc:
	default: // tests read what they need; never block the listener
	}
}

// waitState waits for a state change matching f.
func waitState(t *testing.T, ch states, f func(StateChange) bool) StateChange {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case sc := <-ch:
			if f(sc) {
				return sc
			}
		case <-deadline:
			t.Fatal("timed out waiting for a listener state")
			return StateChange{}
		}
	}
}

func waitConn(t *testing.T, m *miniWebex) *miniConn {
	t.Helper()
	select {
	case c := <-m.conns:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a websocket connection")
		return nil
	}
}

func waitEvent(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for an event")
		return Event{}
	}
}

func waitAck(t *testing.T, m *miniWebex, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case id := <-m.acks:
			if id == want {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for ack %s", want)
		}
	}
}

// waitAcks waits until every frame id in want was acked (in any order).
func waitAcks(t *testing.T, m *miniWebex, want ...string) {
	t.Helper()
	missing := map[string]bool{}
	for _, id := range want {
		missing[id] = true
	}
	deadline := time.After(10 * time.Second)
	for len(missing) > 0 {
		select {
		case id := <-m.acks:
			delete(missing, id)
		case <-deadline:
			t.Fatalf("frames never acked: %v", missing)
		}
	}
}
