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
