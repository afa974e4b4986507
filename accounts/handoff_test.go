package accounts_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/accounts"
	"github.com/relaisbot/relais/store"
)

// TestHandoffIsWrittenWithTheEnd: the handoff is written in the transaction that removes the
// pending authorization and stores the tokens: when it fails, nothing of the end is kept (the
// authorization is still pending, no tokens); when it succeeds, the outcome is in the outbox
// and the authorization gone, together.
func TestHandoffIsWrittenWithTheEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var fail atomic.Bool
	f.handoff = func(ctx context.Context, q store.Queries, o accounts.Outcome) error {
		if fail.Load() {
			return errors.New("injected: the handoff cannot be written")
		}
		_, err := q.Enqueue(ctx, store.OutboxItem{Key: "account:" + o.ID, Kind: "account",
			Payload: []byte(`"` + string(o.Kind) + `"`), DueAt: f.clk.Now()})
		return err
	}
	a := f.accounts("k1:" + newKey(t))
	ctx := context.Background()
	alex := f.organizer("alex.martin@example.com")
	prompt, err := a.Start(ctx, alex, "room|alex", []byte(`{}`))
	require.NoError(t, err)
	p, err := f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.NoError(t, err)
	_, err = f.fake.Approve(prompt.UserCode, alex.Email)
	require.NoError(t, err)

	fail.Store(true)
	f.clk.Add(3 * time.Second)
	_, err = a.Poll(ctx, "r1", time.Minute, 10)
	require.Error(t, err)
	_, err = f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.NoError(t, err, "still pending: the end was rolled back with its handoff")
	ok, err := a.Connected(ctx, alex.PersonID, "")
	require.NoError(t, err)
	assert.False(t, ok, "no tokens without their handoff")
	_, err = f.st.GetOutboxItem(ctx, "account:"+p.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	fail.Store(false)
	// Webex issues a device code's tokens once: they were held before the failed end, and the
	// retry finishes the approval with them.
	out := f.poll(a, "r1", 2*time.Minute) // past the failed poll's lease
	require.Len(t, out, 1)
	assert.Equal(t, p.ID, out[0].ID)
	assert.Equal(t, accounts.Connected, out[0].Kind)
	assert.Equal(t, 1, f.fake.CallCounts()["POST /v1/device/token"])
	it, err := f.st.GetOutboxItem(ctx, "account:"+p.ID)
	require.NoError(t, err)
	assert.JSONEq(t, `"`+string(out[0].Kind)+`"`, string(it.Payload))
	_, err = f.st.GetPendingAuthorization(ctx, alex.PersonID)
	require.ErrorIs(t, err, store.ErrNotFound)
}
