package webexapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// oauthClock is the shared clock of the fake and the client: sleeping advances it, so the
// flows run without real waits.
type oauthClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep runs after each sleep with the number of sleeps so far.
	onSleep func(n int)
}

func (c *oauthClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *oauthClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *oauthClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	n, hook := len(c.sleeps), c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}

func (c *oauthClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func newOAuthFixture(t *testing.T) (*webextest.Server, *webexapi.Integration, *oauthClock) {
	t.Helper()
	clk := &oauthClock{t: time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC)}
	fake := webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: fake.APIURL(),
		ClientID: fake.IntegrationClientID(), ClientSecret: fake.IntegrationClientSecret(),
		Now: clk.Now, Sleep: clk.Sleep})
	require.NoError(t, err)
	return fake, in, clk
}

// userClient is a meetings/people client that uses the token source of each request's context.
func userClient(t *testing.T, fake *webextest.Server) *webexapi.Client {
	t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL(fake.APIURL()),
		webexapi.WithTokenSource(&webexapi.ContextTokens{Default: webexapi.StaticToken(fake.MeetingsToken())}))
	require.NoError(t, err)
	return c
}

func TestDeviceGrantPendingThenApproved(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	d, err := in.StartDevice(ctx)
	require.NoError(t, err)
	assert.Regexp(t, `^\d{6}$`, d.UserCode)
	assert.Equal(t, 2*time.Second, d.Interval)
	assert.Equal(t, clk.Now().Add(300*time.Second), d.ExpiresAt)
	assert.Contains(t, d.VerificationURIComplete, "userCode=")

	clk.onSleep = func(n int) {
		if n == 3 { // two polls answered "pending" before the person approves
			_, err := fake.Approve(d.UserCode, "alex.martin@example.com")
			assert.NoError(t, err)
		}
	}
	tok, err := in.WaitDevice(ctx, d, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second}, clk.Sleeps(), "polled at the interval Webex gave")
	assert.NotEmpty(t, tok.AccessToken)
	assert.NotEmpty(t, tok.RefreshToken)
	assert.Equal(t, webexapi.UserScopes, tok.Scopes)
	assert.True(t, tok.Expiry.After(clk.Now()))
	assert.True(t, tok.RefreshExpiry.After(tok.Expiry))

	// The token is the approver's, and a meeting made with it is theirs (no hostEmail).
	uts, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now})
	require.NoError(t, err)
	c := userClient(t, fake)
	octx := webexapi.ContextWithTokenSource(ctx, uts)
	me, err := c.People.Me(octx)
	require.NoError(t, err)
	assert.Equal(t, "alex.martin@example.com", me.Email())
	start := clk.Now().Add(24 * time.Hour)
	m, err := c.Meetings.Create(octx, &webexapi.MeetingRequest{Title: "Suivi",
		Start: webexapi.FormatTime(start), End: webexapi.FormatTime(start.Add(time.Hour))})
	require.NoError(t, err)
	assert.Equal(t, "alex.martin@example.com", m.HostEmail)

	// Without a source in the context, the same client uses the service app's token.
	admin, err := c.People.Me(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, me.ID, admin.ID)
}

func TestDeviceGrantApprovedBySomeoneElseIsDetectable(t *testing.T) {
	t.Parallel()
	fake, in, _ := newOAuthFixture(t)
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "bob.smith@example.com")
	c, err := webexapi.NewClient(webexapi.WithBaseURL(fake.APIURL()), webexapi.WithToken(tok.AccessToken))
	require.NoError(t, err)
	me, err := c.People.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "bob.smith@example.com", me.Email(), "GET /people/me names who approved, not who asked")
}

func TestDeviceGrantSlowDownHonoured(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	d, err := in.StartDevice(ctx)
	require.NoError(t, err)
	d.Interval = time.Second // faster than Webex asked: Webex answers slow_down
	var told []time.Duration
	clk.onSleep = func(n int) {
		if n == 2 {
			_, err := fake.Approve(d.UserCode, "alex.martin@example.com")
			assert.NoError(t, err)
		}
	}
	tok, err := in.WaitDevice(ctx, d, func(iv time.Duration) { told = append(told, iv) })
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	assert.Equal(t, []time.Duration{6 * time.Second}, told, "the interval grows by 5 s, and the caller is told")
	assert.Equal(t, []time.Duration{time.Second, 6 * time.Second}, clk.Sleeps())
	assert.Equal(t, 6*time.Second, d.Interval)
}

func TestDeviceGrantDenied(t *testing.T) {
	t.Parallel()
	fake, in, _ := newOAuthFixture(t)
	ctx := context.Background()
	d, err := in.StartDevice(ctx)
	require.NoError(t, err)
	_, err = fake.Deny(d.UserCode)
	require.NoError(t, err)
	_, err = in.WaitDevice(ctx, d, nil)
	require.ErrorIs(t, err, webexapi.ErrAccessDenied)
	var oe *webexapi.OAuthError
	require.True(t, errors.As(err, &oe))
	assert.Equal(t, "access_denied", oe.Code)
	assert.NotEmpty(t, oe.APIError.TrackingID)
}

