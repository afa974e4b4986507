package webexapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrReauthorize reports that an organizer's refresh token no longer works (revoked, expired,
// or rotated away): delete the stored tokens and ask the organizer to connect again.
var ErrReauthorize = errors.New("webex oauth: the user must authorize the integration again")

// UserTokenConfig configures a UserTokenSource.
type UserTokenConfig struct {
	// Integration refreshes the tokens (required).
	Integration *Integration
	// Token is the current pair, e.g. read from the store (RefreshToken required).
	Token UserToken
	// Margin refreshes this long before the access token expires (default 5 minutes).
	Margin time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Save persists a refreshed pair (sealed) before its access token is handed out: the
	// refresh token may have rotated, and the old one then works no more. While Save fails,
	// Token returns its error and tries again at the next call. Nil: nothing is persisted.
	Save func(ctx context.Context, t UserToken) error
	// Reload reads the stored pair again. After an invalid_grant, the source reloads once: if
	// another replica refreshed meanwhile, its pair is used. Nil: no reload.
	Reload func(ctx context.Context) (UserToken, error)
}

// UserTokenSource is the TokenSource of one organizer's own authorization: it refreshes the
// access token before it expires and after Invalidate (a 401), keeps the rotated refresh
// token, persists every new pair through Save, and runs one refresh at a time. A refresh
// token that no longer works gives ErrReauthorize.
type UserTokenSource struct {
	cfg UserTokenConfig
	sem chan struct{} // held by the one caller refreshing

	mu        sync.Mutex // guards the fields below; never held during I/O
	tok       UserToken
	refreshAt time.Time // zero: unknown expiry
	unsaved   bool      // tok was refreshed but Save failed
}

var (
	_ TokenSource = (*UserTokenSource)(nil)
	_ Invalidator = (*UserTokenSource)(nil)
)

// NewUserTokenSource returns a UserTokenSource; Integration and Token.RefreshToken are required.
func NewUserTokenSource(cfg UserTokenConfig) (*UserTokenSource, error) {
	if cfg.Integration == nil || cfg.Token.RefreshToken == "" {
		return nil, errors.New("webexapi: user token source: integration and refresh token are required")
	}
	if cfg.Margin <= 0 {
		cfg.Margin = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &UserTokenSource{cfg: cfg, sem: make(chan struct{}, 1)}
	s.set(cfg.Token)
	return s, nil
}

// set makes t the current pair; the caller holds mu or owns s alone.
func (s *UserTokenSource) set(t UserToken) {
	s.tok = t
	s.refreshAt = refreshTime(s.cfg.Now(), t.Expiry, s.cfg.Margin)
}

// Current returns the current pair (to store it, or to read its expiries).
func (s *UserTokenSource) Current() UserToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

// usable returns the access token when it needs neither a refresh nor a save.
func (s *UserTokenSource) usable() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := s.tok.AccessToken != "" && !s.unsaved && (s.refreshAt.IsZero() || s.cfg.Now().Before(s.refreshAt))
	return s.tok.AccessToken, ok
}

// Token implements TokenSource.
func (s *UserTokenSource) Token(ctx context.Context) (string, error) {
	if tok, ok := s.usable(); ok {
		return tok, nil
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("user token: %w", ctx.Err())
	}
	defer func() { <-s.sem }()
	if tok, ok := s.usable(); ok { // done by the caller we waited for
		return tok, nil
	}
	s.mu.Lock()
	cur, unsaved := s.tok, s.unsaved
	s.mu.Unlock()
	if unsaved {
		return s.save(ctx, cur)
	}
	next, err := s.cfg.Integration.Refresh(ctx, cur.RefreshToken)
	if errors.Is(err, ErrInvalidGrant) && s.cfg.Reload != nil {
		next, err = s.reloaded(ctx, cur, err)
	}
	if errors.Is(err, ErrInvalidGrant) {
		return "", fmt.Errorf("%w: %w", ErrReauthorize, err)
	}
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.set(*next)
	s.unsaved = true
	s.mu.Unlock()
	return s.save(ctx, *next)
}

