package webexapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// TokenSource supplies the bearer token for each request.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// Invalidator is implemented by token sources that can get a new token: when Webex answers 401
// to a request made with token, the client calls Invalidate(token) and retries that request
// once with a fresh token.
type Invalidator interface {
	Invalidate(token string)
}

// StaticToken is a token that never changes (a bot token).
type StaticToken string

// Token implements TokenSource.
func (s StaticToken) Token(context.Context) (string, error) {
	if s == "" {
		return "", errors.New("empty static token")
	}
	return string(s), nil
}

// RefreshConfig configures a RefreshingToken.
type RefreshConfig struct {
	// TokenURL is the OAuth token endpoint (default DefaultBaseURL + "/access_token").
	TokenURL string
	// ClientID and ClientSecret of the integration or service app.
	ClientID, ClientSecret string
	// RefreshToken is the long-lived refresh token.
	RefreshToken string
	// AccessToken and Expiry optionally seed the current access token (zero Expiry: unknown,
	// used until Webex answers 401).
	AccessToken string
	Expiry      time.Time
	// Margin refreshes this long before expiry (default 5 minutes).
	Margin time.Duration
	// HTTPClient for the token endpoint (default: 30 s timeout, HTTPS_PROXY honoured).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// OnRefresh, if set, is called after each successful refresh with the refresh token to keep
	// (Webex may rotate it), e.g. to persist it. It must not block for long.
	OnRefresh func(refreshToken string)
}

// RefreshingToken is a TokenSource for an OAuth credential (the meetings credential): it gets
// access tokens with the refresh_token grant, refreshes them before they expire and after
// Invalidate, keeps the newest refresh token, and runs at most one refresh at a time.
type RefreshingToken struct {
	cfg RefreshConfig
	hc  *http.Client

	sem chan struct{} // held by the one caller refreshing

	mu           sync.Mutex // guards the fields below; never held during I/O
	access       string
	refreshAt    time.Time // zero: no known expiry
	refreshToken string
	// refreshExpiry is when the refresh token itself expires, when Webex said so (zero: unknown).
	refreshExpiry time.Time
}

// NewRefreshingToken returns a RefreshingToken; ClientID, ClientSecret and RefreshToken are required.
func NewRefreshingToken(cfg RefreshConfig) (*RefreshingToken, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.RefreshToken == "" {
		return nil, errors.New("webexapi: refreshing token: client id, client secret and refresh token are required")
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultBaseURL + "/access_token"
	}
	if cfg.Margin <= 0 {
		cfg.Margin = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	hc = withRedirectPolicy(hc, noRedirects)
	return &RefreshingToken{
		cfg:          cfg,
		hc:           hc,
		sem:          make(chan struct{}, 1),
		access:       cfg.AccessToken,
		refreshAt:    refreshTime(cfg.Now(), cfg.Expiry, cfg.Margin),
		refreshToken: cfg.RefreshToken,
	}, nil
}

// current returns the access token if it is still good to use.
func (r *RefreshingToken) current() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.access != "" && (r.refreshAt.IsZero() || r.cfg.Now().Before(r.refreshAt)) {
		return r.access, true
	}
	return "", false
}

// Token implements TokenSource: the current access token, refreshed first if it is missing or
// expires within the margin. Concurrent callers share one refresh; waiting ends with ctx.
func (r *RefreshingToken) Token(ctx context.Context) (string, error) {
	if tok, ok := r.current(); ok {
		return tok, nil
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("refresh token: %w", ctx.Err())
	}
	defer func() { <-r.sem }()
	if tok, ok := r.current(); ok { // refreshed by the caller we waited for
		return tok, nil
	}
	tok, err := r.refresh(ctx)
	if err != nil {
		return "", err
	}
	return tok, nil // the token just fetched, even if its lifetime is shorter than the margin
}

// Invalidate implements Invalidator: if token is still the current access token, the next
// Token call refreshes. A stale token (already replaced by a concurrent refresh) is ignored, so
// many requests failing with the same token cause one refresh.
func (r *RefreshingToken) Invalidate(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if token != "" && token == r.access {
		r.access = ""
	}
}

// RefreshTokenExpiry is when the refresh token expires, as Webex announced it at the last
// refresh (refresh_token_expires_in); zero before any refresh or when Webex did not say.
func (r *RefreshingToken) RefreshTokenExpiry() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refreshExpiry
}

// tokenResponse is the OAuth token endpoint's answer.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
	TokenType             string `json:"token_type"`
}

func (r *RefreshingToken) refreshTokenValue() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refreshToken
}

// maxExpiresIn caps a token lifetime Webex announces (ten years), so that no value overflows.
const maxExpiresIn = 10 * 365 * 24 * 3600

// lifetime is an announced expires_in (seconds, > 0) as a duration, capped at maxExpiresIn.
func lifetime(expiresIn int64) time.Duration {
	return time.Duration(min(expiresIn, maxExpiresIn)) * time.Second
}

// refresh runs the refresh_token grant and returns the new access token; the caller holds sem.
func (r *RefreshingToken) refresh(ctx context.Context) (string, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {r.cfg.ClientID},
		"client_secret": {r.cfg.ClientSecret},
		"refresh_token": {r.refreshTokenValue()},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("refresh token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := r.cfg.Now()
	resp, err := r.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("refresh token: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return "", fmt.Errorf("refresh token: %w", newAPIError(http.MethodPost, req.URL.Path, resp.StatusCode, resp.Header, b, start))
	}
	var tr tokenResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tr); err != nil {
		return "", fmt.Errorf("refresh token: decode: %w", err)
	}
	if tr.AccessToken == "" {
		return "", errors.New("refresh token: no access_token in answer")
	}
	var refreshAt time.Time
	if tr.ExpiresIn > 0 {
		refreshAt = refreshTime(start, start.Add(lifetime(tr.ExpiresIn)), r.cfg.Margin)
	}
	r.mu.Lock()
	r.access, r.refreshAt = tr.AccessToken, refreshAt
	if tr.RefreshToken != "" {
		r.refreshToken = tr.RefreshToken
	}
	if tr.RefreshTokenExpiresIn > 0 {
		r.refreshExpiry = start.Add(lifetime(tr.RefreshTokenExpiresIn))
	}
	keep := r.refreshToken
	r.mu.Unlock()
	if r.cfg.OnRefresh != nil {
		r.cfg.OnRefresh(keep)
	}
	return tr.AccessToken, nil
}

// refreshTime is when a token expiring at expiry should be refreshed: margin before expiry, but
// never earlier than half its remaining lifetime (short-lived tokens are not refreshed on every
// call). Zero when expiry is unknown.
func refreshTime(now, expiry time.Time, margin time.Duration) time.Time {
	if expiry.IsZero() {
		return time.Time{}
	}
	if half := expiry.Sub(now) / 2; half < margin {
		margin = max(half, 0)
	}
	return expiry.Add(-margin)
}
