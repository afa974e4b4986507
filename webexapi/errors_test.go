package webexapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorIsFoundThroughWrapping(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("create meeting: %w", &APIError{StatusCode: 403, Message: "forbidden"})
	assert.True(t, IsForbidden(err))
	assert.False(t, IsNotFound(err))
	assert.False(t, IsNotFound(errors.New("plain")))
	assert.False(t, IsNotFound(nil))
}

func TestNewAPIError(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Trackingid": {"HDR"}, "Retry-After": {"30"}}

	e := newAPIError("POST", "/v1/meetings", 400, h,
		[]byte(`{"message":"The input parameters contain invalid items.","errors":[{"description":"joinBeforeHostMinutes must be 0, 5, 10 or 15"}],"trackingId":"BODY"}`), now)
	assert.Equal(t, "BODY", e.TrackingID, "the body's trackingId wins")
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Equal(t, "webex POST /v1/meetings: 400 The input parameters contain invalid items.; joinBeforeHostMinutes must be 0, 5, 10 or 15 (trackingId BODY)", e.Error())

	e = newAPIError("GET", "/v1/x", 502, h, []byte("<html><body><h1>502 Bad Gateway</h1></body></html>"), now)
	assert.Equal(t, "HDR", e.TrackingID)
	assert.Equal(t, "502 Bad Gateway", e.Message)

	e = newAPIError("GET", "/v1/x", 500, http.Header{}, nil, now)
	assert.Equal(t, "Internal Server Error", e.Message)
	assert.Empty(t, e.TrackingID)

	e = newAPIError("GET", "/v1/x", 500, http.Header{}, []byte(`{"message":""}`), now)
	assert.Equal(t, "Internal Server Error", e.Message, "empty JSON message falls back to the status text")
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 500)
	got := excerpt([]byte(long))
	assert.True(t, utf8.ValidString(got))
	assert.LessOrEqual(t, len(got), 204)
	assert.Equal(t, "a b", excerpt([]byte("a\n\n   b")))
	assert.True(t, utf8.ValidString(excerpt([]byte{0xff, 'a', 0xfe})))
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(400, []byte(`{"message":"m","errors":[{"description":"d"}],"trackingId":"t"}`), "3")
	f.Add(503, []byte("<html>x</html>"), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(429, []byte{}, "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		e := newAPIError("GET", "/p", status, h, body, time.Unix(0, 0))
		require.NotNil(t, e)
		require.GreaterOrEqual(t, e.RetryAfter, time.Duration(0))
		_ = e.Error()
	})
}
