package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// OAuthQueries keeps the organizers' own Webex authorizations (RELAIS_MEETINGS_AUTH=user): their
// tokens, and the device authorizations waiting for their approval. The store never sees a
// token or a code in clear: the caller seals them (package store/sealed) with SealingContext
// as additional data, and opens them the same way.
type OAuthQueries interface {
	// PutOrganizerToken stores the organizer's tokens, replacing those of the same PersonID.
	// CreatedAt is kept from the first put; UpdatedAt is set by the store.
	PutOrganizerToken(ctx context.Context, t OrganizerToken) error
	// GetOrganizerToken returns the tokens of a Webex person id, or ErrNotFound.
	GetOrganizerToken(ctx context.Context, personID string) (OrganizerToken, error)
	// GetOrganizerTokenByEmail returns the tokens of an e-mail (compared case-insensitively),
	// or ErrNotFound.
	GetOrganizerTokenByEmail(ctx context.Context, email string) (OrganizerToken, error)
	// DeleteOrganizerToken forgets the organizer's tokens; a missing one is not an error.
	DeleteOrganizerToken(ctx context.Context, personID string) error
	// ResealOrganizerToken replaces the stored pair of t.PersonID by t (the same tokens sealed
	// with another key) only if its sealed refresh token is still previousSealedRefresh, so that
	// a pair refreshed meanwhile is never overwritten by its predecessor. It reports whether it
	// replaced it.
	ResealOrganizerToken(ctx context.Context, t OrganizerToken, previousSealedRefresh []byte) (bool, error)
	// ListOrganizerTokensNotSealedWith returns up to limit tokens whose KeyID differs from
	// keyID, to seal them again with that key after a rotation.
	ListOrganizerTokensNotSealedWith(ctx context.Context, keyID string, limit int) ([]OrganizerToken, error)

	// PutPendingAuthorization records a device authorization waiting for the organizer,
	// replacing any other of the same PersonID (the older code is dropped), and returns it as
	// stored (ID chosen when empty; lease free; NextPollAt defaults to now + Interval).
	PutPendingAuthorization(ctx context.Context, p PendingAuthorization) (PendingAuthorization, error)
	// GetPendingAuthorization returns the organizer's pending authorization, or ErrNotFound.
	GetPendingAuthorization(ctx context.Context, personID string) (PendingAuthorization, error)
	// ClaimPendingAuthorizations leases to owner, until now+lease, up to limit authorizations
	// due for a poll (NextPollAt at or before now, expired ones included so that their organizer
	// is told) whose lease is free or expired, by NextPollAt. One replica polls each.
	ClaimPendingAuthorizations(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]PendingAuthorization, error)
	// ReschedulePendingAuthorization records a poll that found the authorization still pending:
	// the next poll time and interval (grown after a slow_down); it releases the lease. It
	// returns ErrConflict when owner no longer holds the lease, ErrNotFound when it is gone.
	ReschedulePendingAuthorization(ctx context.Context, id, owner string, nextPollAt time.Time, interval time.Duration) error
	// HoldIssuedTokens keeps on the authorization the tokens Webex issued for it (sealed), while
	// owner, who holds the lease, checks who approved and stores them: Webex issues them once,
	// and a replica that takes over finishes with them. It leaves the lease as it is. It returns
	// ErrConflict when owner no longer holds the lease, ErrNotFound when it is gone.
	HoldIssuedTokens(ctx context.Context, id, owner string, sealedTokens []byte) error
	// DeletePendingAuthorization removes a finished authorization; a missing one is not an error.
	DeletePendingAuthorization(ctx context.Context, id string) error
}

