package bot_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// intercept puts a proxy in front of the fake's REST API: answer sees each request with its
// body (restored for the fake) and returns true when it has answered by itself. It returns the
// proxy's REST root. It runs on the proxy's goroutines: no require there.
func intercept(t *testing.T, fake *webextest.Server, answer func(w http.ResponseWriter, r *http.Request, body []byte, fake http.Handler) bool) string {
	t.Helper()
	target, err := url.Parse(fake.URL())
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if !assert.NoError(t, err) {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if answer(w, r, body, rp) {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// TestDesignateMessageGivenUp: when the designate's 1:1 message cannot be delivered, the bot
// retries it a bounded number of times, then stops and tells the organizer, once, in both
// languages' catalog wording, with the way out (« renvoie la clé »).
func TestDesignateMessageGivenUp(t *testing.T) {
	t.Parallel()
	clk := newClock(reference) // one clock for the fake and the bot: the test moves it
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var refused atomic.Int32
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, body []byte, _ http.Handler) bool {
		var req struct {
			ToPersonEmail string `json:"toPersonEmail"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" || json.Unmarshal(body, &req) != nil || req.ToPersonEmail != jean {
			return false
		}
		refused.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"message":"Unable to post message to this person.","trackingId":"T400"}`)
		return true
	})
	const maxAttempts = 3
	// Webhook mode: the websocket's activities name the fake's own host, not the proxy's.
	h := newHarness(t, harnessOptions{mode: "webhook", fake: fake, clock: clk, apiURL: api, botConfig: bot.Config{MaxSendAttempts: maxAttempts}})

	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	h.dm(alex, "oui")
	require.Len(t, fake.Meetings(), 1, "the meeting exists")
	before := len(fake.BotMessages(alex))

	// Let the retries come due: the clock jumps past each backoff.
	notices := func() []webextest.Message {
		var out []webextest.Message
		for _, m := range fake.BotMessages(alex)[before:] {
			if strings.Contains(m.Markdown, "Je n'ai pas réussi à envoyer à Jean Dupont son message privé") {
				out = append(out, m)
			}
		}
		return out
	}
	require.Eventually(t, func() bool {
		h.clock.Advance(15 * time.Minute)
		h.rt.Bot.Poke()
		return len(notices()) > 0
	}, 20*time.Second, 10*time.Millisecond, "the organizer was never told")
	tries := refused.Load()
	assert.GreaterOrEqual(t, int(tries), maxAttempts, "the message was tried several times")

	// Given up: no further attempt and no second notice, however long we wait.
	require.Eventually(t, func() bool {
		d, err := h.rt.Store.OutboxDepth(t.Context())
		return err == nil && d == 0
	}, 10*time.Second, 10*time.Millisecond, "the job is still pending")
	for range 5 {
		h.clock.Advance(time.Hour)
		h.rt.Bot.Poke()
	}
	h.dm(alex, "aide") // a full turn of the bot after the pokes
	assert.Equal(t, tries, refused.Load(), "no attempt after giving up")
	n := notices()
	require.Len(t, n, 1, "one notice")
	assert.Contains(t, n[0].Markdown, "renvoie la clé")
	assert.Empty(t, fake.BotMessages(jean), "the designate got nothing")
}

// TestCreateAnswerWithoutHostKeyIsReadAgain: when Webex's answer to the creation lacks the
// host key, the bot reads the meeting again and the designate still gets the key.
func TestCreateAnswerWithoutHostKeyIsReadAgain(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{Clock: newClock(reference).Now})
	var stripped atomic.Int32
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, _ []byte, next http.Handler) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/meetings" {
			return false
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var m map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &m) == nil {
			delete(m, "hostKey")
			stripped.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_ = json.NewEncoder(w).Encode(m)
			return true
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	})
	h := newHarness(t, harnessOptions{mode: "webhook", fake: fake, apiURL: api})

	h.dm(alex, "programme une rencontre pour Jean Dupont demain à 11 h")
	reads := fake.CallCounts()["GET /v1/meetings/{id}"]
	r := h.dm(alex, "oui")
	require.EqualValues(t, 1, stripped.Load(), "the creation's answer had no host key")
	ms := fake.Meetings()
	require.Len(t, ms, 1)
	require.NotEmpty(t, ms[0].HostKey)
	assert.Greater(t, fake.CallCounts()["GET /v1/meetings/{id}"], reads, "the meeting was read again")
	dms := fake.BotMessages(jean)
	require.Len(t, dms, 1)
	assert.Contains(t, dms[0].Markdown, ms[0].HostKey, "the designate has the host key")
	assert.Contains(t, texts(r), ms[0].HostKey, "so does the organizer's 1:1 summary")
}
