package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store"
)

// TestSweepNoticeNotDoubledWhenRunAgain: the sweep's job told the organizer that nothing was
// created, and its completion was lost: the outbox runs it again, and the organizer is told once
// (the job looks in the 1:1 space before telling again).
func TestSweepNoticeNotDoubledWhenRunAgain(t *testing.T) {
	t.Parallel()
	o, lost := withLostCompletion(harnessOptions{})
	h := newHarness(t, o)
	ctx := context.Background()
	start := time.Date(2026, 6, 17, 14, 0, 0, 0, mustZone("America/Toronto"))
	m, created, err := h.rt.Store.BeginMeeting(ctx, store.Meeting{
		IdempotencyKey: "sweep-again", OrganizerEmail: alex, OrganizerName: "Alex Martin",
		DesignateEmail: marieGagnon, DesignateName: "Marie Gagnon", Title: "Point d'équipe",
		Start: start, End: start.Add(time.Hour), TimeZone: "America/Toronto", Lang: "fr",
	})
	require.NoError(t, err)
	require.True(t, created)

	lost.arm()
	h.clock.Advance(3 * time.Second) // past two leases: the sweep takes the intent up
	lost.runAgain(t, h, "abandoned intent")
	got, err := h.rt.Store.GetMeeting(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, store.MeetingFailed, got.Status)
	assert.Equal(t, 1, countContaining(h, alex, "n'a pas été créée"), texts(h.fake.BotMessages(alex)))
}
