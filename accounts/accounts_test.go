package accounts_test

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

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// clock is the settable clock shared by the fake, the integration and Accounts.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t      *testing.T
	fake   *webextest.Server
	clk    *clock
	dbPath string
	st     store.Store
	logs   *syncBuffer
	// handoff is Config.Handoff of the Accounts built next (nil: none).
	handoff func(ctx context.Context, q store.Queries, o accounts.Outcome) error
	// peopleURL, when set, is where the Accounts built next read /people/me (a test proxy),
	// without the client's own retries.
	peopleURL string
}

// syncBuffer collects log lines from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{t: time.Date(2026, 6, 17, 13, 0, 0, 0, time.UTC)}
	f := &fixture{t: t, clk: clk, logs: &syncBuffer{}}
	f.fake = webextest.NewTestServer(t, webextest.Options{Clock: clk.Now})
	f.dbPath = filepath.Join(t.TempDir(), "relais.db")
	f.st = f.openStore()
	return f
}

func (f *fixture) openStore() store.Store {
	f.t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+f.dbPath, store.WithClock(f.clk.Now))
	require.NoError(f.t, err)
	f.t.Cleanup(func() { _ = st.Close() })
	return st
}

func newKey(t *testing.T) string {
	t.Helper()
	k := make([]byte, sealed.KeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(k)
}

// accounts builds an Accounts (a replica) on the fixture's store with the keyring spec.
func (f *fixture) accounts(keyring string) *accounts.Accounts {
	f.t.Helper()
	kr, err := sealed.ParseKeyring(keyring)
	require.NoError(f.t, err)
	in, err := webexapi.NewIntegration(webexapi.IntegrationConfig{BaseURL: f.fake.APIURL(),
		ClientID: f.fake.IntegrationClientID(), ClientSecret: f.fake.IntegrationClientSecret(), Now: f.clk.Now})
	require.NoError(f.t, err)
	opts := []webexapi.Option{webexapi.WithBaseURL(f.fake.APIURL()),
		webexapi.WithTokenSource(&webexapi.ContextTokens{Default: webexapi.StaticToken(f.fake.BotToken())})}
	if f.peopleURL != "" {
		opts = append(opts, webexapi.WithBaseURL(f.peopleURL), webexapi.WithRetryPolicy(webexapi.RetryPolicy{MaxAttempts: 1}))
	}
	people, err := webexapi.NewClient(opts...)
	require.NoError(f.t, err)
	a, err := accounts.New(accounts.Config{Store: f.st, Keyring: kr, Integration: in, People: people, Now: f.clk.Now,
		Logger: zerolog.New(f.logs).Level(zerolog.DebugLevel), Handoff: f.handoff})
	require.NoError(f.t, err)
	return a
}

// organizer is a directory person as the bot knows them (person id from their message).
func (f *fixture) organizer(email string) accounts.Organizer {
	f.t.Helper()
	c, err := webexapi.NewClient(webexapi.WithBaseURL(f.fake.APIURL()), webexapi.WithToken(f.fake.BotToken()))
	require.NoError(f.t, err)
	people, err := c.People.List(context.Background(), &webexapi.PeopleListOptions{Email: email})
	require.NoError(f.t, err)
	require.Len(f.t, people.Items, 1)
	return accounts.Organizer{PersonID: people.Items[0].ID, Email: email}
}

// poll advances the clock by d and polls as replica owner.
func (f *fixture) poll(a *accounts.Accounts, owner string, d time.Duration) []accounts.Outcome {
	f.t.Helper()
	f.clk.Add(d)
	out, err := a.Poll(context.Background(), owner, time.Minute, 10)
	require.NoError(f.t, err)
	return out
}

func TestConnectWaitsForApprovalThenCarriesOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")

	prompt, err := a.Start(ctx, alex, "room|thread|alex", []byte(`{"lang":"fr"}`))
	require.NoError(t, err)
	assert.False(t, prompt.Resumed)
	pending := f.fake.PendingAuthorizations()
	require.Len(t, pending, 1)
	assert.Equal(t, pending[0].UserCode, prompt.UserCode)
	assert.Contains(t, prompt.URLComplete, "userCode=")
	assert.Equal(t, f.clk.Now().Add(5*time.Minute), prompt.ExpiresAt)

	again, err := a.Start(ctx, alex, "room|thread|alex", nil)
	require.NoError(t, err)
	assert.True(t, again.Resumed)
	assert.Equal(t, prompt.UserCode, again.UserCode, "asking twice shows the same code")
	assert.Len(t, f.fake.PendingAuthorizations(), 1)

	assert.Empty(t, f.poll(a, "r1", time.Second), "not due before the interval")
	assert.Empty(t, f.poll(a, "r1", time.Second), "pending")
	assert.Equal(t, 1, f.fake.CallCounts()["POST /v1/device/token"])

	_, err = f.fake.Approve(prompt.UserCode, "alex.martin@example.com")
	require.NoError(t, err)
	out := f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Connected, out[0].Kind)
	assert.Equal(t, "room|thread|alex", out[0].RequestRef)
	assert.Nil(t, out[0].Payload, "the second Start replaced the payload")
	ok, err := a.Connected(ctx, "", "Alex.Martin@example.com")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Empty(t, f.poll(a, "r1", time.Hour), "nothing left to poll")

	// The meeting is created with the organizer's own token, as them.
	ts, err := a.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	c, err := webexapi.NewClient(webexapi.WithBaseURL(f.fake.APIURL()),
		webexapi.WithTokenSource(&webexapi.ContextTokens{Default: webexapi.StaticToken(f.fake.MeetingsToken())}))
	require.NoError(t, err)
	start := f.clk.Now().Add(24 * time.Hour)
	m, err := c.Meetings.Create(webexapi.ContextWithTokenSource(ctx, ts), &webexapi.MeetingRequest{Title: "Suivi",
		Start: webexapi.FormatTime(start), End: webexapi.FormatTime(start.Add(time.Hour))})
	require.NoError(t, err)
	assert.Equal(t, "alex.martin@example.com", m.HostEmail)
	assert.NotEmpty(t, m.HostKey)
}

func TestConnectApprovedBySomeoneElseStoresNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "ref", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(prompt.UserCode, "bob.smith@example.com")
	require.NoError(t, err)
	out := f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.WrongPerson, out[0].Kind)
	assert.Equal(t, "bob.smith@example.com", out[0].ApproverEmail)
	ok, err := a.Connected(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = a.TokenSource(ctx, "", "bob.smith@example.com")
	assert.ErrorIs(t, err, accounts.ErrNotConnected)
}

func TestConnectDeniedAndExpired(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex, marie := f.organizer("alex.martin@example.com"), f.organizer("marie.tremblay@example.com")
	denied, err := a.Start(ctx, alex, "a", nil)
	require.NoError(t, err)
	_, err = f.fake.Deny(denied.UserCode)
	require.NoError(t, err)
	_, err = a.Start(ctx, marie, "m", nil)
	require.NoError(t, err)

	out := f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Denied, out[0].Kind)
	assert.Equal(t, alex, out[0].Organizer)

	for range 148 { // Marie never answers: pending at every interval…
		require.Empty(t, f.poll(a, "r1", 2*time.Second))
	}
	out = f.poll(a, "r1", 2*time.Second) // …until the code expires
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Expired, out[0].Kind)
	assert.Equal(t, "m", out[0].RequestRef)
	assert.Equal(t, 150, f.fake.CallCounts()["POST /v1/device/token"], "never polled after the expiry")
}

func TestConnectHonoursSlowDown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "ref", nil)
	require.NoError(t, err)
	require.NoError(t, f.fake.SlowDown(prompt.UserCode, 1))
	polls := func() int { return f.fake.CallCounts()["POST /v1/device/token"] }

	assert.Empty(t, f.poll(a, "r1", 2*time.Second))
	require.Equal(t, 1, polls())
	p, err := f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.NoError(t, err)
	assert.Equal(t, 7*time.Second, p.Interval, "slow_down grows the interval by 5 s")
	assert.Equal(t, f.clk.Now().Add(7*time.Second), p.NextPollAt)

	assert.Empty(t, f.poll(a, "r1", 6*time.Second))
	assert.Equal(t, 1, polls(), "not polled before the grown interval")
	assert.Empty(t, f.poll(a, "r1", time.Second))
	assert.Equal(t, 2, polls())
	assert.Empty(t, f.poll(a, "r1", 2*time.Second))
	assert.Equal(t, 2, polls(), "the grown interval stays")
}

