package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store/sealed"
)

func TestSQLiteOAuthStore(t *testing.T) {
	t.Parallel()
	runOAuthSuite(t, sqliteDSNFor)
}

func TestPostgresOAuthStore(t *testing.T) {
	t.Parallel()
	runOAuthSuite(t, postgresDSNFor(postgresBase(t)))
}

// runOAuthSuite runs the organizer-token behaviour every backend must have.
func runOAuthSuite(t *testing.T, fresh newDSN) {
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"OrganizerTokenLifecycle", testOrganizerTokenLifecycle},
		{"KeyRotationReadsOldCiphertexts", testKeyRotation},
		{"PendingAuthorizationLifecycle", testPendingAuthorizationLifecycle},
		{"PendingAuthorizationOnePoller", testPendingAuthorizationOnePoller},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, openStore(t, fresh(t), WithClock(func() time.Time { return t0 })))
		})
	}
}

// testKeyring is a keyring of one fresh key, read from its RELAIS_ENCRYPTION_KEY form.
func testKeyring(t *testing.T, id string) *sealed.Keyring {
	t.Helper()
	kr, err := sealed.ParseKeyring(id + ":" + base64.StdEncoding.EncodeToString(freshKey(t)))
	require.NoError(t, err)
	return kr
}

// sealToken seals an organizer's pair as a caller of the store does.
func sealToken(t *testing.T, kr *sealed.Keyring, personID, email, access, refresh string) OrganizerToken {
	t.Helper()
	a, err := kr.SealString(access, SealingContext("organizer_tokens", personID, "access"))
	require.NoError(t, err)
	r, err := kr.SealString(refresh, SealingContext("organizer_tokens", personID, "refresh"))
	require.NoError(t, err)
	return OrganizerToken{PersonID: personID, PersonEmail: email, SealedAccess: a, SealedRefresh: r,
		AccessExpiresAt: t0.Add(14 * 24 * time.Hour), RefreshExpiresAt: t0.Add(90 * 24 * time.Hour),
		Scopes: "meeting:schedules_write meeting:schedules_read", KeyID: kr.PrimaryID()}
}

func openToken(t *testing.T, kr *sealed.Keyring, tok OrganizerToken) (string, string) {
	t.Helper()
	a, err := kr.OpenString(tok.SealedAccess, SealingContext("organizer_tokens", tok.PersonID, "access"))
	require.NoError(t, err)
	r, err := kr.OpenString(tok.SealedRefresh, SealingContext("organizer_tokens", tok.PersonID, "refresh"))
	require.NoError(t, err)
	return a, r
}

func testOrganizerTokenLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	kr := testKeyring(t, "k1")
	_, err := s.GetOrganizerToken(ctx, "p-alex")
	require.ErrorIs(t, err, ErrNotFound)

	require.NoError(t, s.PutOrganizerToken(ctx, sealToken(t, kr, "p-alex", "Alex.Martin@example.com", "at-1", "rt-1")))
	got, err := s.GetOrganizerToken(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, "Alex.Martin@example.com", got.PersonEmail)
	assert.Equal(t, "k1", got.KeyID)
	assert.Equal(t, t0.Add(14*24*time.Hour), got.AccessExpiresAt)
	assert.Equal(t, t0, got.CreatedAt)
	a, r := openToken(t, kr, got)
	assert.Equal(t, "at-1", a)
	assert.Equal(t, "rt-1", r)

	byEmail, err := s.GetOrganizerTokenByEmail(ctx, " alex.martin@EXAMPLE.com")
	require.NoError(t, err)
	assert.Equal(t, "p-alex", byEmail.PersonID)

	// A refresh replaces the pair (the rotated refresh token is the one kept).
	require.NoError(t, s.PutOrganizerToken(ctx, sealToken(t, kr, "p-alex", "alex.martin@example.com", "at-2", "rt-2")))
	got, err = s.GetOrganizerToken(ctx, "p-alex")
	require.NoError(t, err)
	a, r = openToken(t, kr, got)
	assert.Equal(t, []string{"at-2", "rt-2"}, []string{a, r})

	// A sealed value moved to another organizer does not open.
	stolen := got
	stolen.PersonID = "p-bob"
	_, err = kr.Open(stolen.SealedAccess, SealingContext("organizer_tokens", "p-bob", "access"))
	assert.ErrorIs(t, err, sealed.ErrCorrupt)

	require.Error(t, s.PutOrganizerToken(ctx, OrganizerToken{PersonID: "p-x", KeyID: "k1"}), "empty tokens are refused")

	require.NoError(t, s.DeleteOrganizerToken(ctx, "p-alex"))
	require.NoError(t, s.DeleteOrganizerToken(ctx, "p-alex"), "deleting twice is fine")
	_, err = s.GetOrganizerTokenByEmail(ctx, "alex.martin@example.com")
	require.ErrorIs(t, err, ErrNotFound)
}

