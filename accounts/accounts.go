// Package accounts keeps the organizers' own Webex accounts (RELAIS_MEETINGS_AUTH=user): it
// starts a device authorization and records it in the store, polls the pending ones (one
// replica each, by lease) at the interval Webex gives, checks that the approver is the
// organizer, stores the tokens sealed, and hands out a token source per organizer that
// refreshes and keeps the rotated refresh token.
//
// It holds no dialogue: the bot tells the organizer what Start returns, and acts on the
// Outcomes of Poll. No token or code is ever logged or stored in clear.
//
// Webex offers users no way to revoke a grant through the API (/v1/authorizations is for
// administrators), so Disconnect deletes the stored tokens; the organizer or an administrator
// revokes the grant in Webex itself.
package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi"
)

// ErrNotConnected reports an organizer with no stored authorization.
var ErrNotConnected = errors.New("accounts: the organizer has not connected their Webex account")

// Columns the sealed values belong to (store.SealingContext).
const (
	tokensTable  = "organizer_tokens"
	pendingTable = "pending_authorizations"
)

// Config configures Accounts.
type Config struct {
	// Store keeps the tokens and the pending authorizations (required).
	Store store.Store
	// Keyring seals them (required).
	Keyring *sealed.Keyring
	// Integration runs the OAuth flows (required).
	Integration *webexapi.Integration
	// People reads GET /people/me with the token of each request's context: a client whose
	// token source is a *webexapi.ContextTokens (required). Poll answers its 429s and 5xx by
	// polling again later, under a short lease: give it a client that does not retry.
	People *webexapi.Client
	// Scopes asked (default webexapi.UserScopes).
	Scopes []string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger (default zerolog.Nop()). Lines carry person ids and outcomes, never a secret.
	Logger zerolog.Logger
	// Handoff, when set, records what carries on with an ended authorization's request (the
	// bot: a durable job), in the transaction that removes the pending authorization, so that
	// the outcome outlives the replica that saw it. Several replicas may end the same
	// authorization: it must record one thing per Outcome.ID.
	Handoff func(ctx context.Context, q store.Queries, o Outcome) error
}

// Accounts is safe for concurrent use.
type Accounts struct {
	cfg Config
	log zerolog.Logger

	mu      sync.Mutex
	sources map[string]*webexapi.UserTokenSource // by person id
}

