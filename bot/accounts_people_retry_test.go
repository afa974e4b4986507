package bot_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestOwnAccountApproverCheckHonoursRetryAfterOutsideTheCall: Webex answers the check of who
// approved (GET /people/me with the organizer's new token) with a 429 and a Retry-After of
// 90 s. The poller, whose lease is 30 s, does not wait inside the call (its client would, for
// the other calls): it holds the tokens and checks again once the Retry-After has passed on
// its clock, and the account is connected.
func TestOwnAccountApproverCheckHonoursRetryAfterOutsideTheCall(t *testing.T) {
	t.Parallel()
	clk := newClock(reference)
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var (
		mu    sync.Mutex
		calls []time.Time
	)
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, _ []byte, _ http.Handler) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/people/me") ||
			r.Header.Get("Authorization") == "Bearer bot-token" {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, clk.Now())
		if len(calls) > 1 {
			return false
		}
		w.Header().Set("Retry-After", "90")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: "webhook", fake: fake, clock: clk, apiURL: api}))

	h.dm(alex, ownRequest)
	h.dm(alex, "oui")
	_, err := fake.Approve(pendingCode(t, fake), alex)
	require.NoError(t, err)
	until(t, hasMessage(fake, alex, "Votre compte Webex est connecté"), clk)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, calls, 2, "checked once more, after the Retry-After")
	assert.GreaterOrEqual(t, calls[1].Sub(calls[0]), 90*time.Second, "not checked again before the Retry-After")
}
