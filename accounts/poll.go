package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// OutcomeKind is how a pending authorization ended.
type OutcomeKind string

// Outcome kinds.
const (
	// Connected: the organizer approved; their tokens are stored. Carry on with the request.
	Connected OutcomeKind = "connected"
	// WrongPerson: someone else approved the code (Outcome.ApproverEmail); nothing was stored.
	WrongPerson OutcomeKind = "wrong_person"
	// Denied: the organizer refused.
	Denied OutcomeKind = "denied"
	// Expired: the code expired unused (or Webex no longer knows it). Offer a new one.
	Expired OutcomeKind = "expired"
	// Failed: Webex refused for another reason (Outcome.Err: e.g. the integration's secret is
	// wrong). Tell the organizer it did not work, and the operator through the log.
	Failed OutcomeKind = "failed"
)

// slowDownStep is how much the interval grows after a slow_down (RFC 8628).
const slowDownStep = 5 * time.Second

// Outcome is a pending authorization that ended.
type Outcome struct {
	// ID is the pending authorization's id: one per code, the same for every replica that
	// ends it.
	ID        string
	Kind      OutcomeKind
	Organizer Organizer
	// RequestRef and Payload are what Start was given.
	RequestRef string
	Payload    []byte
	// ApproverEmail is who approved instead of the organizer (WrongPerson).
	ApproverEmail string
	// Err is why it failed (Failed); it holds no secret.
	Err error
}

// Poll leases to owner, for lease, up to limit pending authorizations due for a poll (one
// replica polls each; another takes over when the lease expires), polls each once and returns
// those that ended. Those still pending are due again after their interval (grown by 5 s after
// a slow_down, or Retry-After after a 429).
func (a *Accounts) Poll(ctx context.Context, owner string, lease time.Duration, limit int) ([]Outcome, error) {
	now := a.cfg.Now()
	due, err := a.cfg.Store.ClaimPendingAuthorizations(ctx, owner, now, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("accounts: poll: %w", err)
	}
	var out []Outcome
	for _, p := range due {
		o, done, err := a.pollOne(ctx, owner, p)
		if err != nil {
			return out, err
		}
		if done {
			a.log.Info().Str("person", p.PersonID).Str("outcome", string(o.Kind)).AnErr("cause", o.Err).
				Msg("account connection ended")
			out = append(out, o)
		}
	}
	return out, nil
}

// pollOne polls p once; done reports an outcome (p is then deleted).
func (a *Accounts) pollOne(ctx context.Context, owner string, p store.PendingAuthorization) (Outcome, bool, error) {
	o := Outcome{ID: p.ID, Organizer: Organizer{PersonID: p.PersonID, Email: p.PersonEmail}, RequestRef: p.RequestRef, Payload: p.Payload}
	finish := func(kind OutcomeKind, cause error) (Outcome, bool, error) {
		o.Kind, o.Err = kind, cause
		if err := a.end(ctx, p, o, nil); err != nil {
			return Outcome{}, false, fmt.Errorf("accounts: poll: %w", err)
		}
		return o, true, nil
	}
	reschedule := func(wait, interval time.Duration) (Outcome, bool, error) {
		err := a.cfg.Store.ReschedulePendingAuthorization(ctx, p.ID, owner, a.cfg.Now().Add(wait), interval)
		if err != nil && !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) {
			return Outcome{}, false, fmt.Errorf("accounts: poll: %w", err)
		}
		return Outcome{}, false, nil
	}
	if len(p.SealedIssued) > 0 { // approved already: Webex will not issue these tokens again
		tok, err := a.openIssued(p)
		if err != nil {
			return finish(Failed, fmt.Errorf("open the issued tokens: %w", err))
		}
		return a.approved(ctx, owner, p, tok, finish, reschedule)
	}
	if !a.cfg.Now().Before(p.ExpiresAt) {
		return finish(Expired, nil)
	}
	device, err := a.cfg.Keyring.OpenString(p.SealedDeviceCode, store.SealingContext(pendingTable, p.PersonID, "device_code"))
	if err != nil {
		return finish(Failed, fmt.Errorf("open the device code: %w", err))
	}
	tok, err := a.cfg.Integration.PollDevice(ctx, device)
	var apiErr *webexapi.APIError
	switch {
	case err == nil:
		a.hold(ctx, owner, p, *tok)
		return a.approved(ctx, owner, p, *tok, finish, reschedule)
	case errors.Is(err, webexapi.ErrAuthorizationPending):
		return reschedule(p.Interval, p.Interval)
	case errors.Is(err, webexapi.ErrSlowDown):
		return reschedule(p.Interval+slowDownStep, p.Interval+slowDownStep)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests:
		return reschedule(max(p.Interval, apiErr.RetryAfter), p.Interval)
	case errors.Is(err, webexapi.ErrAccessDenied):
		return finish(Denied, nil)
	case errors.Is(err, webexapi.ErrExpiredToken), errors.Is(err, webexapi.ErrInvalidGrant):
		return finish(Expired, nil)
	case ctx.Err() != nil:
		return Outcome{}, false, ctx.Err()
	case errors.As(err, &apiErr) && apiErr.StatusCode < 500:
		return finish(Failed, err)
	default: // transport or 5xx: try again at the interval
		return reschedule(p.Interval, p.Interval)
	}
}

