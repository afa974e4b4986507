package bot_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestReadyzTurnsRedAndGreenAgain: /readyz answers 200 while the websocket is up, 503 naming
// Webex while Webex refuses the websocket, and 200 again once the bot has reconnected by
// itself; the bot then answers again.
func TestReadyzTurnsRedAndGreenAgain(t *testing.T) {
	t.Parallel()
	clk := newClock(reference)
	fake := webextest.New(webextest.Options{Clock: clk.Now})
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "Service unavailable.", http.StatusServiceUnavailable)
			return
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	fake.SetURL(srv.URL)
	t.Cleanup(func() {
		fake.Close()
		srv.Close()
	})
	h := newHarness(t, harnessOptions{fake: fake, admin: true})
	readyz := "http://" + h.rt.AdminAddr() + "/readyz"
	get := func() (int, map[string]string) {
		resp, err := http.Get(readyz)
		require.NoError(t, err)
		defer resp.Body.Close()
		report := map[string]string{}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&report))
		return resp.StatusCode, report
	}

	code, report := get()
	require.Equal(t, http.StatusOK, code, report)
	assert.Equal(t, map[string]string{"webex": "ok", "database": "ok"}, report)

	// Webex goes away: the websocket is cut and every reconnection refused. Within the grace
	// period (RuntimeConfig.IntakeGrace) the bot is still ready; past it, red.
	refuse.Store(true)
	fake.DropWebsockets()
	require.Eventually(t, func() bool {
		h.clock.Advance(time.Minute) // past the 30 s grace, whenever the drop was seen
		code, _ := get()
		return code == http.StatusServiceUnavailable
	}, 10*time.Second, 5*time.Millisecond, "/readyz never turned red")
	// It stays red while Webex refuses, and says why.
	for range 5 {
		code, report = get()
		require.Equal(t, http.StatusServiceUnavailable, code)
		assert.NotEqual(t, "ok", report["webex"])
		assert.Equal(t, "ok", report["database"])
	}
	opened := fake.WebsocketCounts().Opened

	// Webex is back: the bot reconnects by itself and /readyz turns green.
	refuse.Store(false)
	require.Eventually(t, func() bool { code, _ := get(); return code == http.StatusOK },
		10*time.Second, 5*time.Millisecond, "/readyz never turned green again")
	assert.Greater(t, fake.WebsocketCounts().Opened, opened, "a new websocket")
	r := h.dm(alex, "aide")
	require.NotEmpty(t, r, "the bot answers again")
}
