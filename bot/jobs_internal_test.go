package bot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// Every kind the bot writes has a runner, and reads back what it wrote.
func TestJobKindsAreRegistered(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{kindEvent, kindIntake, kindDesignate, store.KindReminder, kindCancelNotice,
		store.KindOccurrenceReminder, kindSeriesNotice, kindChanged, kindReleased, kindAccount, kindAbandoned} {
		_, ok := jobKinds[kind]
		assert.True(t, ok, kind)
	}
	for _, c := range []jobCodec[jobPayload]{designateJob, cancelNoticeJob, seriesNoticeJob, changedJob, releasedJob} {
		got, ok := meetingJobCodec(c.kind)
		assert.True(t, ok, c.kind)
		assert.Equal(t, c.kind, got.kind)
	}
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	it, err := occurrenceReminderJob.item("id", store.OccurrenceReminderKey("m1", at), store.OccurrenceReminderPayload{MeetingID: "m1", Occurrence: at}, at)
	require.NoError(t, err)
	assert.Equal(t, store.KindOccurrenceReminder, it.Kind)
	p, err := occurrenceReminderJob.decode(it)
	require.NoError(t, err)
	assert.True(t, p.Occurrence.Equal(at))
	ev, err := eventJob.item("id", eventKey("m"), webexapi.Event{ID: "m", Kind: webexapi.EventMessageCreated}, at)
	require.NoError(t, err)
	back, err := eventJob.decode(ev)
	require.NoError(t, err)
	assert.Equal(t, "m", back.ID)
}

// Rows already in a database are read: a reminder written by the store, a resend recorded before
// the payload said so, and a payload that cannot run is refused, not run half.
func TestJobPayloadsOfStoredRows(t *testing.T) {
	t.Parallel()
	p, err := reminderJob.decode(store.OutboxItem{Kind: store.KindReminder, Payload: []byte(`{"meetingId":"m1"}`)})
	require.NoError(t, err)
	assert.Equal(t, "m1", p.MeetingID)

	old := store.OutboxItem{Kind: kindDesignate, Key: "resend:m1:ev1", Payload: []byte(`{"meetingId":"m1"}`)}
	d, err := designateJob.decode(old)
	require.NoError(t, err)
	assert.True(t, isResend(old, d), "an old resend row is told by its key")
	first := store.OutboxItem{Kind: kindDesignate, Key: designateKey("m1"), Payload: []byte(`{"meetingId":"m1"}`)}
	d, err = designateJob.decode(first)
	require.NoError(t, err)
	assert.False(t, isResend(first, d))
	assert.Equal(t, "resend:m1:ev1", resendKey("m1", "ev1"))

	for _, bad := range []store.OutboxItem{
		{Kind: kindDesignate, Payload: []byte(`{}`)},
		{Kind: kindChanged, Payload: []byte(`{"meetingId":"m1"}`)}, // a change without its before
		{Kind: kindIntake, Payload: []byte(`not json`)},
	} {
		var err error
		switch bad.Kind {
		case kindDesignate:
			_, err = designateJob.decode(bad)
		case kindChanged:
			_, err = changedJob.decode(bad)
		case kindIntake:
			_, err = intakeJob.decode(bad)
		}
		assert.ErrorIs(t, err, errUnreadableJob, bad.Kind)
	}
}

// A series notice's key carries its occurrence, written and read back the same.
func TestSeriesNoticeKey(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	id, occ, err := seriesNoticeOf(seriesNoticeKey("m1", at))
	require.NoError(t, err)
	assert.Equal(t, "m1", id)
	assert.True(t, occ.Equal(at))
	id, occ, err = seriesNoticeOf(seriesNoticeKey("m1", time.Time{}))
	require.NoError(t, err)
	assert.Equal(t, "m1", id)
	assert.True(t, occ.IsZero(), "the whole series")
	_, _, err = seriesNoticeOf("seriesnotice:m1@garbage")
	assert.Error(t, err)
}

// Each kind says which meeting it is about, from its own payload type (the organizer's token is
// picked by it).
func TestJobMeetingID(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	occ, err := occurrenceReminderJob.item("id", store.OccurrenceReminderKey("m2", at), store.OccurrenceReminderPayload{MeetingID: "m2", Occurrence: at}, at)
	require.NoError(t, err)
	for want, it := range map[string]store.OutboxItem{
		"m1": {Kind: store.KindReminder, Payload: []byte(`{"meetingId":"m1"}`)},
		"m2": occ,
		"m3": {Kind: kindChanged, Payload: []byte(`{"meetingId":"m3","before":{}}`)},
		"m4": {Kind: kindSeriesNotice, Payload: []byte(`{"meetingId":"m4"}`)},
		"":   {Kind: kindEvent, Payload: []byte(`{"id":"m5"}`)},
	} {
		assert.Equal(t, want, jobMeetingID(it), it.Kind)
	}
}
