package webexapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Forged requests are all counted, and logged at most once per interval, however many arrive.
func TestBadSignaturesAreCountedAndLoggedOncePerInterval(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var refused atomic.Int32
	h, err := NewWebhookHandler(testWebhookSecret, make(chan Event, 1),
		WithWebhookLogger(zerolog.New(&logs)),
		WithBadSignatureHook(func() { refused.Add(1) }),
		WithBadSignatureLogEvery(time.Hour))
	require.NoError(t, err)
	for range 50 {
		req := httptest.NewRequest(http.MethodPost, "/webex/events", strings.NewReader(`{"resource":"messages","event":"created","data":{"id":"x"}}`))
		req.Header.Set(HeaderSparkSignature, "00")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusUnauthorized, rec.Code)
	}
	assert.EqualValues(t, 50, refused.Load(), "every refusal is counted")
	assert.Equal(t, 1, strings.Count(logs.String(), "bad signature rejected"), "one log line per interval: %s", logs.String())
}
