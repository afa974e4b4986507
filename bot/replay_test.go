package bot_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
)

// A correctly signed webhook body replayed a week later does nothing: by then the record of its
// first delivery may have been pruned, so its signed created time decides. A fresh one is read.
func TestASignedWebhookReplayedAWeekLaterDoesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "webhook"})
	post := func(id string, created time.Time) int {
		body, err := json.Marshal(map[string]any{
			"id": "wh1", "resource": "messages", "event": "created", "actorId": "someone",
			"data": map[string]any{"id": id, "roomId": "r1", "roomType": "direct", "personId": "p1",
				"personEmail": "alex.martin@example.com", "created": created.UTC().Format(time.RFC3339Nano)},
		})
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, "http://"+h.rt.WebhookAddr()+"/webex/events", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(webexapi.HeaderSparkSignature, webexapi.SignWebhook([]byte("a-webhook-secret-for-tests"), body))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	reads := func() int {
		n := 0
		for route, c := range h.fake.CallCounts() {
			if strings.HasPrefix(route, "GET /v1/messages/") {
				n += c
			}
		}
		return n
	}
	before := reads()
	require.Equal(t, http.StatusOK, post("old-message", h.clock.Now().Add(-7*24*time.Hour)), "acknowledged, so Webex stops")
	// A fresh event from the same person, in the same space: handled after the first (one lane,
	// in order), so once it is read, the first would have been read too.
	require.Equal(t, http.StatusOK, post("fresh-message", h.clock.Now().Add(-time.Minute)))
	require.Eventually(t, func() bool { return reads() > before }, 10*time.Second, 5*time.Millisecond, "a fresh event is read")
	h.rt.Bot.Wait()
	assert.Equal(t, 1, reads()-before, "only the fresh event was acted on")
}
