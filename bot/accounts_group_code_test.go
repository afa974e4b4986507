package bot_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestOwnAccountCodeSentPrivatelyOnceWhenWebexActsThenFails: asked in a group space, the code
// to connect the account goes to the organizer's 1:1 space; when Webex posts it and its answer
// is lost (503), the bot looks there instead of dropping the request as "unavailable" (the code
// was delivered, and its approval would carry on with nothing), and the code is sent once.
func TestOwnAccountCodeSentPrivatelyOnceWhenWebexActsThenFails(t *testing.T) {
	t.Parallel()
	clk := newClock(reference) // one clock for the fake and the bot: the device grant's interval and expiry
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	var failed atomic.Int32
	api := intercept(t, fake, func(w http.ResponseWriter, r *http.Request, body []byte, fake http.Handler) bool {
		var req struct {
			ToPersonID    string `json:"toPersonId"`
			ToPersonEmail string `json:"toPersonEmail"`
			Markdown      string `json:"markdown"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" || json.Unmarshal(body, &req) != nil ||
			(req.ToPersonID == "" && req.ToPersonEmail == "") || !strings.Contains(req.Markdown, "code") || !failed.CompareAndSwap(0, 1) {
			return false
		}
		fake.ServeHTTP(httptest.NewRecorder(), r) // Webex posts it…
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable) // …and the answer is lost
		_, _ = io.WriteString(w, `{"message":"Service Unavailable","trackingId":"T503"}`)
		return true
	})
	h := newHarness(t, ownAccounts(t, harnessOptions{mode: "webhook", fake: fake, apiURL: api, clock: clk}))
	const room = "Équipe projet"
	first := h.say(webextest.SayRequest{From: alex, Room: room, Text: ownRequestEn})
	h.say(webextest.SayRequest{From: alex, Room: room, ParentID: first, Text: "yes"})
	require.Equal(t, int32(1), failed.Load(), "the code's message acted then failed")
	code := pendingCode(t, fake)
	group := texts(fake.RoomMessages(room))
	assert.Contains(t, group, "I've written to you privately")
	assert.NotContains(t, group, code)
	withCode := 0
	for _, m := range fake.BotMessages(alex) {
		if strings.Contains(m.Markdown, code) {
			withCode++
		}
	}
	assert.Equal(t, 1, withCode, "the code once, privately")

	_, err := fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool { return len(fake.BotMessages(jean)) == 1 }, h.clock)
	assert.Len(t, fake.Meetings(), 1, "the request carried on after the approval")
}
