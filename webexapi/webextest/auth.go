package webextest

import (
	"net/http"
	"strings"
	"time"
)

// principal is who a request acts as.
type principal struct {
	person   *person
	meetings bool // admin scheduling rights (the meetings token or an issued token)

	// grant is a user token's authorization (its scopes); nil for the bot and admin tokens.
	grant *oauthGrant
}

// authenticate resolves the Bearer token of r; it writes a 401 and returns false when the
// token is missing, unknown or expired.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (principal, bool) {
	p, ok := s.principalFor(bearer(r.Header.Get("Authorization")))
	if !ok {
		writeError(w, http.StatusUnauthorized, msgUnauthorized)
	}
	return p, ok
}

// bearer extracts the token of an Authorization header value ("Bearer T"; a bare token is
// accepted as some clients send one on the websocket).
func bearer(h string) string {
	h = strings.TrimSpace(h)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return h
}

// principalFor maps a token to its principal.
func (s *Server) principalFor(token string) (principal, bool) {
	if token == "" {
		return principal{}, false
	}
	// The two static tokens and the people they act as are set in New and never change:
	// they need no lock.
	switch token {
	case s.opts.BotToken:
		return principal{person: s.state.bot}, true
	case s.opts.MeetingsToken:
		return principal{person: s.state.admin, meetings: true}, true
	}
	if p, ok, known := s.userPrincipal(token); known {
		return p, ok
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.state.issuedTokens[token]
	if !ok {
		return principal{}, false
	}
	if !exp.IsZero() && !s.now().Before(exp) {
		return principal{}, false
	}
	return principal{person: s.state.admin, meetings: true}, true
}

// tokenResponse is the OAuth token endpoint's answer.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
	TokenType             string `json:"token_type"`
}

// handleAccessToken serves POST /v1/access_token (grant_type=refresh_token only).
func (s *Server) handleAccessToken(w http.ResponseWriter, r *http.Request) {
	if s.handleUserGrant(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid form body.")
		return
	}
	clientID, clientSecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && clientID == "" {
		clientID, clientSecret = u, p
	}
	switch {
	case r.PostForm.Get("grant_type") != "refresh_token":
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", "Only grant_type=refresh_token is supported.")
		return
	case clientID != s.opts.ClientID || clientSecret != s.opts.ClientSecret:
		writeError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return
	case r.PostForm.Get("refresh_token") != s.opts.RefreshToken:
		writeError(w, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid or expired.")
		return
	}
	token := "meetings-" + randomHex(16)
	expiresIn := int64(1209599)
	var exp time.Time
	if ttl := s.opts.MeetingsTokenTTL; ttl > 0 {
		exp = s.now().Add(ttl)
		expiresIn = int64(ttl / time.Second)
	}
	s.mu.Lock()
	s.state.issuedTokens[token] = exp
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: token, ExpiresIn: expiresIn,
		RefreshToken: s.opts.RefreshToken, RefreshTokenExpiresIn: 7775999, TokenType: "Bearer"})
}