func TestTwoReplicasOnePollerAndRestart(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	key := "k1:" + newKey(t)
	a := f.accounts(key)
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "ref", nil)
	require.NoError(t, err)

	// A restart: a new process with its own store handle and Accounts finds the authorization.
	f.st = f.openStore()
	b, c := f.accounts(key), f.accounts(key)
	f.clk.Add(2 * time.Second)
	var wg sync.WaitGroup
	for i, r := range []*accounts.Accounts{b, c} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Poll(ctx, "replica-"+string(rune('b'+i)), time.Minute, 10)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, f.fake.CallCounts()["POST /v1/device/token"], "one replica polled")

	_, err = f.fake.Approve(prompt.UserCode, "alex.martin@example.com")
	require.NoError(t, err)
	out := f.poll(c, "replica-c", 2*time.Second)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Connected, out[0].Kind)
}

func TestTokensRefreshRotateAndSurviveKeyRotation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	oldKey := "k1:" + newKey(t)
	a := f.accounts(oldKey)
	ctx := context.Background()
	alex := connect(t, f, a, "alex.martin@example.com")

	ts, err := a.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	first, err := ts.Token(ctx)
	require.NoError(t, err)
	f.clk.Add(time.Hour)
	second, err := ts.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first, second)

	// The rotated refresh token is what the store holds: a restart with a new key first reads
	// it (sealed with the old key), uses it, and seals it again with the new key.
	issued := f.fake.IssuedTokens()
	lastRefresh := issued[len(issued)-1].Token
	rotated := f.accounts("k2:" + newKey(t) + "," + oldKey)
	ts2, err := rotated.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.Equal(t, lastRefresh, ts2.Current().RefreshToken)
	row, err := f.st.GetOrganizerToken(ctx, alex.PersonID)
	require.NoError(t, err)
	assert.Equal(t, "k2", row.KeyID, "sealed again with the first key")
	n, err := rotated.Reseal(ctx, 100)
	require.NoError(t, err)
	assert.Zero(t, n)
	got, err := ts2.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, second, got)
}

func TestRevokedAuthorizationAsksToReconnect(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := connect(t, f, a, "alex.martin@example.com")
	f.fake.RevokeGrants("alex.martin@example.com")
	ts, err := a.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	ts.Invalidate(ts.Current().AccessToken) // as after Webex's 401
	_, err = ts.Token(ctx)
	require.ErrorIs(t, err, webexapi.ErrReauthorize)

	require.NoError(t, a.Disconnect(ctx, alex.PersonID))
	ok, err := a.Connected(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.False(t, ok)
}

// connect runs a whole connection approved by the organizer.
func connect(t *testing.T, f *fixture, a *accounts.Accounts, email string) accounts.Organizer {
	t.Helper()
	org := f.organizer(email)
	prompt, err := a.Start(context.Background(), org, "ref", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(prompt.UserCode, email)
	require.NoError(t, err)
	out := f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 1)
	require.Equal(t, accounts.Connected, out[0].Kind)
	return org
}

// TestNoTokenOrCodeInTheDatabaseOrTheLogs runs connections, a refresh and a rotation, then
// scans the database file and every log line for every token and code the fake issued.
func TestNoTokenOrCodeInTheDatabaseOrTheLogs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.SetOAuthLifetimes(webextest.OAuthLifetimes{AccessToken: time.Hour})
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := connect(t, f, a, "alex.martin@example.com")
	var userCodes []string
	for _, email := range []string{"marie.tremblay@example.com", "jean.dupont@example.com"} {
		p, err := a.Start(ctx, f.organizer(email), "ref", nil) // left pending: their codes stay stored
		require.NoError(t, err)
		userCodes = append(userCodes, p.UserCode, p.URLComplete)
	}
	ts, err := a.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	f.clk.Add(time.Hour)
	_, err = ts.Token(ctx)
	require.NoError(t, err)

	var secrets []string
	for _, tok := range f.fake.IssuedTokens() {
		secrets = append(secrets, tok.Token)
	}
	secrets = append(append(secrets, f.fake.OAuthSecrets()...), userCodes...)
	require.GreaterOrEqual(t, len(secrets), 4+3+4)

	var db []byte
	for _, p := range []string{f.dbPath, f.dbPath + "-wal"} {
		raw, err := os.ReadFile(p)
		if err == nil {
			db = append(db, raw...)
		}
	}
	logs := f.logs.Bytes()
	require.Contains(t, string(db), "alex.martin@example.com", "the scan reads the rows")
	require.Contains(t, string(logs), "account connection ended", "the scan reads the logs")
	for _, s := range secrets {
		assert.False(t, bytes.Contains(db, []byte(s)), "the database holds %q in clear", s)
		assert.False(t, bytes.Contains(logs, []byte(s)), "a log line holds %q", s)
	}
}
