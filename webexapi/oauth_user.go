package webexapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// A Webex Integration gets tokens that act as the user who authorized it (OAuth 2.0): Relais
// then schedules meetings as the organizer (no hostEmail) with the least privilege Webex offers.
// Two flows need no public callback: the device authorization grant (the user opens a link and
// enters a code; StartDevice, PollDevice, WaitDevice) and the authorization code with PKCE
// (AuthCodeURL, Exchange). Both give a refresh token (Refresh); Webex may rotate it, so always
// keep the one returned.
//
// Revocation: Webex has no user-level revocation endpoint (no RFC 7009; /v1/authorizations is
// for administrators only), so "disconnect" deletes the stored tokens; the user or an
// administrator revokes the grant in Webex itself.

// Scopes Relais asks of the organizer: schedule and read their own meetings, and read their own
// profile (GET /people/me, to check who approved).
var UserScopes = []string{"meeting:schedules_write", "meeting:schedules_read", "spark:people_read"}

// deviceGrantType is the device flow's grant_type (RFC 8628).
const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// Errors of the user OAuth flows; an *OAuthError matches the one of its code with errors.Is.
var (
	// ErrAuthorizationPending: the user has not answered yet (Webex's 428). Poll again later.
	ErrAuthorizationPending = errors.New("webex oauth: authorization pending")
	// ErrSlowDown: polled too fast; the interval must grow.
	ErrSlowDown = errors.New("webex oauth: slow down")
	// ErrAccessDenied: the user refused.
	ErrAccessDenied = errors.New("webex oauth: access denied")
	// ErrExpiredToken: the device code expired (or Relais stopped at its expiry). Start again.
	ErrExpiredToken = errors.New("webex oauth: device code expired")
	// ErrInvalidGrant: the code or refresh token is invalid, used, expired or revoked. For a
	// refresh token, the user must authorize again.
	ErrInvalidGrant = errors.New("webex oauth: invalid grant")
	// ErrInvalidClient: the integration's client id or secret is wrong. Alert the operator.
	ErrInvalidClient = errors.New("webex oauth: invalid client")
)

var oauthCodes = map[string]error{
	"authorization_pending": ErrAuthorizationPending,
	"slow_down":             ErrSlowDown,
	"access_denied":         ErrAccessDenied,
	"expired_token":         ErrExpiredToken,
	"invalid_grant":         ErrInvalidGrant,
	"invalid_client":        ErrInvalidClient,
}

// OAuthError is an error answer of an OAuth endpoint. Code is the OAuth error code, read from
// "error", else "message", else errors[0].description (Webex's bodies vary); a 428 is
// authorization_pending whatever its body.
type OAuthError struct {
	Code       string
	APIError   *APIError
	StatusCode int
}

// Error implements error.
func (e *OAuthError) Error() string {
	if e.Code == "" {
		return e.APIError.Error()
	}
	return e.Code + ": " + e.APIError.Error()
}

// Is matches the sentinel of e's code.
func (e *OAuthError) Is(target error) bool { return oauthCodes[e.Code] == target && target != nil }

// Unwrap returns the underlying *APIError (status, tracking id, Retry-After).
func (e *OAuthError) Unwrap() error { return e.APIError }

