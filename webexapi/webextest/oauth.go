package webextest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// The fake's Webex Integration (an OAuth client that acts as each user who authorizes it).
const (
	// IntegrationClientID is the integration's client id.
	IntegrationClientID = "integration-client-id"
	// IntegrationClientSecret is the integration's client secret.
	IntegrationClientSecret = "integration-client-secret"
)

// Scopes a user token may hold. The integration is registered with all of them; asking for
// another is Webex's "invalid scope".
const (
	ScopeMeetingsWrite = "meeting:schedules_write"
	ScopeMeetingsRead  = "meeting:schedules_read"
	ScopePeopleRead    = "spark:people_read"
	ScopeSparkAll      = "spark:all"
)

var registeredScopes = []string{ScopeMeetingsWrite, ScopeMeetingsRead, ScopePeopleRead, ScopeSparkAll,
	"spark:kms", "meeting:preferences_read"}

// OAuthLifetimes are the lifetimes the fake gives its user authorizations; zero fields take
// Webex's documented values.
type OAuthLifetimes struct {
	// DeviceCode is how long a device code and its user code are valid (default 300 s).
	DeviceCode time.Duration
	// Interval is the minimum wait between two polls of /device/token (default 2 s).
	Interval time.Duration
	// AuthorizationCode is how long a code of the authorization-code flow is valid (default 10 min).
	AuthorizationCode time.Duration
	// AccessToken is a user access token's lifetime (default 1209599 s, ≈14 days).
	AccessToken time.Duration
	// RefreshToken is a refresh token's lifetime (default 7775999 s, ≈90 days).
	RefreshToken time.Duration
}

func (l OAuthLifetimes) withDefaults() OAuthLifetimes {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.DeviceCode, 300*time.Second)
	def(&l.Interval, 2*time.Second)
	def(&l.AuthorizationCode, 10*time.Minute)
	def(&l.AccessToken, 1209599*time.Second)
	def(&l.RefreshToken, 7775999*time.Second)
	return l
}

// oauthState is the fake's memory of user authorizations; its own mutex guards it (never held
// while taking Server.mu).
type oauthState struct {
	mu        sync.Mutex
	life      OAuthLifetimes
	set       bool                   // life was set by SetOAuthLifetimes
	pending   map[string]*userAuth   // by user code
	byDevice  map[string]*userAuth   // by device code
	codes     map[string]*authCode   // authorization codes
	access    map[string]*tokenGrant // user access tokens
	refresh   map[string]*tokenGrant // user refresh tokens
	usedCodes map[string]bool        // device and authorization codes already exchanged
	issued    []IssuedToken          // every token issued, oldest first
	secrets   []string               // device codes and authorization codes issued
}

// userAuth is an authorization waiting for the user (device flow) or their browser (code flow).
type userAuth struct {
	flow                  string // "device" or "code"
	userCode, deviceCode  string
	scopes                []string
	issued, expires       time.Time
	interval              time.Duration
	lastPoll              time.Time
	slowDowns             int    // polls still to answer slow_down (SlowDown)
	status                string // pending, approved, denied
	person                *person
	redirectURI, state    string
	challenge, chalMethod string
}

// authCode is a code of the authorization-code flow, waiting to be exchanged.
type authCode struct {
	auth    *userAuth
	expires time.Time
}

// oauthGrant is one user's authorization of the integration: every token of one refresh chain.
type oauthGrant struct {
	person  *person
	scopes  []string
	revoked bool
}

// tokenGrant is an issued user token: its grant and expiry.
type tokenGrant struct {
	grant   *oauthGrant
	expires time.Time
	rotated bool // a refresh token already exchanged (rotation: it works once)
}

func (g *oauthGrant) has(scopes ...string) bool {
	for _, s := range scopes {
		if slices.Contains(g.scopes, s) {
			return true
		}
	}
	return false
}

// IssuedToken is an access or refresh token the fake issued (GET /_sim/tokens).
type IssuedToken struct {
	Kind        string `json:"kind"` // "access" or "refresh"
	Token       string `json:"token"`
	PersonEmail string `json:"personEmail"`
	Scope       string `json:"scope"`
	ExpiresAt   string `json:"expiresAt"`
}

// PendingAuthorization is an authorization waiting for the user (GET /_sim/authorizations).
type PendingAuthorization struct {
	UserCode  string `json:"userCode"`
	Flow      string `json:"flow"` // "device" or "code"
	Scope     string `json:"scope"`
	ExpiresAt string `json:"expiresAt"`
}