// approved checks who approved and stores the tokens when it is the organizer. A check that
// fails for a passing reason (5xx, 429, no answer) is tried again later (after Retry-After),
// with the tokens held on p; only a permanent answer ends it.
func (a *Accounts) approved(ctx context.Context, owner string, p store.PendingAuthorization, tok webexapi.UserToken,
	finish func(OutcomeKind, error) (Outcome, bool, error),
	reschedule func(wait, interval time.Duration) (Outcome, bool, error)) (Outcome, bool, error) {
	if !tok.Expiry.IsZero() && !a.cfg.Now().Before(tok.Expiry) {
		return finish(Failed, errors.New("the issued access token expired before who approved could be checked"))
	}
	me, err := a.cfg.People.People.Me(webexapi.ContextWithTokenSource(ctx, webexapi.StaticToken(tok.AccessToken)))
	var apiErr *webexapi.APIError
	switch {
	case err == nil:
	case ctx.Err() != nil: // stopping: the lease expires and a replica finishes with the held tokens
		return Outcome{}, false, ctx.Err()
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests:
		a.checkAgain(p, owner, err)
		return reschedule(max(p.Interval, apiErr.RetryAfter), p.Interval)
	case errors.As(err, &apiErr) && apiErr.StatusCode < 500:
		return finish(Failed, fmt.Errorf("check who approved: %w", err))
	default: // transport, timeout or 5xx
		a.checkAgain(p, owner, err)
		return reschedule(p.Interval, p.Interval)
	}
	org := Organizer{PersonID: p.PersonID, Email: p.PersonEmail}
	if me.ID != p.PersonID {
		o := Outcome{ID: p.ID, Kind: WrongPerson, Organizer: org, RequestRef: p.RequestRef, Payload: p.Payload, ApproverEmail: me.Email()}
		if err := a.end(ctx, p, o, nil); err != nil {
			return Outcome{}, false, fmt.Errorf("accounts: poll: %w", err)
		}
		return o, true, nil
	}
	row, err := a.sealRow(org, tok)
	if err != nil {
		return finish(Failed, err)
	}
	o := Outcome{ID: p.ID, Kind: Connected, Organizer: org, RequestRef: p.RequestRef, Payload: p.Payload}
	err = a.end(ctx, p, o, func(tx store.Tx) error { return tx.PutOrganizerToken(ctx, row) })
	if err != nil {
		return Outcome{}, false, fmt.Errorf("accounts: store the organizer's tokens: %w", err)
	}
	a.mu.Lock()
	delete(a.sources, p.PersonID)
	a.mu.Unlock()
	return o, true, nil
}

// issuedSecret is what a pending authorization's sealed issued tokens hold.
type issuedSecret struct {
	AccessToken   string    `json:"accessToken"`
	RefreshToken  string    `json:"refreshToken"`
	Expiry        time.Time `json:"expiry"`
	RefreshExpiry time.Time `json:"refreshExpiry"`
	Scopes        []string  `json:"scopes"`
}

// hold keeps the tokens Webex issued for p on it, sealed, before who approved is checked: a
// check that fails for a passing reason, or a replica that stops before the tokens are stored,
// does not lose an approval Webex will not give again. When it cannot, the check goes on with
// the tokens in memory only.
func (a *Accounts) hold(ctx context.Context, owner string, p store.PendingAuthorization, tok webexapi.UserToken) {
	raw, err := json.Marshal(issuedSecret{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: tok.Expiry, RefreshExpiry: tok.RefreshExpiry, Scopes: tok.Scopes})
	var sealedTokens []byte
	if err == nil {
		sealedTokens, err = a.cfg.Keyring.Seal(raw, store.SealingContext(pendingTable, p.PersonID, "issued"))
	}
	if err == nil {
		err = a.cfg.Store.HoldIssuedTokens(ctx, p.ID, owner, sealedTokens)
	}
	if err != nil {
		a.log.Warn().Err(err).Str("person", p.PersonID).Msg("approved authorization's tokens not held: checking who approved with them in memory only")
	}
}

// openIssued reads the tokens held on p.
func (a *Accounts) openIssued(p store.PendingAuthorization) (webexapi.UserToken, error) {
	raw, err := a.cfg.Keyring.Open(p.SealedIssued, store.SealingContext(pendingTable, p.PersonID, "issued"))
	if err != nil {
		return webexapi.UserToken{}, err
	}
	var s issuedSecret
	if err := json.Unmarshal(raw, &s); err != nil {
		return webexapi.UserToken{}, err
	}
	return webexapi.UserToken{AccessToken: s.AccessToken, RefreshToken: s.RefreshToken, Expiry: s.Expiry,
		RefreshExpiry: s.RefreshExpiry, Scopes: s.Scopes}, nil
}

// checkAgain logs a check of who approved that failed for a passing reason.
func (a *Accounts) checkAgain(p store.PendingAuthorization, owner string, err error) {
	a.log.Warn().Err(err).Str("person", p.PersonID).Str("owner", owner).
		Msg("cannot check who approved yet: tried again later with the held tokens")
}

// end removes the ended authorization p, with also (the tokens) and Config.Handoff (what
// carries on with its request), in one transaction: a replica that stops right after leaves
// the request to another, never to nobody.
func (a *Accounts) end(ctx context.Context, p store.PendingAuthorization, o Outcome, also func(tx store.Tx) error) error {
	return a.cfg.Store.WithTx(ctx, func(tx store.Tx) error {
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if err := tx.DeletePendingAuthorization(ctx, p.ID); err != nil {
			return err
		}
		if a.cfg.Handoff != nil {
			return a.cfg.Handoff(ctx, tx, o)
		}
		return nil
	})
}
