package accounts_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/store"
)

// meProxy stands between Accounts and the fake for GET /people/me: it answers status (with
// Retry-After: retryAfter seconds on a 429), hangs until the caller gives up (hang), or passes
// the call on (status 0).
type meProxy struct {
	mu         sync.Mutex
	status     int
	retryAfter int
	hang       bool
	// arrived gets one value per /people/me call that reached the proxy while hanging.
	arrived chan struct{}
	calls   atomic.Int32
}

func (m *meProxy) set(status, retryAfter int, hang bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.status, m.retryAfter, m.hang = status, retryAfter, hang
}

// newMeProxy starts the proxy and makes the fixture's next Accounts read /people/me through it.
func newMeProxy(t *testing.T, f *fixture) *meProxy {
	t.Helper()
	target, err := url.Parse(f.fake.URL())
	require.NoError(t, err)
	pass := httputil.NewSingleHostReverseProxy(target)
	m := &meProxy{arrived: make(chan struct{}, 10)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/people/me" {
			pass.ServeHTTP(w, r)
			return
		}
		m.calls.Add(1)
		m.mu.Lock()
		status, retryAfter, hang := m.status, m.retryAfter, m.hang
		m.mu.Unlock()
		switch {
		case hang:
			m.arrived <- struct{}{}
			<-r.Context().Done()
		case status != 0:
			if retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"message":"injected by the test","trackingId":"test"}`))
		default:
			pass.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	f.peopleURL = srv.URL + "/v1"
	return m
}

// TestApprovalSurvivesPassingIdentityCheckFailures: Webex issues the tokens of an approved code
// once; when the check of who approved then fails for a passing reason (503, 429), the tokens
// are held (sealed) and the check tried again later, after Retry-After, until the approval
// completes — never a failure told to an organizer who approved.
func TestApprovalSurvivesPassingIdentityCheckFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	me := newMeProxy(t, f)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "room|alex", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(prompt.UserCode, alex.Email)
	require.NoError(t, err)
	tokenCalls := func() int { return f.fake.CallCounts()["POST /v1/device/token"] }

	me.set(http.StatusServiceUnavailable, 0, false)
	assert.Empty(t, f.poll(a, "r1", 2*time.Second), "a 503 ends nothing")
	require.Equal(t, 1, tokenCalls())
	p, err := f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.NoError(t, err)
	assert.NotEmpty(t, p.SealedIssued, "the issued tokens are held, sealed")
	assert.NotContains(t, string(p.SealedIssued), "refresh", "sealed, not in clear")
	ok, err := a.Connected(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.False(t, ok, "not stored before the check")

	me.set(http.StatusTooManyRequests, 30, false)
	assert.Empty(t, f.poll(a, "r1", 2*time.Second), "a 429 ends nothing")
	require.Equal(t, int32(2), me.calls.Load())
	assert.Equal(t, 1, tokenCalls(), "the held tokens are checked again; the code is not polled again")
	p, err = f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.NoError(t, err)
	assert.Equal(t, f.clk.Now().Add(30*time.Second), p.NextPollAt, "Retry-After is honoured")
	assert.Empty(t, f.poll(a, "r1", 20*time.Second))
	assert.Equal(t, int32(2), me.calls.Load(), "not checked before Retry-After")

	me.set(0, 0, false)
	// Asking again meanwhile, after the code expired, keeps the held approval.
	f.clk.Add(5 * time.Minute)
	again, err := a.Start(ctx, alex, "room|alex|again", nil)
	require.NoError(t, err)
	assert.True(t, again.Resumed)
	out := f.poll(a, "r1", 0)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Connected, out[0].Kind)
	assert.Equal(t, "room|alex|again", out[0].RequestRef)
	assert.Equal(t, 1, tokenCalls())
	ts, err := a.TokenSource(ctx, alex.PersonID, "")
	require.NoError(t, err)
	_, err = ts.Token(ctx)
	require.NoError(t, err)
	_, err = f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// TestHeldApprovalEndsOnAPermanentAnswer: after a passing failure, a 401 on the check ends it
// (Failed), and so does a token that belongs to someone else (WrongPerson); nothing is stored.
func TestHeldApprovalEndsOnAPermanentAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	me := newMeProxy(t, f)
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex, marie := f.organizer("alex.martin@example.com"), f.organizer("marie.tremblay@example.com")
	pa, err := a.Start(ctx, alex, "a", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(pa.UserCode, alex.Email)
	require.NoError(t, err)
	pm, err := a.Start(ctx, marie, "m", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(pm.UserCode, "bob.smith@example.com")
	require.NoError(t, err)

	me.set(http.StatusBadGateway, 0, false)
	assert.Empty(t, f.poll(a, "r1", 2*time.Second))
	me.set(http.StatusUnauthorized, 0, false)
	out := f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 2)
	byRef := map[string]accounts.Outcome{out[0].RequestRef: out[0], out[1].RequestRef: out[1]}
	assert.Equal(t, accounts.Failed, byRef["a"].Kind)
	assert.Equal(t, accounts.Failed, byRef["m"].Kind)

	// Someone else's token, found once the check answers.
	pm, err = a.Start(ctx, marie, "m2", nil)
	require.NoError(t, err)
	_, err = f.fake.Approve(pm.UserCode, "bob.smith@example.com")
	require.NoError(t, err)
	me.set(http.StatusServiceUnavailable, 0, false)
	assert.Empty(t, f.poll(a, "r1", 2*time.Second))
	me.set(0, 0, false)
	out = f.poll(a, "r1", 2*time.Second)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.WrongPerson, out[0].Kind)
	assert.Equal(t, "bob.smith@example.com", out[0].ApproverEmail)
	for _, p := range []accounts.Organizer{alex, marie} {
		ok, err := a.Connected(ctx, p.PersonID, "")
		require.NoError(t, err)
		assert.False(t, ok)
		_, err = f.st.GetPendingAuthorization(ctx, p.PersonID)
		require.ErrorIs(t, err, store.ErrNotFound)
	}
}

// TestApprovalSurvivesTheReplicaThatGotTheTokens: a replica stops after Webex issued the
// tokens and before they were stored (here: while it checks who approved); the replica that
// takes over, once the lease expires, finishes the approval with the held tokens.
func TestApprovalSurvivesTheReplicaThatGotTheTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	me := newMeProxy(t, f)
	key := "k1:" + newKey(t)
	a := f.accounts(key)
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "room|alex", []byte(`{"lang":"en"}`))
	require.NoError(t, err)
	_, err = f.fake.Approve(prompt.UserCode, alex.Email)
	require.NoError(t, err)

	me.set(0, 0, true)
	stopping, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	f.clk.Add(2 * time.Second)
	go func() {
		_, err := a.Poll(stopping, "replica-a", time.Minute, 10)
		done <- err
	}()
	<-me.arrived
	stop() // the replica dies during the check
	require.ErrorIs(t, <-done, context.Canceled)

	me.set(0, 0, false)
	f.st = f.openStore()
	b := f.accounts(key)
	assert.Empty(t, f.poll(b, "replica-b", 30*time.Second), "replica-a's lease still holds")
	out := f.poll(b, "replica-b", time.Minute)
	require.Len(t, out, 1)
	assert.Equal(t, accounts.Connected, out[0].Kind)
	assert.JSONEq(t, `{"lang":"en"}`, string(out[0].Payload))
	assert.Equal(t, 1, f.fake.CallCounts()["POST /v1/device/token"], "Webex was asked for the tokens once")
	ok, err := b.Connected(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.True(t, ok)
}
