package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the reference instant of the suite.
var t0 = time.Date(2026, 6, 17, 13, 15, 0, 0, time.UTC)

// runStoreSuite runs the behaviour every backend must have. fresh returns the DSN of an empty
// database for each test.
func runStoreSuite(t *testing.T, dialect string, fresh newDSN) {
	open := func(t *testing.T) Store {
		s := openStore(t, fresh(t), WithClock(func() time.Time { return t0 }))
		require.Equal(t, dialect, s.Dialect())
		return s
	}
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"Ping", func(t *testing.T, s Store) { require.NoError(t, s.Ping(context.Background())) }},
		{"ConversationVersions", testConversationVersions},
		{"ConversationConcurrentWriters", testConversationConcurrentWriters},
		{"ConversationExpiry", testConversationExpiry},
		{"ClaimEventOnceUnderConcurrency", testClaimEventOnce},
		{"PruneEvents", testPruneEvents},
		{"BeginMeetingIdempotentUnderConcurrency", testBeginMeetingIdempotent},
		{"MeetingLifecycle", testMeetingLifecycle},
		{"UpdateMeeting", testUpdateMeeting},
		{"MoveReminder", testMoveReminder},
		{"ListUpcomingMeetings", testListUpcoming},
		{"ListPendingMeetings", testListPending},
		{"OutboxLifecycle", testOutboxLifecycle},
		{"OutboxLeaseExpiry", testOutboxLeaseExpiry},
		{"ClaimDueConcurrentClaimers", testClaimDueConcurrent},
		{"Reminders", testReminders},
		{"PruneOutbox", testPruneOutbox},
		{"WithTxCommits", testWithTxCommits},
		{"WithTxRollsBack", testWithTxRollsBack},
		{"WithTxConcurrentConversation", testWithTxConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
	t.Run("SurvivesReopen", func(t *testing.T) {
		t.Parallel()
		testSurvivesReopen(t, fresh(t))
	})
	t.Run("ConcurrentOpensMigrateOnce", func(t *testing.T) {
		t.Parallel()
		testConcurrentOpens(t, fresh(t))
	})
	t.Run("TwoReplicas", func(t *testing.T) {
		t.Parallel()
		dsn := fresh(t)
		testTwoReplicas(t, openStore(t, dsn), openStore(t, dsn))
	})
}

func testConversationVersions(t *testing.T, s Store) {
	ctx := context.Background()
	_, found, err := s.GetConversation(ctx, "room|thread|person")
	require.NoError(t, err)
	require.False(t, found)

	c := Conversation{Key: "room|thread|person", State: []byte(`{"step":"when"}`), ExpiresAt: t0.Add(time.Hour)}
	v, err := s.PutConversation(ctx, c, 0)
	require.NoError(t, err)
	require.EqualValues(t, 1, v)

	_, err = s.PutConversation(ctx, c, 0)
	require.ErrorIs(t, err, ErrConflict, "version 0 means: must not exist yet")

	c.State = []byte(`{"step":"confirm"}`)
	v, err = s.PutConversation(ctx, c, 1)
	require.NoError(t, err)
	require.EqualValues(t, 2, v)

	_, err = s.PutConversation(ctx, c, 1)
	require.ErrorIs(t, err, ErrConflict, "stale version")
	_, err = s.PutConversation(ctx, Conversation{Key: "other"}, 3)
	require.ErrorIs(t, err, ErrConflict, "missing row with a version")

	got, found, err := s.GetConversation(ctx, c.Key)
	require.NoError(t, err)
	require.True(t, found)
	assert.JSONEq(t, `{"step":"confirm"}`, string(got.State))
	assert.EqualValues(t, 2, got.Version)
	assert.True(t, got.UpdatedAt.Equal(t0), "UpdatedAt from the clock: %v", got.UpdatedAt)
	assert.True(t, got.ExpiresAt.Equal(t0.Add(time.Hour)))
	assert.Equal(t, time.UTC, got.ExpiresAt.Location())

	require.NoError(t, s.DeleteConversation(ctx, c.Key))
	require.NoError(t, s.DeleteConversation(ctx, c.Key), "deleting a missing conversation")
	_, found, err = s.GetConversation(ctx, c.Key)
	require.NoError(t, err)
	require.False(t, found)
	v, err = s.PutConversation(ctx, c, 0)
	require.NoError(t, err)
	require.EqualValues(t, 1, v, "a deleted conversation starts again")
}

