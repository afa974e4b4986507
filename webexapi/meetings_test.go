package webexapi

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/relaisbot/relais/webexapi/webextest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func meetingRequest(start time.Time) *MeetingRequest {
	return &MeetingRequest{
		Title: "Suivi de dossier", Start: FormatTime(start), End: FormatTime(start.Add(time.Hour)),
		Timezone: "America/Toronto", EnabledJoinBeforeHost: true, JoinBeforeHostMinutes: 15,
		Invitees:  []Invitee{{Email: "marie.tremblay@example.com", DisplayName: "Marie Tremblay"}},
		SendEmail: Bool(true), HostEmail: "alex.martin@example.com",
	}
}

func TestMeetingsAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.MeetingsToken())
	ctx := context.Background()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)

	m, err := c.Meetings.Create(ctx, meetingRequest(start))
	require.NoError(t, err)
	assert.NotEmpty(t, m.ID)
	assert.Regexp(t, regexp.MustCompile(`^\d{10}$`), m.MeetingNumber)
	assert.Regexp(t, regexp.MustCompile(`^\d{6}$`), m.HostKey)
	assert.NotEmpty(t, m.Password)
	assert.NotEmpty(t, m.WebLink)
	assert.NotEmpty(t, m.SipAddress)
	assert.True(t, m.EnabledJoinBeforeHost)
	assert.Equal(t, 15, m.JoinBeforeHostMinutes)
	assert.Equal(t, "alex.martin@example.com", m.HostEmail)
	assert.NotEmpty(t, m.Telephony.AccessCode)
	require.NotEmpty(t, m.Telephony.CallInNumbers)
	assert.NotEmpty(t, m.Telephony.CallInNumbers[0].Label)
	assert.True(t, m.StartTime().Equal(start), "%s", m.Start)

	got, err := c.Meetings.Get(ctx, m.ID, &MeetingGetOptions{HostEmail: "alex.martin@example.com"})
	require.NoError(t, err)
	assert.Equal(t, m.ID, got.ID)
	assert.Equal(t, m.HostKey, got.HostKey)

	var ids []string
	for mt, err := range c.Meetings.All(ctx, &MeetingListOptions{HostEmail: "alex.martin@example.com", MeetingType: "meetingSeries", Max: 1}) {
		require.NoError(t, err)
		ids = append(ids, mt.ID)
	}
	assert.Contains(t, ids, m.ID)

	patched, err := c.Meetings.Patch(ctx, m.ID, &MeetingPatchRequest{Title: String("Nouveau titre"), HostEmail: "alex.martin@example.com"})
	require.NoError(t, err)
	assert.Equal(t, "Nouveau titre", patched.Title)
	assert.True(t, patched.EnabledJoinBeforeHost, "untouched fields stay")

	require.NoError(t, c.Meetings.Delete(ctx, m.ID, &MeetingDeleteOptions{HostEmail: "alex.martin@example.com", SendEmail: Bool(false)}))
	_, err = c.Meetings.Get(ctx, m.ID, &MeetingGetOptions{HostEmail: "alex.martin@example.com"})
	assert.True(t, IsNotFound(err), "%v", err)
}

func TestMeetingsFailuresAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	ctx := context.Background()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)

	bot, _ := newFakeClient(t, fake, fake.BotToken())
	_, err := bot.Meetings.Create(ctx, meetingRequest(start))
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.True(t, IsForbidden(err), "a bot token cannot schedule meetings")
	assert.NotEmpty(t, apiErr.TrackingID)

	c, rec := newFakeClient(t, fake, fake.MeetingsToken())
	req := meetingRequest(start)
	req.JoinBeforeHostMinutes = 20
	_, err = c.Meetings.Create(ctx, req)
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.True(t, IsBadRequest(err))
	assert.NotEmpty(t, apiErr.Errors, "Webex explains in errors[].description")

	_, err = c.Meetings.Create(ctx, meetingRequest(time.Now().Add(-time.Hour)))
	assert.True(t, IsBadRequest(err), "start in the past: %v", err)
	assert.Empty(t, rec.all())
}

func TestMeetingsWithRefreshingTokenAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{MeetingsTokenTTL: time.Hour})
	rt, err := NewRefreshingToken(RefreshConfig{TokenURL: fake.APIURL() + "/access_token",
		ClientID: "client-id", ClientSecret: "client-secret", RefreshToken: "refresh-token"})
	require.NoError(t, err)
	c, err := NewClient(WithBaseURL(fake.APIURL()), WithTokenSource(rt))
	require.NoError(t, err)
	m, err := c.Meetings.Create(context.Background(), meetingRequest(time.Now().Add(24*time.Hour).Truncate(time.Hour)))
	require.NoError(t, err)
	assert.NotEmpty(t, m.HostKey)
}
