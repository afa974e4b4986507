package webextest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// Values of Faults.Replay.
const (
	// ReplayAll replays a device's unacked frames on its next connection (the default).
	ReplayAll = "all"
	// ReplayNone drops them: what was not acked when a connection ended is lost, as Webex
	// promises no replay.
	ReplayNone = "none"
)

// ActThenFailDrop is the Faults.ActThenFailMode that closes the connection without an answer.
const ActThenFailDrop = "drop"

// Faults are injected into /v1/ REST calls (never into /_sim/ or the device service); the
// Conversation* fields fault the conversation service's activity lookups, and Replay and
// WebhookRetries change how kindly events are delivered again. Every field is off at zero.
type Faults struct {
	// LatencyMs delays every call by that many milliseconds.
	LatencyMs int `json:"latencyMs"`
	// Rate429 is the share (0..1) of calls answered 429 with Retry-After: RetryAfterSeconds.
	Rate429           float64 `json:"rate429"`
	RetryAfterSeconds int     `json:"retryAfterSeconds"`
	// Rate5xx is the share (0..1) of calls answered Status5xx (default 503).
	Rate5xx   float64 `json:"rate5xx"`
	Status5xx int     `json:"status5xx,omitempty"`
	// DropWebsocket, through POST /_sim/faults, cuts every open websocket once; it is not kept.
	DropWebsocket bool `json:"dropWebsocket,omitempty"`

	// Replay is what happens to a device's unacked frames when its connection ends:
	// ReplayAll ("all", or empty) sends them again on the device's next connection,
	// ReplayNone ("none") drops them. Frames go only to the device they were queued for: a
	// new device gets nothing of what happened before it registered.
	Replay string `json:"replay"`
	// ReplayWindowSeconds, with ReplayAll, replays only the frames younger than that many
	// seconds (by the injected clock); 0 = no limit.
	ReplayWindowSeconds int `json:"replayWindowSeconds"`

	// WebhookRetries is how many times a failed webhook delivery is tried again (0 = never);
	// nil keeps Options.WebhookAttempts (default 3 attempts: 2 redeliveries).
	WebhookRetries *int `json:"webhookRetries,omitempty"`

	// ActThenFailRate is the share (0..1) of POST/PUT/PATCH/DELETE /v1/ calls that take
	// effect and then fail: answered Status5xx (default 503), or, with ActThenFailMode
	// ActThenFailDrop ("drop"), the connection is closed without an answer. A call the
	// handler refused (not 2xx) is answered as it was.
	ActThenFailRate float64 `json:"actThenFailRate"`
	ActThenFailMode string  `json:"actThenFailMode"`

	// ConversationRate429 is the share (0..1) of conversation-service activity lookups
	// (GET /conversation/api/v1/messages/{id} and …/attachment/actions/{id}) answered 429
	// with Retry-After: ConversationRetryAfterSeconds; ConversationRate5xx, the share
	// answered Status5xx.
	ConversationRate429           float64 `json:"conversationRate429"`
	ConversationRetryAfterSeconds int     `json:"conversationRetryAfterSeconds"`
	ConversationRate5xx           float64 `json:"conversationRate5xx"`
}

// validate rejects values that would silently mean something else than what was asked.
func (f Faults) validate() error {
	switch f.Replay {
	case "", ReplayAll, ReplayNone:
	default:
		return fmt.Errorf("replay must be %q or %q, not %q", ReplayAll, ReplayNone, f.Replay)
	}
	switch f.ActThenFailMode {
	case "", ActThenFailDrop:
	default:
		return fmt.Errorf("actThenFailMode must be empty (answer status5xx) or %q, not %q", ActThenFailDrop, f.ActThenFailMode)
	}
	if f.WebhookRetries != nil && *f.WebhookRetries < 0 {
		return errors.New("webhookRetries must not be negative")
	}
	return nil
}

// SetFaults replaces the injected faults (the zero Faults turns them off). DropWebsocket cuts
// every open websocket now; given alone, it leaves the current faults in place.
func (s *Server) SetFaults(f Faults) {
	drop := f.DropWebsocket
	if drop && f == (Faults{DropWebsocket: true}) {
		s.DropWebsockets()
		return
	}
	f.DropWebsocket = false
	f.Rate429 = clamp01(f.Rate429)
	f.Rate5xx = clamp01(f.Rate5xx)
	f.LatencyMs = max(f.LatencyMs, 0)
	f.RetryAfterSeconds = max(f.RetryAfterSeconds, 0)
	if f.Replay == "" {
		f.Replay = ReplayAll
	}
	f.ReplayWindowSeconds = max(f.ReplayWindowSeconds, 0)
	if f.WebhookRetries != nil {
		n := max(*f.WebhookRetries, 0)
		f.WebhookRetries = &n // not shared with the caller
	}
	f.ActThenFailRate = clamp01(f.ActThenFailRate)
	f.ConversationRate429 = clamp01(f.ConversationRate429)
	f.ConversationRate5xx = clamp01(f.ConversationRate5xx)
	f.ConversationRetryAfterSeconds = max(f.ConversationRetryAfterSeconds, 0)
	if f.Status5xx < 500 || f.Status5xx > 599 {
		f.Status5xx = http.StatusServiceUnavailable
	}
	s.faultsMu.Lock()
	s.faults = f
	s.faultsMu.Unlock()
	if drop {
		s.DropWebsockets()
	}
}