// IntegrationClientID is the fake integration's client id (WEBEX_INTEGRATION_CLIENT_ID).
func (s *Server) IntegrationClientID() string { return IntegrationClientID }

// IntegrationClientSecret is the fake integration's client secret.
func (s *Server) IntegrationClientSecret() string { return IntegrationClientSecret }

// SetOAuthLifetimes changes the lifetimes of the user authorizations issued from now on.
func (s *Server) SetOAuthLifetimes(l OAuthLifetimes) {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	s.oauth.life, s.oauth.set = l.withDefaults(), true
}

// lockOAuth takes the OAuth state's lock, initializing the state on first use.
func (s *Server) lockOAuth() *oauthState {
	o := &s.oauth
	o.mu.Lock()
	if o.pending == nil {
		if !o.set {
			o.life = OAuthLifetimes{}.withDefaults()
		}
		o.pending = map[string]*userAuth{}
		o.byDevice = map[string]*userAuth{}
		o.codes = map[string]*authCode{}
		o.access = map[string]*tokenGrant{}
		o.refresh = map[string]*tokenGrant{}
		o.usedCodes = map[string]bool{}
	}
	return o
}

// writeOAuthError writes an OAuth error the way every client reads it: RFC 6749's error and
// error_description, and Webex's message, errors[].description and trackingId.
func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	tid := answerTrackingID(w)
	writeJSON(w, status, map[string]any{
		"error": code, "error_description": description,
		"message": code, "errors": []errorDetail{{Description: description}}, "trackingId": tid,
	})
}

// parseOAuthForm reads a form body (at most 64 KB); false after writing a 400.
func parseOAuthForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid form body.")
		return false
	}
	return true
}

// integrationClient reports whether the request authenticates as the integration, by Basic
// authentication or, when allowBody, client_id and client_secret in the body.
func integrationClient(r *http.Request, allowBody bool) bool {
	id, secret, ok := r.BasicAuth()
	if !ok && allowBody {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	return subtle.ConstantTimeCompare([]byte(id), []byte(IntegrationClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(IntegrationClientSecret)) == 1
}

// checkScopes splits a scope parameter; it returns an error description when a scope is not
// registered on the integration or none is asked.
func checkScopes(raw string) ([]string, string) {
	scopes := strings.Fields(raw)
	if len(scopes) == 0 {
		return nil, "scope is required"
	}
	for _, sc := range scopes {
		if !slices.Contains(registeredScopes, sc) {
			return nil, "The requested scope is invalid: " + sc
		}
	}
	return scopes, ""
}

// newUserCodeLocked returns a six-digit user code not in use.
func (o *oauthState) newUserCodeLocked() string {
	for {
		c := randomDigits(6)
		if o.pending[c] == nil {
			return c
		}
	}
}

// handleDeviceAuthorize serves POST /v1/device/authorize.
func (s *Server) handleDeviceAuthorize(w http.ResponseWriter, r *http.Request) {
	if !parseOAuthForm(w, r) {
		return
	}
	if r.PostForm.Get("client_id") != IntegrationClientID {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Client Id is invalid")
		return
	}
	scopes, bad := checkScopes(r.PostForm.Get("scope"))
	if bad != "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, bad)
		return
	}
	now := s.now()
	o := s.lockOAuth()
	a := &userAuth{flow: "device", userCode: o.newUserCodeLocked(), deviceCode: newUUID(), scopes: scopes,
		issued: now, expires: now.Add(o.life.DeviceCode), interval: o.life.Interval, lastPoll: now, status: "pending"}
	o.pending[a.userCode], o.byDevice[a.deviceCode] = a, a
	o.secrets = append(o.secrets, a.deviceCode)
	life := o.life
	o.mu.Unlock()
	hashed := sha256.Sum256([]byte(a.userCode))
	verify := s.baseURL(r) + "/oauth-helper/verify"
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               a.deviceCode,
		"user_code":                 a.userCode,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?userCode=" + fmt.Sprintf("%x", hashed),
		"expires_in":                int64(life.DeviceCode / time.Second),
		"interval":                  int64(life.Interval / time.Second),
	})
}

