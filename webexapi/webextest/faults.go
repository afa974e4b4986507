package webextest

import (
	"maps"
	"net/http"
	"strconv"
	"time"
)

// Faults are injected into /v1/ REST calls (never into /_sim/, the device service or the
// websocket).
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
		}
		mux.ServeHTTP(w, r)
	})
}