// OrganizerToken is an organizer's own Webex authorization. The tokens are sealed by the
// caller; KeyID names the key that sealed them.
type OrganizerToken struct {
	// PersonID is the organizer's Webex person id (checked with GET /people/me).
	PersonID    string
	PersonEmail string
	// SealedAccess and SealedRefresh are the sealed access and refresh tokens.
	SealedAccess  []byte
	SealedRefresh []byte
	// AccessExpiresAt and RefreshExpiresAt are the tokens' expiries (zero: unknown).
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
	// Scopes granted, space-separated.
	Scopes    string
	KeyID     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PendingAuthorization is a device authorization waiting for an organizer's approval.
type PendingAuthorization struct {
	ID          string
	PersonID    string
	PersonEmail string
	// SealedDeviceCode is the sealed polling handle; SealedUserCode the sealed code shown to the
	// organizer.
	SealedDeviceCode []byte
	SealedUserCode   []byte
	// VerificationURI is the page the organizer opens (not a secret without the code).
	VerificationURI string
	KeyID           string
	// ExpiresAt is when the codes expire; Interval the minimum time between polls.
	ExpiresAt  time.Time
	Interval   time.Duration
	NextPollAt time.Time
	// RequestRef names the request to carry on once approved (e.g. a conversation key);
	// Payload is JSON chosen by the caller. Neither holds a secret.
	RequestRef string
	Payload    []byte
	LeaseOwner string
	LeaseUntil time.Time
	// SealedIssued holds the tokens Webex issued once the organizer approved, until they are
	// stored (HoldIssuedTokens); empty before.
	SealedIssued []byte
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SealingContext is the additional data to seal and open a value of a table's column for a
// person with, e.g. SealingContext("organizer_tokens", personID, "access"): a sealed value
// copied to another row or column does not open.
func SealingContext(table, personID, column string) []byte {
	return []byte("relais|" + table + "|" + column + "|" + personID)
}

const organizerTokenCols = `person_id, person_email, access_sealed, refresh_sealed, access_expires_at,
	refresh_expires_at, scopes, key_id, created_at, updated_at`

func scanOrganizerToken(row interface{ Scan(...any) error }) (OrganizerToken, error) {
	var (
		t                                   OrganizerToken
		accessExp, refreshExp, created, upd int64
	)
	err := row.Scan(&t.PersonID, &t.PersonEmail, &t.SealedAccess, &t.SealedRefresh, &accessExp, &refreshExp,
		&t.Scopes, &t.KeyID, &created, &upd)
	if err != nil {
		return OrganizerToken{}, err
	}
	t.AccessExpiresAt, t.RefreshExpiresAt = fromMs(accessExp), fromMs(refreshExp)
	t.CreatedAt, t.UpdatedAt = fromMs(created), fromMs(upd)
	return t, nil
}

func (q queries) PutOrganizerToken(ctx context.Context, t OrganizerToken) error {
	if t.PersonID == "" || len(t.SealedAccess) == 0 || len(t.SealedRefresh) == 0 || t.KeyID == "" {
		return errors.New("put organizer token: empty person id, token or key id")
	}
	now := q.now().UnixMilli()
	_, err := q.w.ExecContext(ctx,
		`INSERT INTO organizer_tokens (person_id, person_email, email_key, access_sealed, refresh_sealed,
			access_expires_at, refresh_expires_at, scopes, key_id, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
		 ON CONFLICT (person_id) DO UPDATE SET person_email = excluded.person_email,
			email_key = excluded.email_key, access_sealed = excluded.access_sealed,
			refresh_sealed = excluded.refresh_sealed, access_expires_at = excluded.access_expires_at,
			refresh_expires_at = excluded.refresh_expires_at, scopes = excluded.scopes,
			key_id = excluded.key_id, updated_at = excluded.updated_at`,
		t.PersonID, t.PersonEmail, normEmail(t.PersonEmail), t.SealedAccess, t.SealedRefresh,
		toMs(t.AccessExpiresAt), toMs(t.RefreshExpiresAt), t.Scopes, t.KeyID, now)
	if err != nil {
		return fmt.Errorf("put organizer token: %w", err)
	}
	return nil
}

func (q queries) getOrganizerToken(ctx context.Context, op, where, arg string) (OrganizerToken, error) {
	t, err := scanOrganizerToken(q.r.QueryRowContext(ctx,
		`SELECT `+organizerTokenCols+` FROM organizer_tokens WHERE `+where+` = $1 ORDER BY updated_at DESC LIMIT 1`, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return OrganizerToken{}, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if err != nil {
		return OrganizerToken{}, fmt.Errorf("%s: %w", op, err)
	}
	return t, nil
}

func (q queries) GetOrganizerToken(ctx context.Context, personID string) (OrganizerToken, error) {
	return q.getOrganizerToken(ctx, "get organizer token", "person_id", personID)
}

func (q queries) GetOrganizerTokenByEmail(ctx context.Context, email string) (OrganizerToken, error) {
	return q.getOrganizerToken(ctx, "get organizer token by e-mail", "email_key", normEmail(email))
}

func (q queries) DeleteOrganizerToken(ctx context.Context, personID string) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM organizer_tokens WHERE person_id = $1`, personID); err != nil {
		return fmt.Errorf("delete organizer token: %w", err)
	}
	return nil
}

func (q queries) ResealOrganizerToken(ctx context.Context, t OrganizerToken, previousSealedRefresh []byte) (bool, error) {
	if len(t.SealedAccess) == 0 || len(t.SealedRefresh) == 0 || t.KeyID == "" {
		return false, errors.New("reseal organizer token: empty token or key id")
	}
	res, err := q.w.ExecContext(ctx,
		`UPDATE organizer_tokens SET access_sealed = $3, refresh_sealed = $4, key_id = $5, updated_at = $6
		 WHERE person_id = $1 AND refresh_sealed = $2`,
		t.PersonID, previousSealedRefresh, t.SealedAccess, t.SealedRefresh, t.KeyID, q.now().UnixMilli())
	if err != nil {
		return false, fmt.Errorf("reseal organizer token: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return false, fmt.Errorf("reseal organizer token: %w", err)
	}
	return n == 1, nil
}

func (q queries) ListOrganizerTokensNotSealedWith(ctx context.Context, keyID string, limit int) ([]OrganizerToken, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := q.r.QueryContext(ctx,
		`SELECT `+organizerTokenCols+` FROM organizer_tokens WHERE key_id <> $1 ORDER BY person_id LIMIT $2`, keyID, limit)
	if err != nil {
		return nil, fmt.Errorf("list organizer tokens: %w", err)
	}
	defer rows.Close()
	var out []OrganizerToken
	for rows.Next() {
		t, err := scanOrganizerToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list organizer tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list organizer tokens: %w", err)
	}
	return out, nil
}

const pendingAuthCols = `id, person_id, person_email, device_code_sealed, user_code_sealed, verification_uri,
	key_id, expires_at, interval_ms, next_poll_at, request_ref, payload, lease_owner, lease_until,
	issued_sealed, created_at, updated_at`

func scanPendingAuth(row interface{ Scan(...any) error }) (PendingAuthorization, error) {
	var (
		p                                                 PendingAuthorization
		expires, interval, next, leaseUntil, created, upd int64
	)
	err := row.Scan(&p.ID, &p.PersonID, &p.PersonEmail, &p.SealedDeviceCode, &p.SealedUserCode, &p.VerificationURI,
		&p.KeyID, &expires, &interval, &next, &p.RequestRef, &p.Payload, &p.LeaseOwner, &leaseUntil, &p.SealedIssued, &created, &upd)
	if err != nil {
		return PendingAuthorization{}, err
	}
	p.ExpiresAt, p.NextPollAt, p.LeaseUntil = fromMs(expires), fromMs(next), fromMs(leaseUntil)
	if len(p.SealedIssued) == 0 {
		p.SealedIssued = nil // empty in the row: nothing issued yet
	}
	p.Interval = time.Duration(interval) * time.Millisecond
	p.CreatedAt, p.UpdatedAt = fromMs(created), fromMs(upd)
	return p, nil
}

func (q queries) PutPendingAuthorization(ctx context.Context, p PendingAuthorization) (PendingAuthorization, error) {
	if p.PersonID == "" || len(p.SealedDeviceCode) == 0 || len(p.SealedUserCode) == 0 || p.KeyID == "" ||
		p.ExpiresAt.IsZero() || p.Interval <= 0 {
		return PendingAuthorization{}, errors.New("put pending authorization: empty person id, code, key id, expiry or interval")
	}
	now := q.now()
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	if p.NextPollAt.IsZero() {
		p.NextPollAt = now.Add(p.Interval)
	}
	p.Payload = nonNil(p.Payload)
	if len(p.SealedIssued) == 0 {
		p.SealedIssued = nil // as read back
	}
	p.LeaseOwner, p.LeaseUntil = "", time.Time{}
	p.CreatedAt, p.UpdatedAt = fromMs(now.UnixMilli()), fromMs(now.UnixMilli())
	p.ExpiresAt, p.NextPollAt = fromMs(toMs(p.ExpiresAt)), fromMs(toMs(p.NextPollAt))
	p.Interval = p.Interval.Truncate(time.Millisecond)
	_, err := q.w.ExecContext(ctx,
		`INSERT INTO pending_authorizations (id, person_id, person_email, device_code_sealed, user_code_sealed,
			verification_uri, key_id, expires_at, interval_ms, next_poll_at, request_ref, payload, lease_owner,
			lease_until, issued_sealed, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', 0, $14, $13, $13)
		 ON CONFLICT (person_id) DO UPDATE SET id = excluded.id, person_email = excluded.person_email,
			device_code_sealed = excluded.device_code_sealed, user_code_sealed = excluded.user_code_sealed,
			verification_uri = excluded.verification_uri, key_id = excluded.key_id,
			expires_at = excluded.expires_at, interval_ms = excluded.interval_ms,
			next_poll_at = excluded.next_poll_at, request_ref = excluded.request_ref,
			payload = excluded.payload, lease_owner = '', lease_until = 0, issued_sealed = excluded.issued_sealed,
			created_at = excluded.created_at, updated_at = excluded.updated_at`,
		p.ID, p.PersonID, p.PersonEmail, p.SealedDeviceCode, p.SealedUserCode, p.VerificationURI, p.KeyID,
		toMs(p.ExpiresAt), p.Interval.Milliseconds(), toMs(p.NextPollAt), p.RequestRef, p.Payload, now.UnixMilli(), nonNil(p.SealedIssued))
	if err != nil {
		return PendingAuthorization{}, fmt.Errorf("put pending authorization: %w", err)
	}
	return p, nil
}

func (q queries) GetPendingAuthorization(ctx context.Context, personID string) (PendingAuthorization, error) {
	p, err := scanPendingAuth(q.r.QueryRowContext(ctx,
		`SELECT `+pendingAuthCols+` FROM pending_authorizations WHERE person_id = $1`, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return PendingAuthorization{}, fmt.Errorf("get pending authorization: %w", ErrNotFound)
	}
	if err != nil {
		return PendingAuthorization{}, fmt.Errorf("get pending authorization: %w", err)
	}
	return p, nil
}

// claimPendingSQL leases due authorizations, like claimSQL does outbox items.
func (q queries) claimPendingSQL() string {
	return `UPDATE pending_authorizations SET lease_owner = $1, lease_until = $2, updated_at = $3
		WHERE id IN (SELECT id FROM pending_authorizations
			WHERE next_poll_at <= $3 AND lease_until <= $3
			ORDER BY next_poll_at, id LIMIT $4` + q.skipLocked() + `)
		RETURNING ` + pendingAuthCols
}

func (q queries) ClaimPendingAuthorizations(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]PendingAuthorization, error) {
	if owner == "" || lease <= 0 {
		return nil, errors.New("claim pending authorizations: empty owner or lease")
	}
	if limit <= 0 {
		return nil, nil
	}
	return claimRows(ctx, q, "claim pending authorizations", q.claimPendingSQL(),
		[]any{owner, now.Add(lease).UnixMilli(), now.UnixMilli(), limit},
		scanPendingAuth, func(p PendingAuthorization) (time.Time, string) { return p.NextPollAt, p.ID })
}

func (q queries) ReschedulePendingAuthorization(ctx context.Context, id, owner string, nextPollAt time.Time, interval time.Duration) error {
	if interval <= 0 {
		return errors.New("reschedule pending authorization: interval must be positive")
	}
	res, err := q.w.ExecContext(ctx,
		`UPDATE pending_authorizations SET next_poll_at = $3, interval_ms = $4, lease_owner = '', lease_until = 0,
			updated_at = $5 WHERE id = $1 AND lease_owner = $2`,
		id, owner, toMs(nextPollAt), interval.Milliseconds(), q.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("reschedule pending authorization: %w", err)
	}
	return q.leasedUpdate(ctx, "reschedule pending authorization", id, res)
}

func (q queries) HoldIssuedTokens(ctx context.Context, id, owner string, sealedTokens []byte) error {
	if len(sealedTokens) == 0 {
		return errors.New("hold issued tokens: empty tokens")
	}
	res, err := q.w.ExecContext(ctx,
		`UPDATE pending_authorizations SET issued_sealed = $3, updated_at = $4 WHERE id = $1 AND lease_owner = $2`,
		id, owner, sealedTokens, q.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("hold issued tokens: %w", err)
	}
	return q.leasedUpdate(ctx, "hold issued tokens", id, res)
}

// leasedUpdate reads the result of an update of pending authorization id under its lease: nil
// when it changed the row, else ErrNotFound when the row is gone, ErrConflict when the lease
// is another's.
func (q queries) leasedUpdate(ctx context.Context, op, id string, res sql.Result) error {
	n, err := affected(res)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 1 {
		return nil
	}
	var exists int
	err = q.w.QueryRowContext(ctx, `SELECT 1 FROM pending_authorizations WHERE id = $1`, id).Scan(&exists)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	case err != nil:
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: lease lost: %w", op, ErrConflict)
}

func (q queries) DeletePendingAuthorization(ctx context.Context, id string) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM pending_authorizations WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete pending authorization: %w", err)
	}
	return nil
}
