package loadtest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The fake-side rate limit counts each access token on its own, as Webex does.
func TestFakeRateLimitIsPerToken(t *testing.T) {
	t.Parallel()
	e := &env{}
	h := e.limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), 1)
	call := func(token, path string) int {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, http.StatusOK, call("bot", "/v1/messages/x"))
	assert.Equal(t, http.StatusTooManyRequests, call("bot", "/v1/messages/y"), "the bot's second call within the second")
	assert.Equal(t, http.StatusOK, call("meetings", "/v1/meetings"), "another token has its own budget")
	assert.Equal(t, http.StatusOK, call("bot", "/conversation/api/v1/messages/z"), "only /v1/ is limited")
	assert.EqualValues(t, 1, e.limited.Load())
}