// handleDeviceToken serves POST /v1/device/token: 428 while the user has not answered, 400
// slow_down when polled sooner than the interval after the previous poll, 400 access_denied,
// 400 expired_token after expires_in, the tokens once approved (the device code then works no
// more: 400 invalid_grant).
func (s *Server) handleDeviceToken(w http.ResponseWriter, r *http.Request) {
	if !parseOAuthForm(w, r) {
		return
	}
	if !integrationClient(r, false) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return
	}
	if r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:device_code" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be urn:ietf:params:oauth:grant-type:device_code.")
		return
	}
	now := s.now()
	o := s.lockOAuth()
	defer o.mu.Unlock()
	a := o.byDevice[r.PostForm.Get("device_code")]
	switch {
	case a == nil:
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The device code is invalid or was already used.")
		return
	case !now.Before(a.expires):
		writeOAuthError(w, http.StatusBadRequest, "expired_token", "The device code has expired.")
		return
	case a.status == "denied":
		delete(o.byDevice, a.deviceCode)
		writeOAuthError(w, http.StatusBadRequest, "access_denied", "The user denied the authorization.")
		return
	}
	tooSoon := now.Sub(a.lastPoll) < a.interval || a.slowDowns > 0
	a.lastPoll = now
	if tooSoon {
		a.slowDowns = max(a.slowDowns-1, 0)
		writeOAuthError(w, http.StatusBadRequest, "slow_down", "Polling too fast: wait the interval between polls.")
		return
	}
	if a.status == "pending" {
		writeOAuthError(w, http.StatusPreconditionRequired, "authorization_pending", "The user has not yet authorized the device.")
		return
	}
	delete(o.byDevice, a.deviceCode)
	o.issueLocked(w, &oauthGrant{person: a.person, scopes: a.scopes}, now)
}

// issueLocked writes a new access and refresh token of g.
func (o *oauthState) issueLocked(w http.ResponseWriter, g *oauthGrant, now time.Time) {
	access, refresh := "user-access-"+randomHex(24), "user-refresh-"+randomHex(24)
	ae, re := now.Add(o.life.AccessToken), now.Add(o.life.RefreshToken)
	o.access[access] = &tokenGrant{grant: g, expires: ae}
	o.refresh[refresh] = &tokenGrant{grant: g, expires: re}
	scope := strings.Join(g.scopes, " ")
	o.issued = append(o.issued,
		IssuedToken{Kind: "access", Token: access, PersonEmail: g.person.email, Scope: scope, ExpiresAt: timeJSON(ae)},
		IssuedToken{Kind: "refresh", Token: refresh, PersonEmail: g.person.email, Scope: scope, ExpiresAt: timeJSON(re)})
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "expires_in": int64(o.life.AccessToken / time.Second),
		"refresh_token": refresh, "refresh_token_expires_in": int64(o.life.RefreshToken / time.Second),
		"token_type": "Bearer", "scope": scope,
	})
}

// handleAuthorize serves GET /v1/authorize, the page the user's browser opens in the
// authorization-code flow. The fake shows a page naming a user code; approving that code
// (POST /_sim/approve) answers the redirect the browser would follow.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != IntegrationClientID {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Client Id is invalid")
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || (redirect.Scheme != "http" && redirect.Scheme != "https") || redirect.Host == "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "redirect_uri is required and must be an absolute http(s) URL.")
		return
	}
	if q.Get("response_type") != "code" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "response_type must be code.")
		return
	}
	scopes, bad := checkScopes(q.Get("scope"))
	if bad != "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, bad)
		return
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method == "" {
		method = "plain"
	}
	if method != "" && method != "S256" && method != "plain" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "code_challenge_method must be S256 or plain.")
		return
	}
	now := s.now()
	o := s.lockOAuth()
	a := &userAuth{flow: "code", userCode: o.newUserCodeLocked(), scopes: scopes, issued: now,
		expires: now.Add(o.life.AuthorizationCode), status: "pending", redirectURI: redirect.String(),
		state: q.Get("state"), challenge: q.Get("code_challenge"), chalMethod: method}
	o.pending[a.userCode] = a
	o.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Fake-User-Code", a.userCode)
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "<!doctype html><title>Webex</title><p>Fake Webex sign-in. Approve code %s with POST /_sim/approve.</p>\n", a.userCode)
}

