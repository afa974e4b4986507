package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeriesLedger(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		testSeriesLedger(t, openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "relais.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		testSeriesLedger(t, openStore(t, postgresDSNFor(postgresBase(t))(t)))
	})
}

func testSeriesLedger(t *testing.T, s Store) {
	ctx := context.Background()
	add := func(key string, start time.Time) Meeting {
		m, created, err := s.BeginMeeting(ctx, Meeting{IdempotencyKey: key, OrganizerEmail: "Alex@example.com",
			DesignateEmail: "marie@example.com", Title: key, Start: start, End: start.Add(time.Hour), TimeZone: "UTC"})
		require.NoError(t, err)
		require.True(t, created)
		require.NoError(t, s.MarkMeetingCreated(ctx, m.ID, "webex-"+key))
		return m
	}
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	weekly := add("weekly", now.Add(48*time.Hour))
	endless := add("endless", now.Add(-30*24*time.Hour))
	over := add("over", now.Add(-60*24*time.Hour))
	single := add("single", now.Add(24*time.Hour))

	require.NoError(t, s.SaveSeries(ctx, Series{MeetingID: weekly.ID, Recurrence: "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6", LastEnd: now.Add(36 * 24 * time.Hour)}))
	require.NoError(t, s.SaveSeries(ctx, Series{MeetingID: endless.ID, Recurrence: "FREQ=DAILY;INTERVAL=1"}))
	require.NoError(t, s.SaveSeries(ctx, Series{MeetingID: over.ID, Recurrence: "FREQ=DAILY;INTERVAL=1;COUNT=2", LastEnd: now.Add(-58 * 24 * time.Hour)}))

	got, err := s.GetSeries(ctx, weekly.ID)
	require.NoError(t, err)
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=6", got.Recurrence)
	assert.True(t, got.LastEnd.Equal(now.Add(36*24*time.Hour)))
	_, err = s.GetSeries(ctx, single.ID)
	assert.True(t, errors.Is(err, ErrNotFound))

	list, err := s.ListUpcomingSeries(ctx, "alex@EXAMPLE.com", now, 10)
	require.NoError(t, err)
	var ids []string
	for _, m := range list {
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{endless.ID, weekly.ID}, ids, "series still running, by first start; never the ones over nor single meetings")

	require.NoError(t, s.MarkMeetingCancelled(ctx, weekly.ID))
	list, err = s.ListUpcomingSeries(ctx, "alex@example.com", now, 10)
	require.NoError(t, err)
	assert.Len(t, list, 1, "a cancelled series is no longer listed")

	assert.Equal(t, "reminder:abc@20261208T150000Z", OccurrenceReminderKey("abc", time.Date(2026, 12, 8, 10, 0, 0, 0, time.FixedZone("EST", -5*3600))))
}
