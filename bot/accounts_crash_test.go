package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store"
)

// deadStore is the bot's store of a replica that died: once dead, every read and write the
// bot makes fails (the accounts' own store, which polls, goes on: the replica died right
// after the poll's commit).
type deadStore struct {
	store.Store
	dead atomic.Bool
}

var errDead = errors.New("injected: the replica died")

func (s *deadStore) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	if s.dead.Load() {
		return errDead
	}
	return s.Store.WithTx(ctx, fn)
}

func (s *deadStore) GetConversation(ctx context.Context, key string) (store.Conversation, bool, error) {
	if s.dead.Load() {
		return store.Conversation{}, false, errDead
	}
	return s.Store.GetConversation(ctx, key)
}

func (s *deadStore) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.OutboxItem, error) {
	if s.dead.Load() {
		return nil, errDead
	}
	return s.Store.ClaimDue(ctx, owner, now, lease, limit)
}

func (s *deadStore) Enqueue(ctx context.Context, it store.OutboxItem) (bool, error) {
	if s.dead.Load() {
		return false, errDead
	}
	return s.Store.Enqueue(ctx, it)
}

// TestOwnAccountApprovalOutlivesTheReplicaThatSawIt: the replica that polled the approval
// (the tokens stored, the pending authorization removed) dies before carrying on. The replica
// that takes over creates the meeting and tells the designate, once, without the organizer
// writing again.
func TestOwnAccountApprovalOutlivesTheReplicaThatSawIt(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "relais.db")
	dead := &deadStore{}
	h1 := newHarness(t, ownAccounts(t, harnessOptions{db: db,
		wrapStore: func(s store.Store) store.Store { dead.Store = s; return dead }}))
	h1.dm(alex, ownRequest)
	h1.dm(alex, "oui")
	code := pendingCode(t, h1.fake)

	dead.dead.Store(true)
	_, err := h1.fake.Approve(code, alex)
	require.NoError(t, err)
	until(t, func() bool {
		ok, err := accountsOf(h1).Connected(context.Background(), "", alex)
		return err == nil && ok
	}, h1.clock)
	h1.stop()
	assert.Empty(t, h1.fake.Meetings(), "the dead replica carried on with nothing")
	assert.Empty(t, h1.fake.BotMessages(jean))

	h2 := newHarness(t, ownAccounts(t, harnessOptions{db: db, fake: h1.fake, clock: h1.clock}))
	until(t, func() bool { return len(h1.fake.BotMessages(jean)) == 1 }, h2.clock)
	require.Eventually(t, hasMessage(h1.fake, alex, "Votre compte Webex est connecté"), eventuallyWait, 20*time.Millisecond)
	h2.clock.Advance(pollStep)
	require.Never(t, func() bool {
		return len(h1.fake.Meetings()) != 1 || len(h1.fake.BotMessages(jean)) != 1 ||
			strings.Count(markdowns(h1.fake.BotMessages(alex)), "Votre compte Webex est connecté") != 1
	}, 300*time.Millisecond, 20*time.Millisecond, texts(h1.fake.BotMessages(alex)))
	assert.Contains(t, h1.fake.BotMessages(jean)[0].Markdown, h1.fake.Meetings()[0].HostKey)
}