// handleUserGrant serves the user grants of POST /v1/access_token: authorization_code, and
// refresh_token with a user refresh token (rotated: the old one works no more). It reports
// false, having written nothing, for any other request (the service app's refresh).
func (s *Server) handleUserGrant(w http.ResponseWriter, r *http.Request) bool {
	if !parseOAuthForm(w, r) {
		return true
	}
	grantType := r.PostForm.Get("grant_type")
	o := s.lockOAuth()
	defer o.mu.Unlock()
	var rt *tokenGrant
	switch grantType {
	case "authorization_code":
	case "refresh_token":
		if rt = o.refresh[r.PostForm.Get("refresh_token")]; rt == nil {
			return false
		}
	default:
		return false
	}
	if !integrationClient(r, true) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return true
	}
	now := s.now()
	if grantType == "refresh_token" {
		if rt.rotated || rt.grant.revoked || !now.Before(rt.expires) {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid, expired or revoked.")
			return true
		}
		rt.rotated = true
		o.issueLocked(w, rt.grant, now)
		return true
	}
	code := r.PostForm.Get("code")
	c := o.codes[code]
	if c == nil || !now.Before(c.expires) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid, expired or already used.")
		return true
	}
	if r.PostForm.Get("redirect_uri") != c.auth.redirectURI {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request.")
		return true
	}
	if !pkceMatches(c.auth, r.PostForm.Get("code_verifier")) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge.")
		return true
	}
	delete(o.codes, code)
	o.issueLocked(w, &oauthGrant{person: c.auth.person, scopes: c.auth.scopes}, now)
	return true
}

// pkceMatches checks a code verifier against the authorization's challenge (RFC 7636).
func pkceMatches(a *userAuth, verifier string) bool {
	if a.challenge == "" {
		return verifier == ""
	}
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, c := range verifier {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	want := verifier
	if a.chalMethod == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(a.challenge)) == 1
}

// userPrincipal maps a user access token to its principal; known is false when token is not
// a user token.
func (s *Server) userPrincipal(token string) (p principal, ok, known bool) {
	o := s.lockOAuth()
	defer o.mu.Unlock()
	t := o.access[token]
	if t == nil {
		return principal{}, false, false
	}
	if t.grant.revoked || !s.now().Before(t.expires) {
		return principal{}, false, true
	}
	return principal{person: t.grant.person, grant: t.grant}, true, true
}

// userMeetingsCaller authorizes a /v1/meetings call made with a user token: it needs
// meeting:schedules_read to read and meeting:schedules_write to change (else Webex's 403), and
// acts as the user only (hostEmail naming someone else is for admin-level scopes).
func userMeetingsCaller(w http.ResponseWriter, r *http.Request, p principal, hostEmail string) (*person, bool) {
	need := ScopeMeetingsWrite
	if r.Method == http.MethodGet {
		need = ScopeMeetingsRead
	}
	if !p.grant.has(need) {
		writeError(w, http.StatusForbidden, msgForbidden, "The access token does not have the scopes required by the Meetings API.")
		return nil, false
	}
	if hostEmail != "" && !strings.EqualFold(hostEmail, p.person.email) {
		writeError(w, http.StatusForbidden, msgForbidden, "hostEmail requires the admin-level scopes meeting:admin_schedule_write or meeting:admin_schedule_read.")
		return nil, false
	}
	return p.person, true
}

// peopleReadAllowed checks that a user token may read people (spark:people_read or
// spark:all); it writes Webex's 403 otherwise. Bot and admin tokens always may.
func peopleReadAllowed(w http.ResponseWriter, p principal) bool {
	if p.grant == nil || p.grant.has(ScopePeopleRead, ScopeSparkAll) {
		return true
	}
	writeError(w, http.StatusForbidden, msgForbidden, "The access token does not have the scope spark:people_read.")
	return false
}

// PendingAuthorizations lists the authorizations waiting for a user, oldest first.
func (s *Server) PendingAuthorizations() []PendingAuthorization {
	now := s.now()
	o := s.lockOAuth()
	defer o.mu.Unlock()
	var list []*userAuth
	for _, a := range o.pending {
		if a.status == "pending" && now.Before(a.expires) {
			list = append(list, a)
		}
	}
	slices.SortFunc(list, func(a, b *userAuth) int { return a.issued.Compare(b.issued) })
	out := []PendingAuthorization{}
	for _, a := range list {
		out = append(out, PendingAuthorization{UserCode: a.userCode, Flow: a.flow,
			Scope: strings.Join(a.scopes, " "), ExpiresAt: timeJSON(a.expires)})
	}
	return out
}

// Approve approves the pending authorization of userCode as the person with that e-mail. For
// the authorization-code flow it returns the URL the browser is then sent to (with code and
// state); for the device flow, "".
func (s *Server) Approve(userCode, email string) (string, error) {
	s.mu.Lock()
	p := s.state.personByEmail(email)
	s.mu.Unlock()
	if p == nil || p.typ == "bot" || p.hidden {
		return "", fmt.Errorf("approve as %q: %w", email, ErrUnknownPerson)
	}
	return s.answer(userCode, p)
}