// IntegrationConfig configures an Integration.
type IntegrationConfig struct {
	// BaseURL is the REST root (default DefaultBaseURL), e.g. a fake's APIURL().
	BaseURL string
	// ClientID and ClientSecret of the Webex Integration (both required).
	ClientID, ClientSecret string
	// HTTPClient (default: 30 s timeout, HTTPS_PROXY honoured).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Sleep waits between polls and must return ctx.Err() if ctx ends first (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Integration runs the user OAuth flows of a Webex Integration. Safe for concurrent use.
type Integration struct {
	cfg  IntegrationConfig
	base string
	hc   *http.Client
}

// NewIntegration returns an Integration; ClientID and ClientSecret are required.
func NewIntegration(cfg IntegrationConfig) (*Integration, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("webexapi: integration: client id and client secret are required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webexapi: integration: bad base URL %q", cfg.BaseURL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	// Its forms hold the client secret, codes, PKCE verifiers and refresh tokens: like the
	// token refresh, never sent again to wherever a redirect points.
	hc = withRedirectPolicy(hc, noRedirects)
	return &Integration{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), hc: hc}, nil
}

// ClientID is the integration's client id.
func (in *Integration) ClientID() string { return in.cfg.ClientID }

// UserToken is what the token endpoints answer. AccessToken and RefreshToken are secrets:
// never log them, store them sealed.
type UserToken struct {
	AccessToken  string
	RefreshToken string
	// Expiry of the access token; RefreshExpiry of the refresh token (zero when not told).
	Expiry, RefreshExpiry time.Time
	// Scopes granted.
	Scopes []string
}

// DeviceAuthorization is a started device grant. DeviceCode is a secret (the polling handle,
// never shown); the user opens VerificationURIComplete (or VerificationURI and types UserCode).
type DeviceAuthorization struct {
	DeviceCode              string
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string
	// ExpiresAt is when both codes expire: stop polling then.
	ExpiresAt time.Time
	// Interval is the minimum wait between polls; it grows after a slow_down.
	Interval time.Duration
}

// StartDevice starts a device grant for scopes (UserScopes when none):
// POST /device/authorize.
func (in *Integration) StartDevice(ctx context.Context, scopes ...string) (*DeviceAuthorization, error) {
	if len(scopes) == 0 {
		scopes = UserScopes
	}
	form := url.Values{"client_id": {in.cfg.ClientID}, "scope": {strings.Join(scopes, " ")}}
	start := in.cfg.Now()
	var wire struct {
		DeviceCode              string `json:"device_code"`
		UserCode                string `json:"user_code"`
		VerificationURI         string `json:"verification_uri"`
		VerificationURIComplete string `json:"verification_uri_complete"`
		ExpiresIn               int64  `json:"expires_in"`
		Interval                int64  `json:"interval"`
	}
	if err := in.post(ctx, "/device/authorize", form, false, &wire); err != nil {
		return nil, fmt.Errorf("start device authorization: %w", err)
	}
	if wire.DeviceCode == "" || wire.UserCode == "" {
		return nil, errors.New("start device authorization: no device_code or user_code in answer")
	}
	d := &DeviceAuthorization{DeviceCode: wire.DeviceCode, UserCode: wire.UserCode,
		VerificationURI: wire.VerificationURI, VerificationURIComplete: wire.VerificationURIComplete,
		ExpiresAt: start.Add(seconds(wire.ExpiresIn, 300)), Interval: seconds(wire.Interval, 5)}
	return d, nil
}

// seconds converts an announced lifetime, def when absent or absurd.
func seconds(n, def int64) time.Duration {
	if n <= 0 || n > maxExpiresIn {
		n = def
	}
	return time.Duration(n) * time.Second
}

// PollDevice asks once for the tokens of a device grant: POST /device/token. While the user
// has not answered the error is ErrAuthorizationPending; ErrSlowDown asks for a longer
// interval; ErrAccessDenied, ErrExpiredToken and ErrInvalidGrant are final.
func (in *Integration) PollDevice(ctx context.Context, deviceCode string) (*UserToken, error) {
	form := url.Values{"grant_type": {deviceGrantType}, "device_code": {deviceCode}, "client_id": {in.cfg.ClientID}}
	tok, err := in.token(ctx, "/device/token", form, true)
	if err != nil {
		return nil, fmt.Errorf("poll device authorization: %w", err)
	}
	return tok, nil
}

// slowDownStep is how much the interval grows after a slow_down (RFC 8628 §3.5).
const slowDownStep = 5 * time.Second

// WaitDevice polls d at its interval until the user approves (the tokens), denies
// (ErrAccessDenied), the codes expire (ErrExpiredToken, without polling past ExpiresAt) or ctx
// ends. A slow_down grows d.Interval by 5 s and a 429 waits its Retry-After; onInterval, when
// not nil, is told each new interval (to persist it). Other errors (transport, 5xx) are
// retried at the interval until expiry.
func (in *Integration) WaitDevice(ctx context.Context, d *DeviceAuthorization, onInterval func(time.Duration)) (*UserToken, error) {
	wait := d.Interval
	for {
		if !in.cfg.Now().Add(wait).Before(d.ExpiresAt) {
			return nil, fmt.Errorf("wait for device authorization: %w", ErrExpiredToken)
		}
		if err := in.cfg.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("wait for device authorization: %w", err)
		}
		tok, err := in.PollDevice(ctx, d.DeviceCode)
		wait = d.Interval
		var apiErr *APIError
		switch {
		case err == nil:
			return tok, nil
		case errors.Is(err, ErrAuthorizationPending):
		case errors.Is(err, ErrSlowDown):
			d.Interval += slowDownStep
			wait = d.Interval
			if onInterval != nil {
				onInterval(d.Interval)
			}
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests:
			wait = max(d.Interval, apiErr.RetryAfter)
		case ctx.Err() != nil:
			return nil, err
		case errors.As(err, &apiErr) && apiErr.StatusCode < 500:
			// access_denied, expired_token, invalid_grant, invalid_client, tokenlimit_reached…
			return nil, err
		}
		// A transport failure or a 5xx: try again at the interval, until expiry.
	}
}

// PKCE is a proof key for the authorization-code flow (RFC 7636, method S256). Verifier is a
// secret kept until the exchange.
type PKCE struct {
	Verifier, Challenge string
}

// NewPKCE returns a fresh verifier (64 characters) and its S256 challenge.
func NewPKCE() (PKCE, error) {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		return PKCE{}, fmt.Errorf("pkce: %w", err)
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(v))
	return PKCE{Verifier: v, Challenge: base64.RawURLEncoding.EncodeToString(sum[:])}, nil
}

