package webexapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// A change moves the meeting with PUT and hands it over with the meeting invitees API: the
// new designate is invited (and e-mailed), the previous one removed, join before host kept.
func TestMeetingUpdateAndInviteesAgainstFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	c, _ := newFakeClient(t, fake, fake.MeetingsToken())
	ctx := context.Background()
	host := "alex.martin@example.com"
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	m, err := c.Meetings.Create(ctx, meetingRequest(start))
	require.NoError(t, err)

	later := start.Add(24 * time.Hour)
	req := meetingRequest(later)
	req.Title, req.Invitees = "Bilan", nil
	up, err := c.Meetings.Update(ctx, m.ID, req)
	require.NoError(t, err)
	assert.Equal(t, "Bilan", up.Title)
	assert.True(t, up.StartTime().Equal(later), "%s", up.Start)
	assert.True(t, up.EnabledJoinBeforeHost)
	assert.Equal(t, 15, up.JoinBeforeHostMinutes)

	// PUT replaces: leaving join before host out turns it off, as a full update does.
	bare := meetingRequest(later)
	bare.EnabledJoinBeforeHost, bare.JoinBeforeHostMinutes, bare.Invitees = false, 0, nil
	off, err := c.Meetings.Update(ctx, m.ID, bare)
	require.NoError(t, err)
	assert.False(t, off.EnabledJoinBeforeHost)
	_, err = c.Meetings.Update(ctx, m.ID, req)
	require.NoError(t, err)

	// Webex's rules apply to the new start.
	past := meetingRequest(time.Now().Add(-time.Hour))
	_, err = c.Meetings.Update(ctx, m.ID, past)
	assert.True(t, IsBadRequest(err), "%v", err)

	page, err := c.MeetingInvitees.List(ctx, &MeetingInviteeListOptions{MeetingID: m.ID, HostEmail: host})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the invitee given at creation is kept through PUT")
	old := page.Items[0]
	assert.Equal(t, "marie.tremblay@example.com", old.Email)
	assert.Equal(t, m.ID, old.MeetingID)
	assert.NotEmpty(t, old.ID)

	inv, err := c.MeetingInvitees.Create(ctx, &MeetingInviteeRequest{MeetingID: m.ID, Email: "jean.dupont@example.com",
		DisplayName: "Jean Dupont", HostEmail: host, SendEmail: Bool(true)})
	require.NoError(t, err)
	assert.Equal(t, "jean.dupont@example.com", inv.Email)
	_, err = c.MeetingInvitees.Create(ctx, &MeetingInviteeRequest{MeetingID: m.ID, Email: "jean.dupont@example.com", HostEmail: host})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusConflict, ae.StatusCode, "a person is invited once")
	_, err = c.MeetingInvitees.Create(ctx, &MeetingInviteeRequest{MeetingID: m.ID, Email: "not an address", HostEmail: host})
	assert.True(t, IsBadRequest(err), "%v", err)

	require.NoError(t, c.MeetingInvitees.Delete(ctx, old.ID, &MeetingInviteeDeleteOptions{HostEmail: host, SendEmail: Bool(false)}))
	err = c.MeetingInvitees.Delete(ctx, old.ID, &MeetingInviteeDeleteOptions{HostEmail: host})
	assert.True(t, IsNotFound(err), "%v", err)

	var emails []string
	for _, sm := range fake.Meetings() {
		if sm.ID == m.ID {
			for _, i := range sm.Invitees {
				emails = append(emails, i.Email)
			}
		}
	}
	assert.Equal(t, []string{"jean.dupont@example.com"}, emails)
	invited := false
	for _, e := range fake.Emails() {
		invited = invited || (e.To == "jean.dupont@example.com" && e.MeetingID == m.ID && e.Role == "invitee")
	}
	assert.True(t, invited, "the new invitee gets the invitation e-mail")

	// Only the host (or an admin for the host) manages invitees; a bot token cannot.
	bot, _ := newFakeClient(t, fake, fake.BotToken())
	_, err = bot.MeetingInvitees.List(ctx, &MeetingInviteeListOptions{MeetingID: m.ID})
	assert.True(t, IsForbidden(err), "%v", err)
	_, err = c.MeetingInvitees.List(ctx, &MeetingInviteeListOptions{MeetingID: m.ID, HostEmail: "marie.tremblay@example.com"})
	assert.Error(t, err, "someone who is not the host")
}

// The PUT the client sends follows Webex's spec.
func TestContractMeetingUpdateRequest(t *testing.T) {
	t.Parallel()
	ct := loadContract(t)
	fake := webextest.NewTestServer(t, webextest.Options{})
	rec := &recorder{next: http.DefaultTransport}
	c, err := NewClient(WithBaseURL(fake.APIURL()), WithToken(fake.MeetingsToken()), WithHTTPClient(&http.Client{Transport: rec}))
	require.NoError(t, err)
	ctx := context.Background()
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	m, err := c.Meetings.Create(ctx, meetingRequest(start))
	require.NoError(t, err)
	req := meetingRequest(start.Add(time.Hour))
	req.Invitees = nil
	_, err = c.Meetings.Update(ctx, m.ID, req)
	require.NoError(t, err)
	ex := rec.take()
	require.Len(t, ex, 2)
	e := ex[1]
	require.Equal(t, http.MethodPut, e.method)
	assert.NoError(t, ct.validateRequest(t, e), "request %s %s: %s", e.method, e.path, e.reqBody)
}
