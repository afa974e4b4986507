package webextest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func statuses(t *testing.T, s *webextest.Server, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i], _, _ = call(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil)
	}
	return out
}

func TestFaultSharesAreSeededAndReproducible(t *testing.T) {
	t.Parallel()
	f := webextest.Faults{Rate429: 0.3, RetryAfterSeconds: 7, Rate5xx: 0.2}
	a := webextest.NewTestServer(t, webextest.Options{Seed: 42})
	b := webextest.NewTestServer(t, webextest.Options{Seed: 42})
	a.SetFaults(f)
	b.SetFaults(f)
	sa, sb := statuses(t, a, 400), statuses(t, b, 400)
	require.Equal(t, sa, sb, "same seed, same faults")
	count := map[int]int{}
	for _, st := range sa {
		count[st]++
	}
	require.InDelta(t, 120, count[http.StatusTooManyRequests], 40)
	require.InDelta(t, 400*0.7*0.2, count[http.StatusServiceUnavailable], 30)
	require.Equal(t, 400, count[200]+count[429]+count[503])
	require.Equal(t, 400, a.CallCounts()["GET /v1/people/me"], "faulted calls are counted too")
}

func TestFault429CarriesRetryAfterAndTrackingID(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	s.SetFaults(webextest.Faults{Rate429: 1, RetryAfterSeconds: 3})
	status, h, raw := call(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil)
	requireError(t, http.StatusTooManyRequests, status, h, raw)
	require.Equal(t, "3", h.Get("Retry-After"))

	s.SetFaults(webextest.Faults{Rate5xx: 1, Status5xx: 502})
	status, h, raw = call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "x"})
	requireError(t, http.StatusBadGateway, status, h, raw)
	require.Empty(t, s.BotMessages("bob.smith@example.com"), "a faulted call does not act")

	// Never on /_sim/ nor on the device service.
	_, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "x"})
	require.NoError(t, err)
	callJSON(t, "GET", s.URL()+"/_sim/messages?person=bob.smith@example.com", "", nil, nil)
	callJSON(t, "GET", s.URL()+"/wdm/api/v1/devices", s.BotToken(), nil, nil)

	// dropWebsocket alone keeps the faults in place; an empty body clears them.
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"dropWebsocket": true}, nil)
	status, _, _ = call(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil)
	require.Equal(t, http.StatusBadGateway, status)
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{}, nil)
	callJSON(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil, nil)
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"latencyMs": 60}, nil)
	start := time.Now()
	callJSON(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil, nil)
	require.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)
}

func TestCallCountsByRoutePattern(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	id := personID(t, s, "bob.smith@example.com")
	callJSON(t, "GET", s.APIURL()+"/people/"+id, s.BotToken(), nil, nil)
	callJSON(t, "GET", s.APIURL()+"/people/"+id, s.BotToken(), nil, nil)
	status, _, _ := call(t, "GET", s.APIURL()+"/nothing", s.BotToken(), nil)
	require.Equal(t, http.StatusNotFound, status)
	counts := s.CallCounts()
	require.Equal(t, 1, counts["GET /v1/people"])
	require.Equal(t, 2, counts["GET /v1/people/{id}"])
	require.Equal(t, 1, counts["GET /v1/nothing"])
	var viaHTTP map[string]int
	callJSON(t, "GET", s.URL()+"/_sim/counts", "", nil, &viaHTTP)
	counts["websocketConnections"], counts["conversationLookups"] = 0, 0 // beside the calls
	require.Equal(t, counts, viaHTTP)
}