func TestDeviceGrantStopsAtExpiry(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	d, err := in.StartDevice(ctx)
	require.NoError(t, err)
	_, err = in.WaitDevice(ctx, d, nil)
	require.ErrorIs(t, err, webexapi.ErrExpiredToken)
	assert.False(t, clk.Now().After(d.ExpiresAt), "never polls past the expiry")
	assert.Len(t, clk.Sleeps(), 149, "every 2 s for 300 s, stopping before the expiry")
	assert.Equal(t, 149, fake.CallCounts()["POST /v1/device/token"], "one poll after each wait")

	// Webex's own expired_token (a clock that disagrees) is final too.
	d2, err := in.StartDevice(ctx)
	require.NoError(t, err)
	clk.Add(300 * time.Second)
	_, err = in.PollDevice(ctx, d2.DeviceCode)
	require.ErrorIs(t, err, webexapi.ErrExpiredToken)
}

func TestDeviceGrantHonoursContext(t *testing.T) {
	t.Parallel()
	_, in, clk := newOAuthFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	d, err := in.StartDevice(ctx)
	require.NoError(t, err)
	clk.onSleep = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	_, err = in.WaitDevice(ctx, d, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, clk.Sleeps(), 2)
}

func TestDeviceGrantBadClient(t *testing.T) {
	t.Parallel()
	fake, _, _ := newOAuthFixture(t)
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: fake.APIURL(), ClientID: "nope", ClientSecret: "x"})
	require.NoError(t, err)
	_, err = in.StartDevice(context.Background())
	require.Error(t, err)
	assert.True(t, webexapi.IsBadRequest(err))
	assert.Contains(t, err.Error(), "Client Id is invalid")
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	fake, in, _ := newOAuthFixture(t)
	ctx := context.Background()
	pkce, err := webexapi.NewPKCE()
	require.NoError(t, err)
	assert.Len(t, pkce.Verifier, 64)
	const redirect = "http://localhost:3000/callback"
	authURL := in.AuthCodeURL(webexapi.AuthCodeRequest{RedirectURI: redirect, State: "s1", PKCE: pkce, LoginHint: "jean.dupont@example.com"})
	u, err := url.Parse(authURL)
	require.NoError(t, err)
	assert.Equal(t, "S256", u.Query().Get("code_challenge_method"))
	assert.Equal(t, pkce.Challenge, u.Query().Get("code_challenge"))
	assert.NotContains(t, authURL, pkce.Verifier)

	// The user's browser opens the page; the fake names its user code.
	userCode := openInBrowser(t, authURL)
	redirected, err := fake.Approve(userCode, "jean.dupont@example.com")
	require.NoError(t, err)
	ru, err := url.Parse(redirected)
	require.NoError(t, err)
	assert.Equal(t, "s1", ru.Query().Get("state"))

	_, err = in.Exchange(ctx, ru.Query().Get("code"), redirect, strings.Repeat("x", 43))
	require.ErrorIs(t, err, webexapi.ErrInvalidGrant, "a wrong verifier")
	tok, err := in.Exchange(ctx, ru.Query().Get("code"), redirect, pkce.Verifier)
	require.NoError(t, err)
	c, err := webexapi.NewClient(webexapi.WithBaseURL(fake.APIURL()), webexapi.WithToken(tok.AccessToken))
	require.NoError(t, err)
	me, err := c.People.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "jean.dupont@example.com", me.Email())
}

func TestUserTokenRefreshRotatesAndSaves(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "marie.tremblay@example.com")

	var saved []webexapi.UserToken
	uts, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now,
		Save: func(_ context.Context, t webexapi.UserToken) error { saved = append(saved, t); return nil }})
	require.NoError(t, err)
	first, err := uts.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, first)
	assert.Empty(t, saved, "a fresh token is used as is")

	clk.Add(56 * time.Minute) // within the 5-minute margin
	second, err := uts.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first, second)
	require.Len(t, saved, 1, "the refreshed pair is saved before use")
	assert.NotEqual(t, tok.RefreshToken, saved[0].RefreshToken, "the rotated refresh token is kept")
	assert.Equal(t, second, saved[0].AccessToken)

	// The old refresh token no longer works; the kept one does.
	_, err = in.Refresh(ctx, tok.RefreshToken)
	require.ErrorIs(t, err, webexapi.ErrInvalidGrant)
	uts.Invalidate(second)
	third, err := uts.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, second, third)
	assert.Len(t, saved, 2)
}

func TestUserTokenAfter401RefreshesOnce(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "alex.martin@example.com")
	tok.AccessToken = "stale" // Webex answers 401
	uts, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now})
	require.NoError(t, err)
	me, err := userClient(t, fake).People.Me(webexapi.ContextWithTokenSource(ctx, uts))
	require.NoError(t, err)
	assert.Equal(t, "alex.martin@example.com", me.Email())
}

