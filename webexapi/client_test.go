package webexapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sleepRecorder replaces real waits: it records them and returns at once (or ctx's error).
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return nil
}

func (r *sleepRecorder) all() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

// newHTTPTestClient returns a client for handler, with waits recorded instead of slept.
func newHTTPTestClient(t *testing.T, handler http.HandlerFunc, opts ...Option) (*Client, *sleepRecorder) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	rec := &sleepRecorder{}
	all := append([]Option{WithBaseURL(srv.URL + "/v1"), WithToken("tok"), WithSleep(rec.sleep)}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c, rec
}

func writeWebexError(w http.ResponseWriter, status int, msg, tracking string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Trackingid", tracking)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"message":    msg,
		"errors":     []map[string]string{{"description": msg + " (detail)"}},
		"trackingId": tracking,
	})
}

func TestNewClientNeedsTokenAndValidBaseURL(t *testing.T) {
	t.Parallel()
	_, err := NewClient()
	require.Error(t, err)
	_, err = NewClient(WithToken("t"), WithBaseURL("not a url"))
	require.Error(t, err)
	c, err := NewClient(WithToken("t"))
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
}

func TestDefaultHTTPClientHonoursProxyFromEnvironment(t *testing.T) {
	t.Parallel()
	tr, ok := defaultHTTPClient().Transport.(*http.Transport)
	require.True(t, ok)
	require.NotNil(t, tr.Proxy)
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	var got http.Header
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.WriteString(w, `{"id":"p1","type":"bot"}`)
	}, WithUserAgent("relais-test/1"))
	me, err := c.People.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "p1", me.ID)
	assert.Equal(t, "Bearer tok", got.Get("Authorization"))
	assert.Equal(t, "relais-test/1", got.Get("User-Agent"))
	assert.True(t, strings.HasPrefix(got.Get("TrackingID"), "relais_"), got.Get("TrackingID"))
}

func TestTrackingIDDiffersPerRequest(t *testing.T) {
	t.Parallel()
	var ids []string
	var mu sync.Mutex
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids = append(ids, r.Header.Get("TrackingID"))
		mu.Unlock()
		_, _ = io.WriteString(w, `{"id":"x"}`)
	})
	for range 2 {
		_, err := c.Rooms.Get(context.Background(), "r")
		require.NoError(t, err)
	}
	require.Len(t, ids, 2)
	assert.NotEqual(t, ids[0], ids[1])
}

func TestAPIErrorFromJSONBody(t *testing.T) {
	t.Parallel()
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeWebexError(w, http.StatusNotFound, "The requested resource could not be found.", "TRK_1")
	})
	_, err := c.Messages.Get(context.Background(), "nope")
	require.Error(t, err)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "The requested resource could not be found.", apiErr.Message)
	assert.Equal(t, []ErrorDetail{{Description: "The requested resource could not be found. (detail)"}}, apiErr.Errors)
	assert.Equal(t, "TRK_1", apiErr.TrackingID)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Equal(t, "/v1/messages/nope", apiErr.Path)
	assert.True(t, IsNotFound(err))
	assert.False(t, IsForbidden(err))
	assert.Contains(t, err.Error(), "TRK_1")
	assert.Contains(t, err.Error(), "get message")
	assert.Empty(t, rec.all(), "a 404 is not retried")
}

func TestAPIErrorTrackingIDFromHeaderAndHTMLBody(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Trackingid", "ROUTER_abc")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "<html><head><title>403</title></head><body><h1>Forbidden</h1> go away</body></html>")
	})
	_, err := c.Meetings.Get(context.Background(), "m1", nil)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.True(t, IsForbidden(err))
	assert.Equal(t, "ROUTER_abc", apiErr.TrackingID)
	assert.Equal(t, "403 Forbidden go away", apiErr.Message)
	assert.Empty(t, apiErr.Errors)
}

func TestAPIErrorEmptyBody(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	_, err := c.People.Me(context.Background())
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.True(t, IsUnauthorized(err))
	assert.Equal(t, "Unauthorized", apiErr.Message)
	assert.NotContains(t, err.Error(), "tok", "the token never appears in errors")
}