// Faults returns the faults in force, defaults written out (Replay, Status5xx, WebhookRetries).
func (s *Server) Faults() Faults {
	f := s.currentFaults()
	if f.Replay == "" {
		f.Replay = ReplayAll
	}
	if f.Status5xx == 0 {
		f.Status5xx = http.StatusServiceUnavailable
	}
	if f.WebhookRetries == nil {
		n := s.opts.WebhookAttempts - 1
		f.WebhookRetries = &n
	} else {
		n := *f.WebhookRetries
		f.WebhookRetries = &n
	}
	return f
}

func (s *Server) currentFaults() Faults {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	return s.faults
}

// decodeFaults reads a POST /_sim/faults body strictly: an unknown field (a typo must not
// silently turn a fault off) or a value out of its set is an error naming it.
func decodeFaults(r io.Reader) (Faults, error) {
	var f Faults
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return f, errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return f, f.validate()
}

func clamp01(v float64) float64 {
	if v != v || v < 0 { // NaN or negative
		return 0
	}
	return min(v, 1)
}

// CallCounts returns, for every "METHOD /v1/route-pattern" called so far, how many calls it
// received (faulted ones included).
func (s *Server) CallCounts() map[string]int {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	return maps.Clone(s.counts)
}

// apiMiddleware counts /v1/ calls by route and injects the configured faults.
func (s *Server) apiMiddleware(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" || pattern == "/v1/" {
			pattern = r.Method + " " + r.URL.Path
		}
		s.faultsMu.Lock()
		s.counts[pattern]++
		f := s.faults
		roll429, roll5xx := s.rng.Float64(), s.rng.Float64()
		actThenFail := false
		if f.ActThenFailRate > 0 && hasEffect(r.Method) { // drawn only then: seeded sequences stay as they were
			actThenFail = s.rng.Float64() < f.ActThenFailRate
		}
		s.faultsMu.Unlock()
		w.Header().Set("Trackingid", trackingID())
		if f.LatencyMs > 0 {
			t := time.NewTimer(time.Duration(f.LatencyMs) * time.Millisecond)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-s.ctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		switch {
		case roll429 < f.Rate429:
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
			writeError(w, http.StatusTooManyRequests, "Too Many Requests")
			return
		case roll5xx < f.Rate5xx:
			writeError(w, f.Status5xx, http.StatusText(f.Status5xx))
			return
		case actThenFail:
			s.actThenFail(w, r, mux, f)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// hasEffect tells the methods whose calls change something.
func hasEffect(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// actThenFail serves r, so that it takes effect, then throws the answer away: the client gets
// f.Status5xx, or with ActThenFailDrop a connection closed without an answer, as when Webex
// acts and then fails (a 502/503/504, a cut connection). A request the handler refused keeps
// its answer: it took no effect.
func (s *Server) actThenFail(w http.ResponseWriter, r *http.Request, h http.Handler, f Faults) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code < 200 || rec.Code > 299 {
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return
	}
	s.log.Debug().Str("method", r.Method).Str("path", r.URL.Path).Msg("fault: acted, then failed")
	if f.ActThenFailMode == ActThenFailDrop {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return
		}
		panic(http.ErrAbortHandler) // HTTP/2: the stream is reset, no answer either
	}
	writeError(w, f.Status5xx, http.StatusText(f.Status5xx))
}

// conversationFaults counts the conversation service's activity lookups and injects the
// Conversation* faults into them.
func (s *Server) conversationFaults(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.faultsMu.Lock()
		s.lookups++
		f := s.faults
		var roll429, roll5xx float64 = 1, 1 // drawn only when asked: seeded sequences stay as they were
		if f.ConversationRate429 > 0 || f.ConversationRate5xx > 0 {
			roll429, roll5xx = s.rng.Float64(), s.rng.Float64()
		}
		s.faultsMu.Unlock()
		w.Header().Set("Trackingid", trackingID())
		switch {
		case roll429 < f.ConversationRate429:
			w.Header().Set("Retry-After", strconv.Itoa(f.ConversationRetryAfterSeconds))
			writeError(w, http.StatusTooManyRequests, "Too Many Requests")
		case roll5xx < f.ConversationRate5xx:
			writeError(w, f.Status5xx, http.StatusText(f.Status5xx))
		default:
			next(w, r)
		}
	}
}

// ConversationLookups is how many activity lookups (GET /conversation/api/v1/messages/{id}
// and …/attachment/actions/{id}) the fake received, faulted ones included.
func (s *Server) ConversationLookups() int {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	return s.lookups
}