// reloaded handles an invalid_grant by reading the stored pair: another replica may have
// rotated the refresh token. It returns that pair (refreshed if its access token is due) or
// the original error.
func (s *UserTokenSource) reloaded(ctx context.Context, cur UserToken, invalid error) (*UserToken, error) {
	stored, err := s.cfg.Reload(ctx)
	if err != nil || stored.RefreshToken == "" || stored.RefreshToken == cur.RefreshToken {
		return nil, invalid
	}
	if stored.AccessToken != "" && (stored.Expiry.IsZero() || s.cfg.Now().Before(refreshTime(s.cfg.Now(), stored.Expiry, s.cfg.Margin))) {
		s.mu.Lock()
		s.set(stored)
		s.mu.Unlock()
		return &stored, nil // already stored: saving it again does no harm
	}
	return s.cfg.Integration.Refresh(ctx, stored.RefreshToken)
}

// save persists t and returns its access token; the caller holds sem.
func (s *UserTokenSource) save(ctx context.Context, t UserToken) (string, error) {
	if s.cfg.Save != nil {
		if err := s.cfg.Save(ctx, t); err != nil {
			return "", fmt.Errorf("user token: save refreshed token: %w", err)
		}
	}
	s.mu.Lock()
	s.unsaved = false
	s.mu.Unlock()
	return t.AccessToken, nil
}

// Invalidate implements Invalidator: if token is the current access token, the next Token call
// refreshes.
func (s *UserTokenSource) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token != "" && token == s.tok.AccessToken {
		s.tok.AccessToken = ""
	}
}

type tokenSourceKey struct{}

// ContextWithTokenSource returns a context whose requests, made by a client built with a
// ContextTokens source, use ts (e.g. the organizer's UserTokenSource).
func ContextWithTokenSource(ctx context.Context, ts TokenSource) context.Context {
	return context.WithValue(ctx, tokenSourceKey{}, ts)
}

// TokenSourceFromContext returns the token source set by ContextWithTokenSource.
func TokenSourceFromContext(ctx context.Context) (TokenSource, bool) {
	ts, ok := ctx.Value(tokenSourceKey{}).(TokenSource)
	return ts, ok && ts != nil
}

// ContextTokens is a TokenSource that uses, for each request, the token source its context
// carries (ContextWithTokenSource), else Default: one meetings client then serves every
// organizer with their own token, and the service app's without one. A 401 invalidates the
// token at the source that gave it.
type ContextTokens struct {
	// Default serves requests whose context carries no source; nil makes them fail.
	Default TokenSource

	mu    sync.Mutex
	given map[string]Invalidator // access token → the source that gave it
}

var (
	_ TokenSource = (*ContextTokens)(nil)
	_ Invalidator = (*ContextTokens)(nil)
)

// maxGiven bounds ContextTokens' memory of which source gave which token.
const maxGiven = 4096

// Token implements TokenSource.
func (c *ContextTokens) Token(ctx context.Context) (string, error) {
	ts, ok := TokenSourceFromContext(ctx)
	if !ok {
		ts = c.Default
	}
	if ts == nil {
		return "", errors.New("no token source for this request")
	}
	tok, err := ts.Token(ctx)
	if err != nil {
		return "", err
	}
	if inv, ok := ts.(Invalidator); ok {
		c.mu.Lock()
		if c.given == nil || len(c.given) >= maxGiven {
			c.given = make(map[string]Invalidator)
		}
		c.given[tok] = inv
		c.mu.Unlock()
	}
	return tok, nil
}

// Invalidate implements Invalidator.
func (c *ContextTokens) Invalidate(token string) {
	c.mu.Lock()
	inv := c.given[token]
	delete(c.given, token)
	c.mu.Unlock()
	if inv == nil {
		inv, _ = c.Default.(Invalidator)
	}
	if inv != nil {
		inv.Invalidate(token)
	}
}