// SlowDown makes the next n polls of the pending device authorization of userCode answer
// slow_down, as a loaded Webex may whatever the interval.
func (s *Server) SlowDown(userCode string, n int) error {
	o := s.lockOAuth()
	defer o.mu.Unlock()
	a := o.pending[userCode]
	if a == nil || a.flow != "device" {
		return fmt.Errorf("user code %q is not a pending device authorization: %w", userCode, ErrInvalidRequest)
	}
	a.slowDowns = n
	return nil
}

// Deny refuses the pending authorization of userCode. For the authorization-code flow it
// returns the URL the browser is then sent to (error=access_denied).
func (s *Server) Deny(userCode string) (string, error) { return s.answer(userCode, nil) }

// answer approves (p set) or denies a pending authorization.
func (s *Server) answer(userCode string, p *person) (string, error) {
	now := s.now()
	o := s.lockOAuth()
	defer o.mu.Unlock()
	a := o.pending[userCode]
	if a == nil || a.status != "pending" || !now.Before(a.expires) {
		return "", fmt.Errorf("user code %q is not pending: %w", userCode, ErrInvalidRequest)
	}
	delete(o.pending, userCode)
	a.status, a.person = "approved", p
	if p == nil {
		a.status = "denied"
	}
	if a.flow == "device" {
		return "", nil
	}
	q := url.Values{}
	if a.state != "" {
		q.Set("state", a.state)
	}
	if p == nil {
		q.Set("error", "access_denied")
	} else {
		code := randomHex(24)
		o.codes[code] = &authCode{auth: a, expires: now.Add(o.life.AuthorizationCode)}
		o.secrets = append(o.secrets, code)
		q.Set("code", code)
	}
	sep := "?"
	if strings.Contains(a.redirectURI, "?") {
		sep = "&"
	}
	return a.redirectURI + sep + q.Encode(), nil
}

// RevokeGrants revokes every authorization the person with that e-mail gave the integration
// (as an administrator deleting them with /v1/authorizations): their access tokens answer 401
// and their refresh tokens invalid_grant. It returns how many authorizations it revoked.
func (s *Server) RevokeGrants(email string) int {
	o := s.lockOAuth()
	defer o.mu.Unlock()
	seen := map[*oauthGrant]bool{}
	for _, m := range []map[string]*tokenGrant{o.access, o.refresh} {
		for _, t := range m {
			if strings.EqualFold(t.grant.person.email, email) && !t.grant.revoked {
				t.grant.revoked = true
				seen[t.grant] = true
			}
		}
	}
	return len(seen)
}

// IssuedTokens lists every user access and refresh token issued, oldest first, and
// OAuthSecrets the device and authorization codes (for leak checks).
func (s *Server) IssuedTokens() []IssuedToken {
	o := s.lockOAuth()
	defer o.mu.Unlock()
	return append([]IssuedToken{}, o.issued...)
}

// OAuthSecrets lists every device code and authorization code issued (for leak checks).
func (s *Server) OAuthSecrets() []string {
	o := s.lockOAuth()
	defer o.mu.Unlock()
	return append([]string{}, o.secrets...)
}

func (s *Server) handleSimAuthorizations(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": s.PendingAuthorizations()})
}

func (s *Server) handleSimApprove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		UserCode string `json:"userCode"`
		As       string `json:"as"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	redirect, err := s.Approve(req.UserCode, req.As)
	if err != nil {
		writeSimError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"redirect": redirect})
}

func (s *Server) handleSimDeny(w http.ResponseWriter, r *http.Request) {
	var req struct {
		UserCode string `json:"userCode"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	redirect, err := s.Deny(req.UserCode)
	if err != nil {
		writeSimError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"redirect": redirect})
}

func (s *Server) handleSimRevoke(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email string `json:"email"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": s.RevokeGrants(req.Email)})
}

func (s *Server) handleSimTokens(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": s.IssuedTokens(), "codes": s.OAuthSecrets()})
}

// oauthRoutes registers the user OAuth endpoints: REST on api, control on mux.
func (s *Server) oauthRoutes(api, mux *http.ServeMux) {
	api.HandleFunc("POST /v1/device/authorize", s.handleDeviceAuthorize)
	api.HandleFunc("POST /v1/device/token", s.handleDeviceToken)
	api.HandleFunc("GET /v1/authorize", s.handleAuthorize)
	mux.HandleFunc("GET /_sim/authorizations", s.handleSimAuthorizations)
	mux.HandleFunc("POST /_sim/approve", s.handleSimApprove)
	mux.HandleFunc("POST /_sim/deny", s.handleSimDeny)
	mux.HandleFunc("POST /_sim/revoke", s.handleSimRevoke)
	mux.HandleFunc("GET /_sim/tokens", s.handleSimTokens)
}