func TestUserTokenRevokedAsksToReauthorize(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "alex.martin@example.com")
	require.Equal(t, 1, fake.RevokeGrants("alex.martin@example.com"))
	uts, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now,
		Reload: func(context.Context) (webexapi.UserToken, error) { return *tok, nil }})
	require.NoError(t, err)
	_, err = userClient(t, fake).People.Me(webexapi.ContextWithTokenSource(ctx, uts))
	require.ErrorIs(t, err, webexapi.ErrReauthorize)
}

func TestUserTokenAdoptsAPairRotatedByAnotherReplica(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "alex.martin@example.com")
	var (
		mu     sync.Mutex
		stored = *tok
	)
	save := func(_ context.Context, t webexapi.UserToken) error { mu.Lock(); stored = t; mu.Unlock(); return nil }
	reload := func(context.Context) (webexapi.UserToken, error) { mu.Lock(); defer mu.Unlock(); return stored, nil }
	a, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now, Save: save, Reload: reload})
	require.NoError(t, err)
	b, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now, Save: save, Reload: reload})
	require.NoError(t, err)
	clk.Add(time.Hour)
	ta, err := a.Token(ctx)
	require.NoError(t, err)
	tb, err := b.Token(ctx) // its refresh token was rotated away by a: it reloads a's pair
	require.NoError(t, err)
	assert.Equal(t, ta, tb)
}

// openInBrowser GETs the authorization page as a browser would and returns the user code the
// fake shows on it.
func openInBrowser(t *testing.T, authURL string) string {
	t.Helper()
	resp, err := http.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	code := resp.Header.Get("X-Fake-User-Code")
	require.NotEmpty(t, code)
	return code
}

// approvedToken runs a device grant for scopes (UserScopes when none) approved as email.
func approvedToken(t *testing.T, fake *webextest.Server, in *webexapi.Integration, email string, scopes ...string) *webexapi.UserToken {
	t.Helper()
	ctx := context.Background()
	d, err := in.StartDevice(ctx, scopes...)
	require.NoError(t, err)
	_, err = fake.Approve(d.UserCode, email)
	require.NoError(t, err)
	tok, err := in.WaitDevice(ctx, d, nil)
	require.NoError(t, err)
	return tok
}

func TestUserTokenWithoutMeetingScopeGets403(t *testing.T) {
	t.Parallel()
	fake, in, clk := newOAuthFixture(t)
	ctx := context.Background()
	tok := approvedToken(t, fake, in, "alex.martin@example.com", "spark:people_read")
	uts, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{Integration: in, Token: *tok, Now: clk.Now})
	require.NoError(t, err)
	start := clk.Now().Add(24 * time.Hour)
	_, err = userClient(t, fake).Meetings.Create(webexapi.ContextWithTokenSource(ctx, uts), &webexapi.MeetingRequest{
		Title: "x", Start: webexapi.FormatTime(start), End: webexapi.FormatTime(start.Add(time.Hour))})
	require.Error(t, err)
	assert.True(t, webexapi.IsForbidden(err), "%v", err)
	assert.Empty(t, fake.Meetings())
}

// An absurd lifetime (past ten years) is capped, as for the service app's refresh: taken as
// "expired now", every request would refresh the token again.
func TestUserTokenAbsurdLifetimeIsCappedNotExpired(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"a1","refresh_token":"r1","expires_in":999999999999,"refresh_token_expires_in":999999999999}`)
	}))
	t.Cleanup(srv.Close)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: srv.URL + "/v1", ClientID: "cid", ClientSecret: "cs",
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	tok, err := in.Refresh(context.Background(), "r0")
	require.NoError(t, err)
	assert.True(t, tok.Expiry.After(now.AddDate(9, 0, 0)), "expiry %s", tok.Expiry)
	assert.True(t, tok.RefreshExpiry.After(now.AddDate(9, 0, 0)), "refresh expiry %s", tok.RefreshExpiry)
}

// The fake's act-then-fail reaches the OAuth endpoints too: a refresh answered 503 has rotated
// the refresh token all the same, so the one sent is spent (invalid_grant), as when Webex acts
// and then fails. The refresh is never retried by the client.
func TestUserTokenRefreshActedThenFailedSpendsTheOldRefreshToken(t *testing.T) {
	t.Parallel()
	fake, in, _ := newOAuthFixture(t)
	tok := approvedToken(t, fake, in, "jean.dupont@example.com")
	fake.SetFaults(webextest.Faults{ActThenFailRate: 1})
	calls := fake.CallCounts()["POST /v1/access_token"]
	_, err := in.Refresh(context.Background(), tok.RefreshToken)
	var apiErr *webexapi.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	require.Equal(t, calls+1, fake.CallCounts()["POST /v1/access_token"], "one attempt: a refresh is not retried")
	fake.SetFaults(webextest.Faults{})
	_, err = in.Refresh(context.Background(), tok.RefreshToken)
	require.ErrorIs(t, err, webexapi.ErrInvalidGrant, "the failed refresh had rotated the token")
}