func TestAPIErrorBodyIsCapped(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"message":"`+strings.Repeat("x", 200<<10)+`"}`)
	})
	_, err := c.People.Me(context.Background())
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	// The truncated JSON does not parse: the message is a short excerpt, not 200 KiB.
	assert.LessOrEqual(t, len(apiErr.Message), 210)
	assert.True(t, IsBadRequest(err))
}

func TestRateLimitHonoursRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, `{"id":"m1","text":"hi"}`)
	})
	m, err := c.Messages.Create(context.Background(), &MessageRequest{RoomID: "r", Text: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "m1", m.ID)
	assert.Equal(t, []time.Duration{7 * time.Second}, rec.all())
	assert.EqualValues(t, 2, n.Load())
}

func TestRateLimitHonoursRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC)
	var n atomic.Int32
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", now.Add(42*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, `{"id":"p"}`)
	}, WithClock(func() time.Time { return now }))
	_, err := c.People.Get(context.Background(), "p")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{42 * time.Second}, rec.all())
}

func TestRateLimitAboveCeilingReturnsError(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		writeWebexError(w, http.StatusTooManyRequests, "Too many requests", "T429")
	}, WithRetryPolicy(RetryPolicy{MaxRetryAfter: time.Minute}))
	_, err := c.People.Me(context.Background())
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Empty(t, rec.all())
	assert.EqualValues(t, 1, n.Load())
}

func TestServerErrorsRetriedOnGETWithBoundedAttempts(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeWebexError(w, http.StatusBadGateway, "bad gateway", "T502")
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BackoffBase: 100 * time.Millisecond, BackoffCap: time.Second}))
	_, err := c.Rooms.Get(context.Background(), "r")
	require.True(t, IsStatus(err, http.StatusBadGateway))
	assert.EqualValues(t, 3, n.Load())
	waits := rec.all()
	require.Len(t, waits, 2)
	assert.GreaterOrEqual(t, waits[0], 50*time.Millisecond)
	assert.LessOrEqual(t, waits[0], 100*time.Millisecond)
	assert.GreaterOrEqual(t, waits[1], 100*time.Millisecond)
	assert.LessOrEqual(t, waits[1], 200*time.Millisecond)
}

func TestServerErrorThenSuccessOnGET(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		_, _ = io.WriteString(w, `{"id":"r","type":"direct"}`)
	})
	room, err := c.Rooms.Get(context.Background(), "r")
	require.NoError(t, err)
	assert.Equal(t, RoomTypeDirect, room.Type)
}

func TestPOSTNotRetriedOn500Or502(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout} {
		var n atomic.Int32
		c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeWebexError(w, status, "boom", "T5")
		})
		_, err := c.Messages.Create(context.Background(), &MessageRequest{ToPersonEmail: "a@b.c", Text: "x"})
		require.True(t, IsStatus(err, status))
		assert.EqualValues(t, 1, n.Load(), "status %d", status)
		assert.Empty(t, rec.all())
	}
}

// A 503 may come from a gateway after Webex acted: a POST is not repeated by the client (the
// caller looks before acting again), a 429 is.
func TestPOSTNotRetriedOn503ButOn429(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		calls  int32
	}{{http.StatusServiceUnavailable, 1}, {http.StatusTooManyRequests, 2}} {
		var n atomic.Int32
		c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(tc.status)
				return
			}
			_, _ = io.WriteString(w, `{"id":"m"}`)
		})
		_, err := c.Messages.Create(context.Background(), &MessageRequest{RoomID: "r", Text: "x"})
		assert.Equal(t, tc.calls, n.Load(), "status %d", tc.status)
		if tc.status == http.StatusServiceUnavailable {
			require.True(t, IsStatus(err, tc.status))
			assert.Empty(t, rec.all())
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{2 * time.Second}, rec.all())
	}
}

func TestTransportErrorRetriedOnlyWhenIdempotent(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, rec := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		// The server's goroutine: assert, never require (FailNow must run on the test's).
		hj, ok := w.(http.Hijacker)
		if !assert.True(t, ok) {
			return
		}
		conn, _, err := hj.Hijack()
		if !assert.NoError(t, err) {
			return
		}
		_ = conn.Close() // connection dropped: no HTTP answer
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))

	err := c.Messages.Delete(context.Background(), "m")
	require.Error(t, err)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr))
	assert.EqualValues(t, 3, n.Load(), "DELETE retried")
	assert.Len(t, rec.all(), 2)

	n.Store(0)
	_, err = c.Messages.Create(context.Background(), &MessageRequest{RoomID: "r", Text: "x"})
	require.Error(t, err)
	assert.EqualValues(t, 1, n.Load(), "POST not retried: Webex may have acted")
}

func TestContextCancellationEndsTheWait(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	// A real wait that says when it starts: the 60 s wait must end as soon as ctx is cancelled.
	waiting := make(chan time.Duration, 1)
	c, err := NewClient(WithBaseURL(srv.URL), WithToken("t"), WithSleep(func(ctx context.Context, d time.Duration) error {
		waiting <- d
		return sleepCtx(ctx, d)
	}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.People.Me(ctx)
		done <- err
	}()
	select {
	case d := <-waiting:
		assert.Equal(t, 60*time.Second, d)
	case <-time.After(5 * time.Second):
		t.Fatal("the client never started waiting")
	}
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		assert.True(t, IsRateLimited(err), "the last answer is kept: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the wait did not end on cancellation")
	}
	assert.EqualValues(t, 1, n.Load())
}

func TestSleepCtx(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled)
	require.NoError(t, sleepCtx(context.Background(), time.Nanosecond))
}

func TestUnauthorizedWithStaticTokenNotRetried(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeWebexError(w, http.StatusUnauthorized, "The request requires a valid access token set in the Authorization request header.", "T401")
	})
	_, err := c.People.Me(context.Background())
	assert.True(t, IsUnauthorized(err))
	assert.EqualValues(t, 1, n.Load())
}

func TestEmptySuccessBodyAndNoContent(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	require.NoError(t, c.Webhooks.Delete(context.Background(), "w"))
	_, err := c.Rooms.Get(context.Background(), "r")
	require.NoError(t, err)
}

func TestBadJSONSuccessBody(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `<html>not json</html>`)
	})
	_, err := c.Rooms.Get(context.Background(), "r")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decode")
}

func TestDoURLAbsolute(t *testing.T) {
	t.Parallel()
	var path, auth string
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		path, auth = r.URL.Path, r.Header.Get("Authorization")
		_, _ = io.WriteString(w, `{"devices":[]}`)
	})
	var out struct {
		Devices []json.RawMessage `json:"devices"`
	}
	resp, err := c.doURL(context.Background(), http.MethodGet, strings.TrimSuffix(c.BaseURL(), "/v1")+"/wdm/api/v1/devices", nil, &out)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "/wdm/api/v1/devices", path)
	assert.Equal(t, "Bearer tok", auth)
}

func TestRestyLoggerAdapterWritesToZerolog(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	l := restyLogger{zerolog.New(&buf)}
	l.Warnf("retrying %d", 1)
	l.Errorf("boom")
	l.Debugf("dbg")
	out := buf.String()
	assert.Contains(t, out, `"level":"warn"`)
	assert.Contains(t, out, "resty: retrying 1")
	assert.Contains(t, out, "resty: boom")
}

// newFakeClient returns a client of the fake Webex with token, waits recorded, not slept.
func newFakeClient(t *testing.T, fake interface{ APIURL() string }, token string, opts ...Option) (*Client, *sleepRecorder) {
	t.Helper()
	rec := &sleepRecorder{}
	all := append([]Option{WithBaseURL(fake.APIURL()), WithToken(token), WithSleep(rec.sleep)}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c, rec
}

func TestIDsAreEscapedInPaths(t *testing.T) {
	t.Parallel()
	var raw string
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.EscapedPath()
		_, _ = io.WriteString(w, `{"id":"x"}`)
	})
	_, err := c.Messages.Get(context.Background(), "../people/me")
	require.NoError(t, err)
	assert.Equal(t, "/v1/messages/..%2Fpeople%2Fme", raw)
}

func TestTrustedHostsForTheToken(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL("http://127.0.0.1:8765/v1"), WithToken("t"))
	require.NoError(t, err)
	for raw, want := range map[string]bool{
		"https://conv-a.wbx2.com/conversation/api/v1/messages/x":       true,
		"https://webexapis.com/v1/messages/x":                          true,
		"http://127.0.0.1:8765/conversation/api/v1/messages/x":         true, // the configured API host
		"http://conv-a.wbx2.com/conversation/api/v1/messages/x":        false,
		"https://evil.example/conversation/api/v1/messages/x":          false,
		"https://wbx2.com.evil.example/conversation/api/v1/messages/x": false,
		"http://127.0.0.1:9999/conversation/api/v1/messages/x":         false,
	} {
		assert.Equal(t, want, c.trustedHost(raw), raw)
	}
}

func TestTransportErrorsHideTheQuery(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1/v1"), WithToken("t"),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.People.List(context.Background(), &PeopleListOptions{Email: "marie.tremblay@example.com"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "marie.tremblay")
}