// AuthCodeRequest is what AuthCodeURL needs.
type AuthCodeRequest struct {
	// RedirectURI registered on the integration (may be a non-public one, e.g.
	// http://localhost:3000/callback, from which the user copies the code).
	RedirectURI string
	// State is echoed in the redirect: check it.
	State string
	// Scopes (UserScopes when empty).
	Scopes []string
	// PKCE gives the challenge (S256).
	PKCE PKCE
	// LoginHint pre-fills the e-mail on Webex's sign-in page.
	LoginHint string
}

// AuthCodeURL is the URL the user opens to authorize the integration: GET /authorize with
// response_type=code and a PKCE S256 challenge.
func (in *Integration) AuthCodeURL(r AuthCodeRequest) string {
	scopes := r.Scopes
	if len(scopes) == 0 {
		scopes = UserScopes
	}
	q := url.Values{"response_type": {"code"}, "client_id": {in.cfg.ClientID}, "redirect_uri": {r.RedirectURI},
		"scope": {strings.Join(scopes, " ")}, "state": {r.State},
		"code_challenge": {r.PKCE.Challenge}, "code_challenge_method": {"S256"}}
	if r.LoginHint != "" {
		q.Set("login_hint", r.LoginHint)
	}
	return in.base + "/authorize?" + q.Encode()
}

// Exchange trades an authorization code for tokens: POST /access_token with
// grant_type=authorization_code, the same redirect URI and the PKCE verifier.
func (in *Integration) Exchange(ctx context.Context, code, redirectURI, verifier string) (*UserToken, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {in.cfg.ClientID},
		"client_secret": {in.cfg.ClientSecret}, "code": {code}, "redirect_uri": {redirectURI},
		"code_verifier": {verifier}}
	tok, err := in.token(ctx, "/access_token", form, false)
	if err != nil {
		return nil, fmt.Errorf("exchange authorization code: %w", err)
	}
	return tok, nil
}

// Refresh gets new tokens with a refresh token: POST /access_token with
// grant_type=refresh_token. The answer's refresh token is the one to keep (Webex may rotate
// it); when Webex sends none, the one given is kept. ErrInvalidGrant means the user must
// authorize again.
func (in *Integration) Refresh(ctx context.Context, refreshToken string) (*UserToken, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {in.cfg.ClientID},
		"client_secret": {in.cfg.ClientSecret}, "refresh_token": {refreshToken}}
	tok, err := in.token(ctx, "/access_token", form, false)
	if err != nil {
		return nil, fmt.Errorf("refresh user token: %w", err)
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = refreshToken
	}
	return tok, nil
}

// token posts to a token endpoint and decodes the tokens.
func (in *Integration) token(ctx context.Context, path string, form url.Values, basic bool) (*UserToken, error) {
	start := in.cfg.Now()
	var tr struct {
		tokenResponse
		Scope string `json:"scope"`
	}
	if err := in.post(ctx, path, form, basic, &tr); err != nil {
		return nil, err
	}
	if tr.AccessToken == "" {
		return nil, errors.New("no access_token in answer")
	}
	t := &UserToken{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken, Scopes: strings.Fields(tr.Scope)}
	// An absurd lifetime is capped, as for the service app's refresh, never taken as "expired".
	if tr.ExpiresIn > 0 {
		t.Expiry = start.Add(lifetime(tr.ExpiresIn))
	}
	if tr.RefreshTokenExpiresIn > 0 {
		t.RefreshExpiry = start.Add(lifetime(tr.RefreshTokenExpiresIn))
	}
	return t, nil
}

// post sends a form (Basic client authentication when basic) and decodes a 2xx JSON answer
// into out; an error answer becomes an *OAuthError.
func (in *Integration) post(ctx context.Context, path string, form url.Values, basic bool, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	if basic {
		req.SetBasicAuth(in.cfg.ClientID, in.cfg.ClientSecret)
	}
	start := in.cfg.Now()
	resp, err := in.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is harmless, but keep errors short and uniform
		}
		return &transportError{method: http.MethodPost, path: req.URL.Path, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return newOAuthError(newAPIError(http.MethodPost, req.URL.Path, resp.StatusCode, resp.Header, b, start), b)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// newOAuthError finds the OAuth error code of an error answer.
func newOAuthError(apiErr *APIError, body []byte) *OAuthError {
	e := &OAuthError{APIError: apiErr, StatusCode: apiErr.StatusCode}
	var wire struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &wire) // not JSON: no code from the body
	switch {
	case apiErr.StatusCode == http.StatusPreconditionRequired:
		e.Code = "authorization_pending"
	case wire.Error != "":
		e.Code = wire.Error
	case oauthCodes[apiErr.Message] != nil:
		e.Code = apiErr.Message
	case len(apiErr.Errors) > 0 && oauthCodes[apiErr.Errors[0].Description] != nil:
		e.Code = apiErr.Errors[0].Description
	}
	return e
}
