package bot_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi/webextest"
)

// flakyStore fails one chosen transaction, as a database that is briefly unavailable would.
type flakyStore struct {
	store.Store
	mu     sync.Mutex
	failIn int // the failIn-th transaction from now fails (1: the next one); 0: none
	failed int
}

func (s *flakyStore) failNth(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failIn = n
}

func (s *flakyStore) WithTx(ctx context.Context, fn func(tx store.Tx) error) error {
	s.mu.Lock()
	fail := false
	if s.failIn > 0 {
		s.failIn--
		fail = s.failIn == 0
		if fail {
			s.failed++
		}
	}
	s.mu.Unlock()
	if fail {
		return errors.New("injected: database unavailable")
	}
	return s.Store.WithTx(ctx, fn)
}

// When the write that ends a turn (the dialogue state with the event marked handled) fails, the
// event stays pending and is handled again: the dialogue goes on, no meeting or designate message
// is ever doubled, and in a 1:1 space the replayed turn finds its answers there and does not send
// them twice.
func TestTurnHandledAgainWhenItsLastWriteFails(t *testing.T) {
	t.Parallel()
	flaky := &flakyStore{}
	h := newHarness(t, harnessOptions{
		botConfig: bot.Config{Lease: time.Second},
		wrapStore: func(s store.Store) store.Store { flaky.Store = s; return flaky },
	})
	ctx := context.Background()
	eventDone := func(id string) bool {
		it, err := h.rt.Store.GetOutboxItem(ctx, "event:"+id)
		return err == nil && it.Status == store.OutboxDone
	}

	// The request: its only transaction is the last write.
	flaky.failNth(1)
	id := h.say(webextest.SayRequest{From: alex, Text: "programme une rencontre pour " + marieTremblay + " demain à 14h"})
	assert.False(t, eventDone(id), "the turn's last write failed: the event is still pending")
	require.Eventually(t, func() bool { return eventDone(id) }, 20*time.Second, 10*time.Millisecond,
		"the event is handled again after its lease")
	require.Len(t, h.fake.BotMessages(alex), 1, "the replayed turn finds its summary in the space")

	// « oui »: the meeting and the designate's job are recorded (first transaction), the last
	// write fails (second), the turn is replayed.
	flaky.failNth(2)
	id = h.say(webextest.SayRequest{From: alex, Text: "oui"})
	require.Eventually(t, func() bool { return eventDone(id) }, 20*time.Second, 10*time.Millisecond)
	require.Len(t, h.fake.Meetings(), 1, "one meeting")
	require.Len(t, h.fake.BotMessages(marieTremblay), 1, "one designate message")
	assert.Contains(t, h.fake.BotMessages(marieTremblay)[0].Markdown, h.fake.Meetings()[0].HostKey)
	replies := h.fake.BotMessages(alex)[1:]
	require.Len(t, replies, 1, "the confirmation, once")
	flaky.mu.Lock()
	assert.Equal(t, 2, flaky.failed)
	flaky.mu.Unlock()

	// The dialogue is over and stored as such: a new message starts afresh.
	r := h.dm(alex, "aide")
	require.Len(t, r, 1)
}

// When the transaction that records the created meeting with the designate's job fails, the
// meeting still reaches the ledger (written on its own), so the organizer can list and cancel it,
// and the designate gets their message once.
func TestCreatedMeetingRecordedWhenItsTransactionFails(t *testing.T) {
	t.Parallel()
	flaky := &flakyStore{}
	h := newHarness(t, harnessOptions{
		wrapStore: func(s store.Store) store.Store { flaky.Store = s; return flaky },
	})
	ctx := context.Background()
	r := h.dm(alex, "programme une rencontre pour "+marieTremblay+" demain à 14h")
	require.Len(t, r, 1)
	flaky.failNth(1) // the first transaction of « oui »: meeting created + reminder + designate job
	r = h.dm(alex, "oui")
	require.NotEmpty(t, r)
	meetings := h.fake.Meetings()
	require.Len(t, meetings, 1)
	ledger, err := h.rt.Store.GetMeetingByWebexID(ctx, meetings[0].ID)
	require.NoError(t, err, "the created meeting is in the ledger")
	assert.Equal(t, store.MeetingCreated, ledger.Status)
	require.Len(t, h.fake.BotMessages(marieTremblay), 1, "one designate message")
	flaky.mu.Lock()
	assert.Equal(t, 1, flaky.failed)
	flaky.mu.Unlock()

	// The organizer sees it in their list.
	r = h.dm(alex, "mes rencontres")
	require.Len(t, r, 1)
	assert.Contains(t, r[0].Markdown, meetings[0].Title)
}
