package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestHourlyHousekeeping runs the runtime's hourly housekeeping every few milliseconds. A
// conversation idle for more than a week (by the bot's clock) and a job finished more than a
// week ago (by the store's stamps, which are wall-clock time) are forgotten; a job finished two
// days ago, a pending job, a recent conversation and the events just handled stay, even though
// the bot's clock has moved eight days (as `relais demo --now` moves it).
func TestHourlyHousekeeping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "relais.db")
	finishedAgo := func(key string, ago time.Duration) {
		t.Helper()
		aside, err := store.Open(ctx, db, store.WithClock(func() time.Time { return time.Now().Add(-ago) }))
		require.NoError(t, err)
		defer aside.Close()
		_, err = aside.Enqueue(ctx, store.OutboxItem{ID: key, Key: key, Kind: "test"})
		require.NoError(t, err)
		require.NoError(t, aside.Complete(ctx, key))
	}
	finishedAgo("test:eight-days-ago", 8*24*time.Hour)
	finishedAgo("test:two-days-ago", 2*24*time.Hour)

	h := newHarness(t, harnessOptions{db: db, beforeRun: func(rt *bot.Runtime) {
		bot.SetHousekeepingInterval(rt, 10*time.Millisecond)
	}})
	st := h.rt.Store
	_, err := st.Enqueue(ctx, store.OutboxItem{ID: "test:pending", Key: "test:pending", Kind: "test", DueAt: h.clock.Now().Add(30 * 24 * time.Hour)})
	require.NoError(t, err)

	// Day 0: Bob starts a dialogue and leaves it.
	bobEvent := h.say(webextest.SayRequest{From: bob, Text: "programme une rencontre pour Jean Dupont"})
	bobKey := conversationKeyOf(t, h, bobEvent)
	_, found, err := st.GetConversation(ctx, bobKey)
	require.NoError(t, err)
	require.True(t, found, "Bob's dialogue is stored")

	// Day 6: Alex starts a dialogue; day 8: Bob's dialogue is more than a week old, Alex's not.
	h.clock.Advance(6 * 24 * time.Hour)
	alexEvent := h.say(webextest.SayRequest{From: alex, Text: "programme une rencontre pour Jean Dupont"})
	alexKey := conversationKeyOf(t, h, alexEvent)
	h.clock.Advance(2 * 24 * time.Hour)

	require.Eventually(t, func() bool {
		_, err := st.GetOutboxItem(ctx, "test:eight-days-ago")
		_, found, cerr := st.GetConversation(ctx, bobKey)
		return errors.Is(err, store.ErrNotFound) && cerr == nil && !found
	}, 10*time.Second, 5*time.Millisecond, "the job finished a week ago and Bob's old dialogue are never forgotten")

	// Every pass from now on runs at day 8 or later: what is recent stays.
	for _, key := range []string{"test:two-days-ago", bot.EventKey(bobEvent), bot.EventKey(alexEvent)} {
		it, err := st.GetOutboxItem(ctx, key)
		if assert.NoError(t, err, "%s is kept", key) {
			assert.Equal(t, store.OutboxDone, it.Status, key)
		}
	}
	it, err := st.GetOutboxItem(ctx, "test:pending")
	require.NoError(t, err, "a pending job is never pruned")
	assert.Equal(t, store.OutboxPending, it.Status)
	_, found, err = st.GetConversation(ctx, alexKey)
	require.NoError(t, err)
	assert.True(t, found, "Alex's dialogue of two days ago is kept")
}

// conversationKeyOf is the store key of the 1:1 conversation a message belongs to.
func conversationKeyOf(t *testing.T, h *harness, messageID string) string {
	t.Helper()
	m, err := h.rt.Webex.Messages.Get(context.Background(), messageID)
	require.NoError(t, err)
	return bot.ConversationKey(m.RoomID, m.RoomType, "", m.PersonID)
}
