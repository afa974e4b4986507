package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A changed meeting keeps its ledger id and Webex id; its title, times and designate move, and
// the upcoming list shows it at its new place.
func testUpdateMeeting(t *testing.T, s Store) {
	ctx := context.Background()
	m, _, err := s.BeginMeeting(ctx, sampleMeeting("upd"))
	require.NoError(t, err)
	require.NoError(t, s.MarkMeetingCreated(ctx, m.ID, "webex-upd"))
	start := m.Start.Add(48 * time.Hour)
	u := MeetingUpdate{Title: "Bilan", Start: start, End: start.Add(2 * time.Hour), DesignateEmail: "jean.dupont@example.com", DesignateName: "Jean Dupont"}
	require.NoError(t, s.UpdateMeeting(ctx, m.ID, u))
	got, err := s.GetMeeting(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, "Bilan", got.Title)
	assert.True(t, got.Start.Equal(start) && got.End.Equal(start.Add(2*time.Hour)))
	assert.Equal(t, "jean.dupont@example.com", got.DesignateEmail)
	assert.Equal(t, "Jean Dupont", got.DesignateName)
	assert.Equal(t, "webex-upd", got.WebexMeetingID)
	assert.Equal(t, MeetingCreated, got.Status)

	err = s.UpdateMeeting(ctx, "no-such-id", u)
	assert.True(t, errors.Is(err, ErrNotFound), "%v", err)
	bad := u
	bad.End = bad.Start
	assert.Error(t, s.UpdateMeeting(ctx, m.ID, bad))
	require.NoError(t, s.WithTx(ctx, func(tx Tx) error { return tx.UpdateMeeting(ctx, m.ID, u) }))
}

// A moved meeting's reminder is due at the new time, even when the old one was already sent;
// a cancelled meeting's reminder is never revived.
func testMoveReminder(t *testing.T, s Store) {
	ctx := context.Background()
	m, _, err := s.BeginMeeting(ctx, sampleMeeting("move"))
	require.NoError(t, err)
	at := t0.Add(time.Hour)
	require.NoError(t, s.ScheduleReminder(ctx, m.ID, at))
	items, err := s.ClaimDue(ctx, "w", at, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.NoError(t, s.Complete(ctx, items[0].ID))

	later := at.Add(5 * time.Hour)
	require.NoError(t, s.MoveReminder(ctx, m.ID, later))
	items, err = s.ClaimDue(ctx, "w", later.Add(-time.Minute), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "not before its new time")
	items, err = s.ClaimDue(ctx, "w", later, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, items, 1, "the reminder of the new time is due")
	assert.Equal(t, ReminderKey(m.ID), items[0].Key)
	assert.Equal(t, 1, items[0].Attempts)

	// Leased (being sent): left alone.
	require.NoError(t, s.MoveReminder(ctx, m.ID, later.Add(time.Hour)))
	got, err := s.GetOutboxItem(ctx, ReminderKey(m.ID))
	require.NoError(t, err)
	assert.True(t, got.DueAt.Equal(later), "due %s", got.DueAt)

	m2, _, err := s.BeginMeeting(ctx, sampleMeeting("move2"))
	require.NoError(t, err)
	require.NoError(t, s.ScheduleReminder(ctx, m2.ID, at))
	require.NoError(t, s.CancelReminder(ctx, m2.ID))
	require.NoError(t, s.MoveReminder(ctx, m2.ID, later))
	got, err = s.GetOutboxItem(ctx, ReminderKey(m2.ID))
	require.NoError(t, err)
	assert.Equal(t, OutboxCancelled, got.Status)
	// A meeting without a reminder yet gets one.
	m3, _, err := s.BeginMeeting(ctx, sampleMeeting("move3"))
	require.NoError(t, err)
	require.NoError(t, s.MoveReminder(ctx, m3.ID, later))
	got, err = s.GetOutboxItem(ctx, ReminderKey(m3.ID))
	require.NoError(t, err)
	assert.Equal(t, OutboxPending, got.Status)
}