// New returns Accounts.
func New(cfg Config) (*Accounts, error) {
	if cfg.Store == nil || cfg.Keyring == nil || cfg.Integration == nil || cfg.People == nil {
		return nil, errors.New("accounts: store, keyring, integration and people client are required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = webexapi.UserScopes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Accounts{cfg: cfg, log: cfg.Logger, sources: map[string]*webexapi.UserTokenSource{}}, nil
}

// Organizer is whom an authorization is for.
type Organizer struct {
	// PersonID is the organizer's Webex person id: the approver must be this person.
	PersonID string
	Email    string
}

// Prompt is what to show the organizer (in their 1:1 space only): open URLComplete (or URL
// and type UserCode) before ExpiresAt. UserCode and URLComplete are secrets of a kind: never
// log them, never post them in a group space.
type Prompt struct {
	UserCode    string
	URL         string
	URLComplete string
	ExpiresAt   time.Time
	// Resumed is true when the organizer's authorization was already pending: the same code.
	Resumed bool
}

// promptSecret is what the pending authorization's sealed "user code" holds.
type promptSecret struct {
	UserCode    string `json:"userCode"`
	URLComplete string `json:"urlComplete"`
}

// Start begins connecting the organizer's account: a device authorization whose approval the
// pollers wait for. requestRef and payload (no secret in them) come back in the Outcome, to
// carry on with the organizer's request. An authorization still pending for the organizer is
// reused (same code), with the new requestRef and payload.
func (a *Accounts) Start(ctx context.Context, org Organizer, requestRef string, payload []byte) (Prompt, error) {
	if org.PersonID == "" {
		return Prompt{}, errors.New("accounts: start: empty person id")
	}
	now := a.cfg.Now()
	// Approved already (tokens held, their check to finish): the same, never a new code.
	if p, err := a.cfg.Store.GetPendingAuthorization(ctx, org.PersonID); err == nil && (now.Before(p.ExpiresAt) || len(p.SealedIssued) > 0) {
		if pr, err := a.openPrompt(p); err == nil {
			p.RequestRef, p.Payload, p.PersonEmail = requestRef, payload, org.Email
			if _, err := a.cfg.Store.PutPendingAuthorization(ctx, p); err != nil {
				return Prompt{}, fmt.Errorf("accounts: start: %w", err)
			}
			pr.Resumed = true
			return pr, nil
		}
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	d, err := a.cfg.Integration.StartDevice(ctx, a.cfg.Scopes...)
	if err != nil {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	secret, err := json.Marshal(promptSecret{UserCode: d.UserCode, URLComplete: d.VerificationURIComplete})
	if err != nil {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	kr := a.cfg.Keyring
	sealedDevice, err := kr.SealString(d.DeviceCode, store.SealingContext(pendingTable, org.PersonID, "device_code"))
	if err != nil {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	sealedPrompt, err := kr.Seal(secret, store.SealingContext(pendingTable, org.PersonID, "user_code"))
	if err != nil {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	_, err = a.cfg.Store.PutPendingAuthorization(ctx, store.PendingAuthorization{PersonID: org.PersonID,
		PersonEmail: org.Email, SealedDeviceCode: sealedDevice, SealedUserCode: sealedPrompt,
		VerificationURI: d.VerificationURI, KeyID: kr.PrimaryID(), ExpiresAt: d.ExpiresAt, Interval: d.Interval,
		NextPollAt: now.Add(d.Interval), RequestRef: requestRef, Payload: payload})
	if err != nil {
		return Prompt{}, fmt.Errorf("accounts: start: %w", err)
	}
	a.log.Info().Str("person", org.PersonID).Time("expires", d.ExpiresAt).Dur("interval", d.Interval).
		Msg("account connection started")
	return Prompt{UserCode: d.UserCode, URL: d.VerificationURI, URLComplete: d.VerificationURIComplete, ExpiresAt: d.ExpiresAt}, nil
}

// openPrompt reads the prompt of a pending authorization.
func (a *Accounts) openPrompt(p store.PendingAuthorization) (Prompt, error) {
	raw, err := a.cfg.Keyring.Open(p.SealedUserCode, store.SealingContext(pendingTable, p.PersonID, "user_code"))
	if err != nil {
		return Prompt{}, err
	}
	var s promptSecret
	if err := json.Unmarshal(raw, &s); err != nil {
		return Prompt{}, err
	}
	return Prompt{UserCode: s.UserCode, URL: p.VerificationURI, URLComplete: s.URLComplete, ExpiresAt: p.ExpiresAt}, nil
}

// Connected reports whether the organizer (by person id or, when empty, e-mail) has stored
// tokens.
func (a *Accounts) Connected(ctx context.Context, personID, email string) (bool, error) {
	_, err := a.row(ctx, personID, email)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (a *Accounts) row(ctx context.Context, personID, email string) (store.OrganizerToken, error) {
	if personID != "" {
		return a.cfg.Store.GetOrganizerToken(ctx, personID)
	}
	return a.cfg.Store.GetOrganizerTokenByEmail(ctx, email)
}

// TokenSource returns the organizer's token source (by person id or, when empty, e-mail), for
// webexapi.ContextWithTokenSource. It refreshes before expiry, stores each new pair sealed
// (re-sealed with the current key), and gives webexapi.ErrReauthorize once the refresh token no
// longer works (then call Disconnect and ask the organizer to connect again). ErrNotConnected
// when no tokens are stored.
func (a *Accounts) TokenSource(ctx context.Context, personID, email string) (*webexapi.UserTokenSource, error) {
	row, err := a.row(ctx, personID, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotConnected
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: token source: %w", err)
	}
	tok, err := a.open(row)
	if err != nil {
		return nil, fmt.Errorf("accounts: token source of %s: %w", row.PersonID, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if s := a.sources[row.PersonID]; s != nil && s.Current().RefreshToken == tok.RefreshToken {
		return s, nil
	}
	pid, mail := row.PersonID, row.PersonEmail
	s, err := webexapi.NewUserTokenSource(webexapi.UserTokenConfig{
		Integration: a.cfg.Integration, Token: tok, Now: a.cfg.Now,
		Save: func(ctx context.Context, t webexapi.UserToken) error {
			a.log.Info().Str("person", pid).Time("expires", t.Expiry).Msg("organizer token refreshed")
			return a.save(ctx, Organizer{PersonID: pid, Email: mail}, t)
		},
		Reload: func(ctx context.Context) (webexapi.UserToken, error) {
			row, err := a.cfg.Store.GetOrganizerToken(ctx, pid)
			if err != nil {
				return webexapi.UserToken{}, err
			}
			return a.open(row)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("accounts: token source of %s: %w", row.PersonID, err)
	}
	a.sources[row.PersonID] = s
	if a.cfg.Keyring.NeedsReseal(row.SealedRefresh) {
		if _, err := a.reseal(ctx, row, tok); err != nil {
			a.log.Warn().Err(err).Str("person", pid).Msg("organizer token not sealed again with the current key")
		}
	}
	return s, nil
}

// open reads a stored pair.
func (a *Accounts) open(row store.OrganizerToken) (webexapi.UserToken, error) {
	kr := a.cfg.Keyring
	access, err := kr.OpenString(row.SealedAccess, store.SealingContext(tokensTable, row.PersonID, "access"))
	if err != nil {
		return webexapi.UserToken{}, err
	}
	refresh, err := kr.OpenString(row.SealedRefresh, store.SealingContext(tokensTable, row.PersonID, "refresh"))
	if err != nil {
		return webexapi.UserToken{}, err
	}
	return webexapi.UserToken{AccessToken: access, RefreshToken: refresh, Expiry: row.AccessExpiresAt,
		RefreshExpiry: row.RefreshExpiresAt, Scopes: strings.Fields(row.Scopes)}, nil
}

// reseal stores row's pair tok sealed with the current key, unless it changed meanwhile.
func (a *Accounts) reseal(ctx context.Context, row store.OrganizerToken, tok webexapi.UserToken) (bool, error) {
	next, err := a.sealRow(Organizer{PersonID: row.PersonID, Email: row.PersonEmail}, tok)
	if err != nil {
		return false, err
	}
	return a.cfg.Store.ResealOrganizerToken(ctx, next, row.SealedRefresh)
}

// save stores a pair sealed with the current key.
func (a *Accounts) save(ctx context.Context, org Organizer, t webexapi.UserToken) error {
	row, err := a.sealRow(org, t)
	if err != nil {
		return err
	}
	return a.cfg.Store.PutOrganizerToken(ctx, row)
}

func (a *Accounts) sealRow(org Organizer, t webexapi.UserToken) (store.OrganizerToken, error) {
	kr := a.cfg.Keyring
	access, err := kr.SealString(t.AccessToken, store.SealingContext(tokensTable, org.PersonID, "access"))
	if err != nil {
		return store.OrganizerToken{}, err
	}
	refresh, err := kr.SealString(t.RefreshToken, store.SealingContext(tokensTable, org.PersonID, "refresh"))
	if err != nil {
		return store.OrganizerToken{}, err
	}
	return store.OrganizerToken{PersonID: org.PersonID, PersonEmail: org.Email, SealedAccess: access,
		SealedRefresh: refresh, AccessExpiresAt: t.Expiry, RefreshExpiresAt: t.RefreshExpiry,
		Scopes: strings.Join(t.Scopes, " "), KeyID: kr.PrimaryID()}, nil
}

// Disconnect forgets the organizer's tokens and any pending authorization. Webex has no
// user-level revocation: the grant itself stays until the organizer or an administrator
// revokes it in Webex (it is useless without the tokens).
func (a *Accounts) Disconnect(ctx context.Context, personID string) error {
	err := a.cfg.Store.WithTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteOrganizerToken(ctx, personID); err != nil {
			return err
		}
		p, err := tx.GetPendingAuthorization(ctx, personID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.DeletePendingAuthorization(ctx, p.ID)
	})
	if err != nil {
		return fmt.Errorf("accounts: disconnect: %w", err)
	}
	a.mu.Lock()
	delete(a.sources, personID)
	a.mu.Unlock()
	a.log.Info().Str("person", personID).Msg("account disconnected")
	return nil
}

// Reseal seals again, with the keyring's first key, up to limit stored pairs sealed with an
// older one (a pair refreshed meanwhile is left as it is: it is sealed with the first key
// already), and returns how many it looked at: run it after a rotation until it returns 0,
// then the old key may go.
func (a *Accounts) Reseal(ctx context.Context, limit int) (int, error) {
	rows, err := a.cfg.Store.ListOrganizerTokensNotSealedWith(ctx, a.cfg.Keyring.PrimaryID(), limit)
	if err != nil {
		return 0, fmt.Errorf("accounts: reseal: %w", err)
	}
	n := 0
	for _, row := range rows {
		tok, err := a.open(row)
		if err != nil {
			return n, fmt.Errorf("accounts: reseal %s: %w", row.PersonID, err)
		}
		if _, err := a.reseal(ctx, row, tok); err != nil {
			return n, fmt.Errorf("accounts: reseal %s: %w", row.PersonID, err)
		}
		n++
	}
	return n, nil
}