func testConversationConcurrentWriters(t *testing.T, s Store) {
	ctx := context.Background()
	_, err := s.PutConversation(ctx, Conversation{Key: "k", State: []byte(`{}`)}, 0)
	require.NoError(t, err)
	const n = 20
	var wins, conflicts int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.PutConversation(ctx, Conversation{Key: "k", State: fmt.Appendf(nil, `{"w":%d}`, i)}, 1)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrConflict):
				conflicts++
			default:
				t.Errorf("put: %v", err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
	assert.Equal(t, n-1, conflicts)
}

func testConversationExpiry(t *testing.T, s Store) {
	ctx := context.Background()
	for i, exp := range []time.Time{t0.Add(-time.Minute), t0, t0.Add(time.Minute), {}} {
		_, err := s.PutConversation(ctx, Conversation{Key: fmt.Sprint("c", i), State: []byte(`{}`), ExpiresAt: exp}, 0)
		require.NoError(t, err)
	}
	expired, err := s.ListExpiredConversations(ctx, t0, 10)
	require.NoError(t, err)
	require.Len(t, expired, 2)
	assert.Equal(t, "c0", expired[0].Key, "oldest expiry first")
	assert.Equal(t, "c1", expired[1].Key)

	n, err := s.PurgeExpiredConversations(ctx, t0)
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	for i, want := range []bool{false, false, true, true} {
		_, found, err := s.GetConversation(ctx, fmt.Sprint("c", i))
		require.NoError(t, err)
		assert.Equal(t, want, found, "c%d", i)
	}
	n, err = s.PurgeExpiredConversations(ctx, t0.Add(100*365*24*time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "a conversation without expiry is never purged")
}

func testClaimEventOnce(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 50
	var firsts, errs int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			first, err := s.ClaimEvent(ctx, "Y2lzY29zcGFyazovL21lc3NhZ2UvMQ", t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				t.Errorf("claim: %v", err)
			}
			if first {
				firsts++
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, firsts, "one claimer wins")
	assert.Zero(t, errs)

	first, err := s.ClaimEvent(ctx, "another", t0)
	require.NoError(t, err)
	assert.True(t, first)
	_, err = s.ClaimEvent(ctx, "", t0)
	assert.Error(t, err)
}

func testPruneEvents(t *testing.T, s Store) {
	ctx := context.Background()
	for i := range 3 {
		first, err := s.ClaimEvent(ctx, fmt.Sprint("e", i), t0.Add(time.Duration(i)*time.Hour))
		require.NoError(t, err)
		require.True(t, first)
	}
	n, err := s.PruneEvents(ctx, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	first, err := s.ClaimEvent(ctx, "e0", t0)
	require.NoError(t, err)
	assert.True(t, first, "a pruned id is new again")
	first, err = s.ClaimEvent(ctx, "e1", t0)
	require.NoError(t, err)
	assert.False(t, first, "a kept id is still a duplicate")
}

func sampleMeeting(key string) Meeting {
	return Meeting{
		IdempotencyKey: key,
		OrganizerEmail: "Jean.Tremblay@example.org",
		OrganizerName:  "Jean Tremblay",
		DesignateEmail: "marie.cote@example.org",
		DesignateName:  "Marie Côté",
		Title:          "Rencontre d'équipe",
		Start:          t0.Add(24 * time.Hour),
		End:            t0.Add(25 * time.Hour),
		TimeZone:       "America/Toronto",
		Lang:           "fr",
		RoomID:         "room-1",
	}
}

func testBeginMeetingIdempotent(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 20
	var (
		mu      sync.Mutex
		created int
		ids     = map[string]int{}
		wg      sync.WaitGroup
	)
	for range n {
		wg.Go(func() {
			m, c, err := s.BeginMeeting(ctx, sampleMeeting("conv-1/confirm-1"))
			if !assert.NoError(t, err) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[m.ID]++
			if c {
				created++
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, created, "exactly one intent recorded")
	assert.Len(t, ids, 1, "every caller sees the same ledger entry")
	assert.Equal(t, n, ids[func() string {
		for id := range ids {
			return id
		}
		return ""
	}()])

	_, _, err := s.BeginMeeting(ctx, Meeting{})
	assert.Error(t, err, "an empty idempotency key is refused")
}

func testMeetingLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	in := sampleMeeting("k1")
	m, created, err := s.BeginMeeting(ctx, in)
	require.NoError(t, err)
	require.True(t, created)
	assert.NotEmpty(t, m.ID)
	assert.Equal(t, MeetingPending, m.Status)

	got, err := s.GetMeeting(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, m, got, "BeginMeeting returns what is stored")
	assert.Equal(t, in.OrganizerEmail, got.OrganizerEmail, "the address is kept as given")
	assert.True(t, got.Start.Equal(in.Start))
	assert.Equal(t, "America/Toronto", got.TimeZone)

	again, created, err := s.BeginMeeting(ctx, sampleMeeting("k1"))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, m.ID, again.ID)

	require.NoError(t, s.MarkMeetingCreated(ctx, m.ID, "webex-123"))
	got, err = s.GetMeetingByKey(ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, MeetingCreated, got.Status)
	assert.Equal(t, "webex-123", got.WebexMeetingID)
	got, err = s.GetMeetingByWebexID(ctx, "webex-123")
	require.NoError(t, err)
	assert.Equal(t, m.ID, got.ID)

	again, created, err = s.BeginMeeting(ctx, sampleMeeting("k1"))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, MeetingCreated, again.Status, "a replayed confirmation sees the created meeting")

	require.NoError(t, s.MarkMeetingCancelled(ctx, m.ID))
	got, err = s.GetMeeting(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, MeetingCancelled, got.Status)

	f, _, err := s.BeginMeeting(ctx, sampleMeeting("k2"))
	require.NoError(t, err)
	require.NoError(t, s.MarkMeetingFailed(ctx, f.ID, "webex: 400 invalid start"))
	got, err = s.GetMeeting(ctx, f.ID)
	require.NoError(t, err)
	assert.Equal(t, MeetingFailed, got.Status)
	assert.Equal(t, "webex: 400 invalid start", got.FailReason)

	_, err = s.GetMeeting(ctx, "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.GetMeetingByKey(ctx, "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.GetMeetingByWebexID(ctx, "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.GetMeetingByWebexID(ctx, "")
	assert.ErrorIs(t, err, ErrNotFound, "pending meetings have no Webex id to match")
	assert.ErrorIs(t, s.MarkMeetingCreated(ctx, "nope", "w"), ErrNotFound)
	assert.ErrorIs(t, s.MarkMeetingFailed(ctx, "nope", "r"), ErrNotFound)
	assert.ErrorIs(t, s.MarkMeetingCancelled(ctx, "nope"), ErrNotFound)
}

func testListUpcoming(t *testing.T, s Store) {
	ctx := context.Background()
	add := func(key, organizer string, start time.Duration, status MeetingStatus) string {
		m := sampleMeeting(key)
		m.OrganizerEmail = organizer
		m.Start, m.End = t0.Add(start), t0.Add(start+time.Hour)
		m, _, err := s.BeginMeeting(ctx, m)
		require.NoError(t, err)
		switch status {
		case MeetingCreated:
			require.NoError(t, s.MarkMeetingCreated(ctx, m.ID, "w-"+key))
		case MeetingCancelled:
			require.NoError(t, s.MarkMeetingCreated(ctx, m.ID, "w-"+key))
			require.NoError(t, s.MarkMeetingCancelled(ctx, m.ID))
		}
		return m.ID
	}
	third := add("third", "jean@example.org", 72*time.Hour, MeetingCreated)
	first := add("first", "JEAN@example.org", 2*time.Hour, MeetingCreated)
	ongoing := add("ongoing", "jean@example.org", -30*time.Minute, MeetingCreated)
	add("past", "jean@example.org", -2*time.Hour, MeetingCreated)
	add("cancelled", "jean@example.org", 3*time.Hour, MeetingCancelled)
	add("pending", "jean@example.org", 4*time.Hour, MeetingPending)
	add("other", "paul@example.org", 5*time.Hour, MeetingCreated)
	second := add("second", "jean@example.org", 24*time.Hour, MeetingCreated)

	list, err := s.ListUpcomingMeetings(ctx, "Jean@Example.org", t0, 10)
	require.NoError(t, err)
	var ids []string
	for _, m := range list {
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{ongoing, first, second, third}, ids, "created, not ended, by start")

	list, err = s.ListUpcomingMeetings(ctx, "jean@example.org", t0, 2)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	list, err = s.ListUpcomingMeetings(ctx, "nobody@example.org", t0, 10)
	require.NoError(t, err)
	assert.Empty(t, list)
}

func testListPending(t *testing.T, s Store) {
	ctx := context.Background()
	clock := t0
	st := s.(*sqlStore)
	st.queries.now = func() time.Time { return clock }
	a, _, err := s.BeginMeeting(ctx, sampleMeeting("a"))
	require.NoError(t, err)
	clock = t0.Add(time.Minute)
	b, _, err := s.BeginMeeting(ctx, sampleMeeting("b"))
	require.NoError(t, err)
	c, _, err := s.BeginMeeting(ctx, sampleMeeting("c"))
	require.NoError(t, err)
	require.NoError(t, s.MarkMeetingCreated(ctx, c.ID, "w"))
	clock = t0.Add(time.Hour)
	_, _, err = s.BeginMeeting(ctx, sampleMeeting("recent"))
	require.NoError(t, err)

	list, err := s.ListPendingMeetings(ctx, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, a.ID, list[0].ID, "oldest first")
	assert.Equal(t, b.ID, list[1].ID)
}

func keys(items []OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func testOutboxLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	enqueue := func(key string, due time.Time) {
		created, err := s.Enqueue(ctx, OutboxItem{Key: key, Kind: "designate", Payload: []byte(`{"m":"` + key + `"}`), DueAt: due})
		require.NoError(t, err)
		require.True(t, created)
	}
	enqueue("b", t0.Add(-time.Minute))
	enqueue("a", t0.Add(-2*time.Minute))
	enqueue("later", t0.Add(time.Hour))
	created, err := s.Enqueue(ctx, OutboxItem{Key: "a", Kind: "designate", DueAt: t0})
	require.NoError(t, err)
	assert.False(t, created, "the key deduplicates")
	created, err = s.Enqueue(ctx, OutboxItem{Key: "now", Kind: "organizer"})
	require.NoError(t, err)
	assert.True(t, created, "a zero DueAt means now")
	_, err = s.Enqueue(ctx, OutboxItem{Kind: "x"})
	assert.Error(t, err)

	// A caller may choose the id, to know it without reading the item back.
	created, err = s.Enqueue(ctx, OutboxItem{ID: "chosen-id", Key: "chosen", Kind: "designate", DueAt: t0.Add(time.Hour)})
	require.NoError(t, err)
	require.True(t, created)
	chosen, err := s.GetOutboxItem(ctx, "chosen")
	require.NoError(t, err)
	assert.Equal(t, "chosen-id", chosen.ID)
	created, err = s.Enqueue(ctx, OutboxItem{ID: "other-id", Key: "chosen", Kind: "designate"})
	require.NoError(t, err)
	assert.False(t, created, "the key deduplicates whatever the id")
	require.NoError(t, s.CancelByKey(ctx, "chosen"))

	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, depth)

	items, err := s.ClaimDue(ctx, "w1", t0, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "now"}, keys(items), "due items by due time")
	for _, it := range items {
		assert.Equal(t, 1, it.Attempts)
		assert.Equal(t, "w1", it.LeaseOwner)
		assert.True(t, it.LeaseUntil.Equal(t0.Add(time.Minute)))
		assert.Equal(t, OutboxPending, it.Status)
	}
	assert.JSONEq(t, `{"m":"a"}`, string(items[0].Payload))

	again, err := s.ClaimDue(ctx, "w2", t0.Add(30*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again, "leased items are not claimed twice")

	a, b, now := items[0], items[1], items[2]
	require.NoError(t, s.Complete(ctx, a.ID))
	require.NoError(t, s.Retry(ctx, b.ID, t0.Add(10*time.Minute), "webex 503"))
	require.NoError(t, s.Fail(ctx, now.ID, "webex 404 person"))

	got, err := s.GetOutboxItem(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, OutboxDone, got.Status)
	got, err = s.GetOutboxItem(ctx, "now")
	require.NoError(t, err)
	assert.Equal(t, OutboxFailed, got.Status)
	assert.Equal(t, "webex 404 person", got.LastError)
	got, err = s.GetOutboxItem(ctx, "b")
	require.NoError(t, err)
	assert.Equal(t, OutboxPending, got.Status)
	assert.Equal(t, "webex 503", got.LastError)
	assert.Empty(t, got.LeaseOwner, "retry releases the lease")

	depth, err = s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, depth, "b and later")

	items, err = s.ClaimDue(ctx, "w1", t0.Add(9*time.Minute), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "a retried item waits for its next time")
	items, err = s.ClaimDue(ctx, "w2", t0.Add(10*time.Minute), 3*time.Hour, 10)
	require.NoError(t, err)
	require.Equal(t, []string{"b"}, keys(items))
	assert.Equal(t, 2, items[0].Attempts)

	require.NoError(t, s.CancelByKey(ctx, "later"))
	require.NoError(t, s.CancelByKey(ctx, "a"), "a finished item stays as is")
	require.NoError(t, s.CancelByKey(ctx, "missing"))
	items, err = s.ClaimDue(ctx, "w1", t0.Add(2*time.Hour), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "cancelled and done items are never claimed; b is leased")
	got, err = s.GetOutboxItem(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, OutboxDone, got.Status)
	got, err = s.GetOutboxItem(ctx, "later")
	require.NoError(t, err)
	assert.Equal(t, OutboxCancelled, got.Status)

	created, err = s.Enqueue(ctx, OutboxItem{Key: "later", Kind: "designate"})
	require.NoError(t, err)
	assert.False(t, created, "a cancelled key is not enqueued again")

	assert.ErrorIs(t, s.Complete(ctx, "nope"), ErrNotFound)
	assert.ErrorIs(t, s.Retry(ctx, "nope", t0, "x"), ErrNotFound)
	assert.ErrorIs(t, s.Fail(ctx, "nope", "x"), ErrNotFound)
	_, err = s.GetOutboxItem(ctx, "nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.ClaimDue(ctx, "", t0, time.Minute, 1)
	assert.Error(t, err)
}

func testOutboxLeaseExpiry(t *testing.T, s Store) {
	ctx := context.Background()
	_, err := s.Enqueue(ctx, OutboxItem{Key: "k", Kind: "designate", DueAt: t0})
	require.NoError(t, err)
	items, err := s.ClaimDue(ctx, "crashed", t0, time.Minute, 1)
	require.NoError(t, err)
	require.Len(t, items, 1)

	items, err = s.ClaimDue(ctx, "survivor", t0.Add(time.Minute-time.Millisecond), time.Minute, 1)
	require.NoError(t, err)
	assert.Empty(t, items, "still leased")
	items, err = s.ClaimDue(ctx, "survivor", t0.Add(time.Minute), time.Minute, 1)
	require.NoError(t, err)
	require.Len(t, items, 1, "an expired lease is claimed again")
	assert.Equal(t, "survivor", items[0].LeaseOwner)
	assert.Equal(t, 2, items[0].Attempts)
}

func testClaimDueConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	const n, claimers = 200, 4
	err := s.WithTx(ctx, func(tx Tx) error {
		for i := range n {
			if _, err := tx.Enqueue(ctx, OutboxItem{Key: fmt.Sprint("item-", i), Kind: "designate",
				DueAt: t0.Add(-time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)

	var (
		mu     sync.Mutex
		counts = map[string]int{}
		wg     sync.WaitGroup
	)
	for c := range claimers {
		wg.Go(func() {
			owner := fmt.Sprint("replica-", c)
			for {
				items, err := s.ClaimDue(ctx, owner, t0, time.Hour, 7)
				if !assert.NoError(t, err) || len(items) == 0 {
					return
				}
				for _, it := range items {
					mu.Lock()
					counts[it.Key]++
					mu.Unlock()
					if !assert.NoError(t, s.Complete(ctx, it.ID)) {
						return
					}
				}
			}
		})
	}
	wg.Wait()
	assert.Len(t, counts, n, "every item claimed")
	for k, c := range counts {
		assert.Equal(t, 1, c, "item %s claimed %d times", k, c)
	}
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, depth)
}

func testReminders(t *testing.T, s Store) {
	ctx := context.Background()
	m, _, err := s.BeginMeeting(ctx, sampleMeeting("r"))
	require.NoError(t, err)
	at := m.Start.Add(-30 * time.Minute)
	require.NoError(t, s.ScheduleReminder(ctx, m.ID, at.Add(-time.Hour)))
	require.NoError(t, s.ScheduleReminder(ctx, m.ID, at), "scheduling again moves the reminder")

	items, err := s.ClaimDue(ctx, "w", at.Add(-time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "not due yet")
	items, err = s.ClaimDue(ctx, "w", at, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, KindReminder, items[0].Kind)
	assert.Equal(t, ReminderKey(m.ID), items[0].Key)
	var p ReminderPayload
	require.NoError(t, json.Unmarshal(items[0].Payload, &p))
	assert.Equal(t, m.ID, p.MeetingID)
	require.NoError(t, s.Complete(ctx, items[0].ID))
	require.NoError(t, s.ScheduleReminder(ctx, m.ID, at.Add(time.Hour)))
	got, err := s.GetOutboxItem(ctx, ReminderKey(m.ID))
	require.NoError(t, err)
	assert.Equal(t, OutboxDone, got.Status, "a sent reminder is not sent again")

	m2, _, err := s.BeginMeeting(ctx, sampleMeeting("r2"))
	require.NoError(t, err)
	require.NoError(t, s.ScheduleReminder(ctx, m2.ID, at))
	require.NoError(t, s.WithTx(ctx, func(tx Tx) error {
		if err := tx.MarkMeetingCancelled(ctx, m2.ID); err != nil {
			return err
		}
		return tx.CancelReminder(ctx, m2.ID)
	}))
	items, err = s.ClaimDue(ctx, "w", at.Add(time.Hour), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "a cancelled meeting's reminder is never sent")
	require.NoError(t, s.ScheduleReminder(ctx, m2.ID, at.Add(2*time.Hour)))
	items, err = s.ClaimDue(ctx, "w", at.Add(3*time.Hour), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "a cancelled reminder is not revived")
	require.NoError(t, s.CancelReminder(ctx, "no-such-meeting"))
	assert.Error(t, s.ScheduleReminder(ctx, "", at))
}

func testWithTxCommits(t *testing.T, s Store) {
	ctx := context.Background()
	err := s.WithTx(ctx, func(tx Tx) error {
		if _, err := tx.PutConversation(ctx, Conversation{Key: "c", State: []byte(`{"s":1}`)}, 0); err != nil {
			return err
		}
		first, err := tx.ClaimEvent(ctx, "ev", t0)
		if err != nil || !first {
			return fmt.Errorf("claim: %v %v", first, err)
		}
		_, err = tx.Enqueue(ctx, OutboxItem{Key: "designate:x", Kind: "designate"})
		return err
	})
	require.NoError(t, err)
	_, found, err := s.GetConversation(ctx, "c")
	require.NoError(t, err)
	assert.True(t, found)
	first, err := s.ClaimEvent(ctx, "ev", t0)
	require.NoError(t, err)
	assert.False(t, first)
	_, err = s.GetOutboxItem(ctx, "designate:x")
	assert.NoError(t, err)
}

func testWithTxRollsBack(t *testing.T, s Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.WithTx(ctx, func(tx Tx) error {
		if _, err := tx.PutConversation(ctx, Conversation{Key: "c", State: []byte(`{}`)}, 0); err != nil {
			return err
		}
		if _, err := tx.ClaimEvent(ctx, "ev", t0); err != nil {
			return err
		}
		if _, _, err := tx.BeginMeeting(ctx, sampleMeeting("m")); err != nil {
			return err
		}
		if _, err := tx.Enqueue(ctx, OutboxItem{Key: "designate:x", Kind: "designate"}); err != nil {
			return err
		}
		c, found, err := tx.GetConversation(ctx, "c")
		if err != nil || !found || c.Version != 1 {
			return fmt.Errorf("read own write: %v %v %v", c, found, err)
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, found, err := s.GetConversation(ctx, "c")
	require.NoError(t, err)
	assert.False(t, found)
	first, err := s.ClaimEvent(ctx, "ev", t0)
	require.NoError(t, err)
	assert.True(t, first, "the rolled back claim is forgotten")
	_, err = s.GetMeetingByKey(ctx, "m")
	assert.ErrorIs(t, err, ErrNotFound)
	depth, err := s.OutboxDepth(ctx)
	require.NoError(t, err)
	assert.Zero(t, depth)

	require.Panics(t, func() {
		_ = s.WithTx(ctx, func(tx Tx) error {
			_, _ = tx.Enqueue(ctx, OutboxItem{Key: "p", Kind: "k"})
			panic("bug")
		})
	})
	_, err = s.GetOutboxItem(ctx, "p")
	assert.ErrorIs(t, err, ErrNotFound, "a panic rolls back")
	require.NoError(t, s.Ping(ctx), "the store still works after a panic")
}

// testWithTxConcurrent runs read-modify-write transactions on one conversation at once: every
// increment lands, through conflicts and retries.
func testWithTxConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	_, err := s.PutConversation(ctx, Conversation{Key: "n", State: []byte(`0`)}, 0)
	require.NoError(t, err)
	const n = 10
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for {
				err := s.WithTx(ctx, func(tx Tx) error {
					c, _, err := tx.GetConversation(ctx, "n")
					if err != nil {
						return err
					}
					var v int
					if err := json.Unmarshal(c.State, &v); err != nil {
						return err
					}
					c.State = fmt.Append(nil, v+1)
					if _, err := tx.PutConversation(ctx, c, c.Version); err != nil {
						return err
					}
					_, err = tx.ClaimEvent(ctx, fmt.Sprint("ev-", i), t0)
					return err
				})
				if errors.Is(err, ErrConflict) {
					continue
				}
				assert.NoError(t, err)
				return
			}
		})
	}
	wg.Wait()
	c, _, err := s.GetConversation(ctx, "n")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(n), string(c.State))
	assert.EqualValues(t, n+1, c.Version)
}

func testSurvivesReopen(t *testing.T, dsn string) {
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	require.NoError(t, err)
	_, err = s.PutConversation(ctx, Conversation{Key: "c", State: []byte(`{"step":"confirm"}`)}, 0)
	require.NoError(t, err)
	m, _, err := s.BeginMeeting(ctx, sampleMeeting("k"))
	require.NoError(t, err)
	_, err = s.Enqueue(ctx, OutboxItem{Key: "designate:" + m.ID, Kind: "designate", DueAt: t0})
	require.NoError(t, err)
	_, err = s.ClaimEvent(ctx, "ev", t0)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s = openStore(t, dsn)
	c, found, err := s.GetConversation(ctx, "c")
	require.NoError(t, err)
	require.True(t, found)
	assert.JSONEq(t, `{"step":"confirm"}`, string(c.State))
	got, err := s.GetMeetingByKey(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, m.ID, got.ID)
	items, err := s.ClaimDue(ctx, "w", t0, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"designate:" + m.ID}, keys(items), "a pending send resumes after a restart")
	first, err := s.ClaimEvent(ctx, "ev", t0)
	require.NoError(t, err)
	assert.False(t, first)
}

func testConcurrentOpens(t *testing.T, dsn string) {
	const n = 3
	stores := make([]Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "replica %d", i)
		t.Cleanup(func() { _ = stores[i].Close() })
	}
	ctx := context.Background()
	if st := stores[0].(*sqlStore); st.dialect == DialectPostgres {
		var applied int
		require.NoError(t, st.db.QueryRowContext(ctx,
			`SELECT COUNT(*) FROM `+migrationTable+` WHERE version_id = 1`).Scan(&applied))
		assert.Equal(t, 1, applied, "one replica applied the migration, under the lock")
	}
	for i, s := range stores {
		first, err := s.ClaimEvent(ctx, "shared", t0)
		require.NoError(t, err)
		assert.Equal(t, i == 0, first, "the replicas share one database")
	}
}

// testTwoReplicas runs two stores on one database, as two processes would: each event, intent
// and outbox item is taken by exactly one of them.
func testTwoReplicas(t *testing.T, a, b Store) {
	ctx := context.Background()
	const n = 100
	for i := range n {
		_, err := a.Enqueue(ctx, OutboxItem{Key: fmt.Sprint("designate:", i), Kind: "designate", DueAt: t0})
		require.NoError(t, err)
	}
	var (
		mu                       sync.Mutex
		events, meetings, claims = map[string]int{}, map[string]int{}, map[string]int{}
		wg                       sync.WaitGroup
	)
	for r, s := range []Store{a, b, a, b} {
		wg.Go(func() {
			for i := range n {
				ev := fmt.Sprint("event-", i)
				first, err := s.ClaimEvent(ctx, ev, t0)
				if !assert.NoError(t, err) {
					return
				}
				err = s.WithTx(ctx, func(tx Tx) error {
					_, created, err := tx.BeginMeeting(ctx, sampleMeeting(ev))
					if err == nil && created {
						mu.Lock()
						meetings[ev]++
						mu.Unlock()
					}
					return err
				})
				if !assert.NoError(t, err) {
					return
				}
				items, err := s.ClaimDue(ctx, fmt.Sprint("replica-", r), t0, time.Hour, 3)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				if first {
					events[ev]++
				}
				for _, it := range items {
					claims[it.Key]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, events, n)
	assert.Len(t, meetings, n)
	assert.Len(t, claims, n)
	for _, m := range []map[string]int{events, meetings, claims} {
		for k, c := range m {
			assert.Equal(t, 1, c, "%s taken %d times", k, c)
		}
	}
}

// TestNoSecretFields guards the rule that no host key or meeting password is ever stored.
func TestNoSecretFields(t *testing.T) {
	t.Parallel()
	for _, v := range []any{Conversation{}, Meeting{}, OutboxItem{}, ReminderPayload{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			name := strings.ToLower(typ.Field(i).Name)
			for _, bad := range []string{"hostkey", "password", "pin", "secret", "token"} {
				assert.NotContains(t, name, bad, "%s.%s", typ.Name(), typ.Field(i).Name)
			}
		}
	}
}

func testPruneOutbox(t *testing.T, s Store) {
	ctx := context.Background()
	for _, k := range []string{"done", "failed", "cancelled", "pending"} {
		created, err := s.Enqueue(ctx, OutboxItem{Key: k, Kind: "designate", DueAt: t0.Add(time.Hour)})
		require.NoError(t, err)
		require.True(t, created)
	}
	get := func(k string) OutboxItem {
		it, err := s.GetOutboxItem(ctx, k)
		require.NoError(t, err)
		return it
	}
	require.NoError(t, s.Complete(ctx, get("done").ID))
	require.NoError(t, s.Fail(ctx, get("failed").ID, "gave up"))
	require.NoError(t, s.CancelByKey(ctx, "cancelled"))

	n, err := s.PruneOutbox(ctx, t0)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing finished before t0")
	n, err = s.PruneOutbox(ctx, t0.Add(time.Millisecond))
	require.NoError(t, err)
	assert.EqualValues(t, 3, n, "every finished item, whatever how it finished")
	_, err = s.GetOutboxItem(ctx, "done")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, OutboxPending, get("pending").Status, "pending items are never pruned")
}