func testKeyRotation(t *testing.T, s Store) {
	ctx := context.Background()
	oldSecret, newSecret := freshKey(t), freshKey(t)
	old, err := sealed.NewKeyring(sealed.Key{ID: "2026a", Secret: oldSecret})
	require.NoError(t, err)
	for _, p := range []string{"p1", "p2", "p3"} {
		require.NoError(t, s.PutOrganizerToken(ctx, sealToken(t, old, p, p+"@example.com", "at-"+p, "rt-"+p)))
	}
	// The operator puts a new key first and keeps the old one after it.
	rotated, err := sealed.NewKeyring(sealed.Key{ID: "2026b", Secret: newSecret}, sealed.Key{ID: "2026a", Secret: oldSecret})
	require.NoError(t, err)

	got, err := s.GetOrganizerToken(ctx, "p2")
	require.NoError(t, err)
	a, _ := openToken(t, rotated, got)
	assert.Equal(t, "at-p2", a, "tokens sealed with the old key still open")

	// Sealing every row again with the new key, a page at a time.
	for {
		todo, err := s.ListOrganizerTokensNotSealedWith(ctx, rotated.PrimaryID(), 2)
		require.NoError(t, err)
		if len(todo) == 0 {
			break
		}
		for _, tok := range todo {
			a, r := openToken(t, rotated, tok)
			done, err := s.ResealOrganizerToken(ctx, sealToken(t, rotated, tok.PersonID, tok.PersonEmail, a, r), tok.SealedRefresh)
			require.NoError(t, err)
			require.True(t, done)
		}
	}
	// A pair refreshed since it was read is not overwritten by its predecessor.
	stale, err := s.GetOrganizerToken(ctx, "p1")
	require.NoError(t, err)
	require.NoError(t, s.PutOrganizerToken(ctx, sealToken(t, rotated, "p1", "p1@example.com", "at-p1", "rt-p1")))
	done, err := s.ResealOrganizerToken(ctx, sealToken(t, rotated, "p1", "p1@example.com", "at-old", "rt-old"), stale.SealedRefresh)
	require.NoError(t, err)
	assert.False(t, done)

	onlyNew, err := sealed.NewKeyring(sealed.Key{ID: "2026b", Secret: newSecret})
	require.NoError(t, err)
	for _, p := range []string{"p1", "p2", "p3"} {
		got, err := s.GetOrganizerToken(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, "2026b", got.KeyID)
		a, r := openToken(t, onlyNew, got)
		assert.Equal(t, []string{"at-" + p, "rt-" + p}, []string{a, r}, "the old key can go once every row is sealed again")
	}
}

func freshKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, sealed.KeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func testPendingAuthorizationLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	kr := testKeyring(t, "k1")
	dc, err := kr.SealString("device-code-1", SealingContext("pending_authorizations", "p-alex", "device_code"))
	require.NoError(t, err)
	uc, err := kr.SealString("123456", SealingContext("pending_authorizations", "p-alex", "user_code"))
	require.NoError(t, err)
	p, err := s.PutPendingAuthorization(ctx, PendingAuthorization{PersonID: "p-alex", PersonEmail: "alex.martin@example.com",
		SealedDeviceCode: dc, SealedUserCode: uc, VerificationURI: "https://oauth-helper-r.wbx2.com/verify", KeyID: "k1",
		ExpiresAt: t0.Add(5 * time.Minute), Interval: 2 * time.Second, RequestRef: "room|thread|alex", Payload: []byte(`{"lang":"fr"}`)})
	require.NoError(t, err)
	assert.NotEmpty(t, p.ID)
	assert.Equal(t, t0.Add(2*time.Second), p.NextPollAt, "the first poll waits the interval")

	got, err := s.GetPendingAuthorization(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, p, got)
	code, err := kr.OpenString(got.SealedDeviceCode, SealingContext("pending_authorizations", "p-alex", "device_code"))
	require.NoError(t, err)
	assert.Equal(t, "device-code-1", code)

	claimed, err := s.ClaimPendingAuthorizations(ctx, "replica-a", t0.Add(time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, claimed, "not due yet")
	claimed, err = s.ClaimPendingAuthorizations(ctx, "replica-a", t0.Add(2*time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	assert.Equal(t, "replica-a", claimed[0].LeaseOwner)

	// A slow_down: the next poll waits the grown interval; the lease is released.
	require.ErrorIs(t, s.ReschedulePendingAuthorization(ctx, p.ID, "replica-b", t0.Add(9*time.Second), 7*time.Second), ErrConflict)
	require.NoError(t, s.ReschedulePendingAuthorization(ctx, p.ID, "replica-a", t0.Add(9*time.Second), 7*time.Second))
	got, err = s.GetPendingAuthorization(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, 7*time.Second, got.Interval)
	assert.Equal(t, t0.Add(9*time.Second), got.NextPollAt)
	assert.Empty(t, got.LeaseOwner)
	assert.Empty(t, got.SealedIssued, "nothing issued yet")

	// Approved: the issued tokens are held under the lease, and kept when the prompt is put again.
	require.ErrorIs(t, s.HoldIssuedTokens(ctx, p.ID, "replica-a", []byte("sealed-tokens")), ErrConflict, "lease released")
	claimed, err = s.ClaimPendingAuthorizations(ctx, "replica-b", t0.Add(9*time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	require.ErrorIs(t, s.HoldIssuedTokens(ctx, p.ID, "replica-a", []byte("sealed-tokens")), ErrConflict)
	require.NoError(t, s.HoldIssuedTokens(ctx, p.ID, "replica-b", []byte("sealed-tokens")))
	got, err = s.GetPendingAuthorization(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, []byte("sealed-tokens"), got.SealedIssued)
	assert.Equal(t, "replica-b", got.LeaseOwner, "holding keeps the lease")
	got.RequestRef = "room|thread|alex|again"
	_, err = s.PutPendingAuthorization(ctx, got)
	require.NoError(t, err)
	got, err = s.GetPendingAuthorization(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, []byte("sealed-tokens"), got.SealedIssued)
	claimed, err = s.ClaimPendingAuthorizations(ctx, "replica-a", t0.Add(10*time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	assert.Equal(t, []byte("sealed-tokens"), claimed[0].SealedIssued, "a replica that takes over finds them")

	// Asking again replaces the organizer's pending authorization.
	p2, err := s.PutPendingAuthorization(ctx, PendingAuthorization{PersonID: "p-alex", PersonEmail: "alex.martin@example.com",
		SealedDeviceCode: dc, SealedUserCode: uc, KeyID: "k1", ExpiresAt: t0.Add(10 * time.Minute), Interval: 5 * time.Second})
	require.NoError(t, err)
	got, err = s.GetPendingAuthorization(ctx, "p-alex")
	require.NoError(t, err)
	assert.Equal(t, p2.ID, got.ID)
	assert.Empty(t, got.RequestRef)
	assert.Empty(t, got.SealedIssued, "a new code has no tokens yet")

	require.NoError(t, s.DeletePendingAuthorization(ctx, p2.ID))
	_, err = s.GetPendingAuthorization(ctx, "p-alex")
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorIs(t, s.ReschedulePendingAuthorization(ctx, p2.ID, "replica-a", t0, time.Second), ErrNotFound)
	require.ErrorIs(t, s.HoldIssuedTokens(ctx, p2.ID, "replica-a", []byte("sealed-tokens")), ErrNotFound)
}

func testPendingAuthorizationOnePoller(t *testing.T, s Store) {
	ctx := context.Background()
	for i := range 20 {
		id := string(rune('a' + i))
		_, err := s.PutPendingAuthorization(ctx, PendingAuthorization{PersonID: "p-" + id, PersonEmail: id + "@example.com",
			SealedDeviceCode: []byte("sealed"), SealedUserCode: []byte("sealed"), KeyID: "k1",
			ExpiresAt: t0.Add(5 * time.Minute), Interval: 2 * time.Second, NextPollAt: t0})
		require.NoError(t, err)
	}
	var (
		mu    sync.Mutex
		taken = map[string]int{}
		wg    sync.WaitGroup
	)
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				got, err := s.ClaimPendingAuthorizations(ctx, "replica-"+string(rune('0'+r)), t0, time.Minute, 3)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				for _, p := range got {
					taken[p.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, taken, 20, "every due authorization was claimed")
	for id, n := range taken {
		assert.Equal(t, 1, n, "%s polled by one replica only", id)
	}
	// An expired lease lets another replica take over (the first one crashed).
	again, err := s.ClaimPendingAuthorizations(ctx, "replica-9", t0.Add(time.Minute), time.Minute, 100)
	require.NoError(t, err)
	assert.Len(t, again, 20)
}

// TestSQLiteFileHoldsNoTokenInClear scans the database file and its WAL for the tokens and
// codes an organizer's authorization stores.
func TestSQLiteFileHoldsNoTokenInClear(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "relais.db")
	s := openStore(t, "sqlite:"+path, WithClock(func() time.Time { return t0 }))
	ctx := context.Background()
	kr := testKeyring(t, "k1")
	secrets := []string{"user-access-0f9e8d7c6b5a49382716", "user-refresh-a1b2c3d4e5f60718293a",
		"device-code-5b8e2c6f-1d3a-4e7b-9c0d", "user-code-734921"}
	require.NoError(t, s.PutOrganizerToken(ctx, sealToken(t, kr, "p-alex", "alex.martin@example.com", secrets[0], secrets[1])))
	dc, err := kr.SealString(secrets[2], SealingContext("pending_authorizations", "p-alex", "device_code"))
	require.NoError(t, err)
	uc, err := kr.SealString(secrets[3], SealingContext("pending_authorizations", "p-alex", "user_code"))
	require.NoError(t, err)
	_, err = s.PutPendingAuthorization(ctx, PendingAuthorization{PersonID: "p-alex", PersonEmail: "alex.martin@example.com",
		SealedDeviceCode: dc, SealedUserCode: uc, KeyID: kr.PrimaryID(), ExpiresAt: t0.Add(5 * time.Minute), Interval: 2 * time.Second})
	require.NoError(t, err)

	scan := func(when string) {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			raw, err := os.ReadFile(p)
			if os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			all = append(all, raw...)
		}
		require.True(t, bytes.Contains(all, []byte("alex.martin@example.com")), "%s: the scan reads the rows", when)
		for _, sec := range secrets {
			assert.False(t, bytes.Contains(all, []byte(sec)), "%s: the database holds %q in clear", when, sec)
		}
	}
	scan("open")
	require.NoError(t, s.Close())
	scan("closed (WAL checkpointed)")
}
