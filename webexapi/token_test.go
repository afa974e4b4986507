package webexapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenEndpoint is a fake OAuth token endpoint issuing "at-N" access tokens and rotating
// refresh tokens "rt-N".
type tokenEndpoint struct {
	t         *testing.T
	srv       *httptest.Server
	refreshes atomic.Int32
	expiresIn int
	mu        sync.Mutex
	current   string // the refresh token it accepts
	access    string // the latest access token issued
	gate      chan struct{}
}

func newTokenEndpoint(t *testing.T, expiresIn int) *tokenEndpoint {
	te := &tokenEndpoint{t: t, expiresIn: expiresIn, current: "rt-0"}
	te.srv = httptest.NewServer(http.HandlerFunc(te.serve))
	t.Cleanup(te.srv.Close)
	return te
}

func (te *tokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	if te.gate != nil {
		<-te.gate
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/access_token" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		http.Error(w, "bad request shape", http.StatusBadRequest)
		return
	}
	te.mu.Lock()
	defer te.mu.Unlock()
	f := r.PostForm
	if f.Get("grant_type") != "refresh_token" || f.Get("client_id") != "cid" || f.Get("client_secret") != "csecret" ||
		f.Get("refresh_token") != te.current {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"message":"invalid_grant","trackingId":"TOK_1"}`)
		return
	}
	n := te.refreshes.Add(1)
	te.current = fmt.Sprintf("rt-%d", n)
	te.access = fmt.Sprintf("at-%d", n)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": te.access, "expires_in": te.expiresIn, "refresh_token": te.current,
		"refresh_token_expires_in": 7775999, "token_type": "Bearer",
	})
}

func (te *tokenEndpoint) latestAccess() string {
	te.mu.Lock()
	defer te.mu.Unlock()
	return te.access
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func newRefreshing(t *testing.T, te *tokenEndpoint, clk *fakeClock, mod func(*RefreshConfig)) *RefreshingToken {
	t.Helper()
	cfg := RefreshConfig{
		TokenURL: te.srv.URL + "/v1/access_token", ClientID: "cid", ClientSecret: "csecret",
		RefreshToken: "rt-0", Now: clk.now,
	}
	if mod != nil {
		mod(&cfg)
	}
	rt, err := NewRefreshingToken(cfg)
	require.NoError(t, err)
	return rt
}

func TestStaticToken(t *testing.T) {
	t.Parallel()
	tok, err := StaticToken("abc").Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "abc", tok)
	_, err = StaticToken("").Token(context.Background())
	require.Error(t, err)
}

func TestNewRefreshingTokenNeedsCredentials(t *testing.T) {
	t.Parallel()
	_, err := NewRefreshingToken(RefreshConfig{ClientID: "a", ClientSecret: "b"})
	require.Error(t, err)
}

func TestRefreshingTokenRefreshesBeforeExpiryAndKeepsNewRefreshToken(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	clk := &fakeClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	var kept []string
	rt := newRefreshing(t, te, clk, func(c *RefreshConfig) {
		c.Margin = 5 * time.Minute
		c.OnRefresh = func(r string) { kept = append(kept, r) }
	})
	ctx := context.Background()

	tok, err := rt.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok)
	tok, err = rt.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok, "cached while valid")
	assert.EqualValues(t, 1, te.refreshes.Load())

	clk.add(54 * time.Minute) // 6 minutes before expiry: still outside the 5-minute margin
	tok, _ = rt.Token(ctx)
	assert.Equal(t, "at-1", tok)

	clk.add(2 * time.Minute) // 4 minutes before expiry: refresh, with the rotated refresh token
	tok, err = rt.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok)
	assert.EqualValues(t, 2, te.refreshes.Load())
	assert.Equal(t, []string{"rt-1", "rt-2"}, kept)
}

func TestRefreshingTokenShortLifetimeNotRefreshedEveryCall(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 60) // shorter than the margin
	clk := &fakeClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	rt := newRefreshing(t, te, clk, nil)
	for range 3 {
		_, err := rt.Token(context.Background())
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, te.refreshes.Load())
	clk.add(31 * time.Second)
	tok, _ := rt.Token(context.Background())
	assert.Equal(t, "at-2", tok)
}

func TestRefreshingTokenConcurrentCallersShareOneRefresh(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	te.gate = make(chan struct{})
	clk := &fakeClock{t: time.Now()}
	rt := newRefreshing(t, te, clk, nil)
	const n = 20
	var wg sync.WaitGroup
	toks := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = rt.Token(context.Background()) })
	}
	close(te.gate)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, "at-1", toks[i])
	}
	assert.EqualValues(t, 1, te.refreshes.Load())
}

func TestRefreshingTokenErrorIsTyped(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	rt := newRefreshing(t, te, &fakeClock{t: time.Now()}, func(c *RefreshConfig) { c.RefreshToken = "revoked" })
	_, err := rt.Token(context.Background())
	require.Error(t, err)
	assert.True(t, IsBadRequest(err))
	assert.Contains(t, err.Error(), "TOK_1")
	assert.NotContains(t, err.Error(), "csecret")
}

func TestRefreshingTokenWaitEndsOnContext(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	te.gate = make(chan struct{})
	t.Cleanup(func() { close(te.gate) })
	rt := newRefreshing(t, te, &fakeClock{t: time.Now()}, nil)
	started := make(chan struct{})
	go func() {
		close(started)
		_, _ = rt.Token(context.Background()) // holds the lock, blocked in the endpoint
	}()
	<-started
	require.Eventually(t, func() bool { return len(rt.sem) == 1 }, 5*time.Second, time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := rt.Token(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

// TestClientRefreshesOnceOn401 has many concurrent requests fail with a revoked token: the
// token source refreshes once, every request is retried once and succeeds.
func TestClientRefreshesOnceOn401(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	var apiCalls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiCalls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+te.latestAccess() {
			writeWebexError(w, http.StatusUnauthorized, "expired", "T401")
			return
		}
		_, _ = w.Write([]byte(`{"id":"m1","hostKey":"123456"}`))
	}))
	t.Cleanup(api.Close)
	// Seeded with an access token the API no longer accepts, and no known expiry.
	rt := newRefreshing(t, te, &fakeClock{t: time.Now()}, func(c *RefreshConfig) { c.AccessToken = "revoked" })
	rec := &sleepRecorder{}
	c, err := NewClient(WithBaseURL(api.URL+"/v1"), WithTokenSource(rt), WithSleep(rec.sleep))
	require.NoError(t, err)

	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = c.Meetings.Get(context.Background(), "m1", &MeetingGetOptions{HostEmail: "a@b.c"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, te.refreshes.Load())
	assert.Empty(t, rec.all(), "a 401 refresh does not wait")
}

func TestClientReturns401AfterOneRefresh(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t, 3600)
	var apiCalls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiCalls.Add(1)
		writeWebexError(w, http.StatusUnauthorized, "no", "T401")
	}))
	t.Cleanup(api.Close)
	rt := newRefreshing(t, te, &fakeClock{t: time.Now()}, nil)
	c, err := NewClient(WithBaseURL(api.URL), WithTokenSource(rt))
	require.NoError(t, err)
	_, err = c.People.Me(context.Background())
	assert.True(t, IsUnauthorized(err))
	assert.EqualValues(t, 2, apiCalls.Load(), "first try and one retry after the refresh")
	assert.EqualValues(t, 2, te.refreshes.Load(), "initial token, then one refresh on 401")
}
