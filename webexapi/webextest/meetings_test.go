package webextest_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// meetingsNow is the fake clock's time in the meetings tests.
var meetingsNow = time.Date(2030, 1, 15, 14, 30, 20, 0, time.UTC)

func meetingsServer(t *testing.T) *webextest.Server {
	return webextest.NewTestServer(t, webextest.Options{Clock: func() time.Time { return meetingsNow }})
}

func validMeeting() map[string]any {
	return map[string]any{
		"title": "Suivi", "start": "2030-01-16T14:00:00-05:00", "end": "2030-01-16T15:00:00-05:00",
		"timezone": "America/Toronto", "enabledJoinBeforeHost": true, "joinBeforeHostMinutes": 15,
		"hostEmail": "alex.martin@example.com",
		"invitees":  []map[string]any{{"email": "marie.tremblay@example.com", "displayName": "Marie Tremblay"}},
	}
}

func with(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestMeetingValidationRules(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	base := validMeeting()
	cases := []struct {
		name string
		body map[string]any
		want string
	}{
		{"no title", with(base, "title", nil), "title"},
		{"blank title", with(base, "title", "  "), "title"},
		{"title over 128", with(base, "title", strings.Repeat("é", 129)), "128"},
		{"no start", with(base, "start", nil), "start"},
		{"no end", with(base, "end", nil), "end"},
		{"start in the past", with(base, "start", "2030-01-15T14:29:00Z", "end", "2030-01-15T16:00:00Z"), "start"},
		{"end before start", with(base, "end", "2030-01-16T13:00:00-05:00"), "after start"},
		{"end equals start", with(base, "end", "2030-01-16T14:00:00-05:00"), "after start"},
		{"shorter than 10 minutes", with(base, "end", "2030-01-16T14:09:00-05:00"), "10 minutes"},
		{"24 hours", with(base, "end", "2030-01-17T14:00:00-05:00"), "23 hours and 59 minutes"},
		{"join before host 20", with(base, "joinBeforeHostMinutes", 20), "0, 5, 10, 15"},
		{"minutes without join before host", with(base, "enabledJoinBeforeHost", false), "enabledJoinBeforeHost"},
		{"unknown timezone", with(base, "timezone", "Mars/Olympus"), "timezone"},
		{"bad start", with(base, "start", "tomorrow"), "start"},
		{"bad invitee", with(base, "invitees", []map[string]any{{"email": "not-an-email"}}), "invitees[0]"},
		{"unknown host", with(base, "hostEmail", "nobody@example.com"), "hostEmail"},
		{"four integration tags", with(base, "integrationTags", []string{"a", "b", "c", "d"}), "integrationTags"},
		{"ten years ahead", with(base, "start", "2040-02-01T10:00:00Z", "end", "2040-02-01T11:00:00Z"), "10 years"},
	}
	for _, c := range cases {
		status, h, raw := call(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), c.body)
		desc := requireError(t, http.StatusBadRequest, status, h, raw)
		require.Contains(t, desc, c.want, c.name)
		require.Contains(t, string(raw), `"message":"The input parameters contain invalid items."`, c.name)
	}
	require.Empty(t, s.Meetings(), "no invalid meeting may be stored")
	require.Empty(t, s.Emails())

	for _, ok := range []map[string]any{
		with(base, "end", "2030-01-16T14:10:00-05:00"), // exactly 10 minutes
		with(base, "end", "2030-01-17T13:59:00-05:00"), // exactly 23 h 59
		with(base, "enabledJoinBeforeHost", false, "joinBeforeHostMinutes", 0),
		with(base, "joinBeforeHostMinutes", 5),
		with(base, "title", strings.Repeat("é", 128)),
	} {
		callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), ok, nil)
	}
}

func TestMeetingStartInTheCurrentMinuteMovesToTheNext(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	var m webextest.Meeting
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(),
		with(validMeeting(), "start", "2030-01-15T14:30:05Z", "end", "2030-01-15T15:30:45Z", "timezone", "UTC"), &m)
	require.Equal(t, "2030-01-15T14:31:00Z", m.Start)
	require.Equal(t, "2030-01-15T15:30:00Z", m.End, "seconds are stripped")
}

func TestMeetingCreateAnswersWhatTheSpecRequires(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	var m webextest.Meeting
	h := callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), validMeeting(), &m)
	require.Equal(t, "application/json;charset=UTF-8", h.Get("Content-Type"))
	require.NotEmpty(t, m.ID)
	require.Regexp(t, `^[1-9][0-9]{9}$`, m.MeetingNumber)
	require.Regexp(t, `^[0-9]{6}$`, m.HostKey)
	require.Regexp(t, `^https://fake\.webex\.com/fake/j\.php\?MTID=m[0-9a-f]{32}$`, m.WebLink)
	require.Equal(t, m.MeetingNumber+"@fake.webex.com", m.SipAddress)
	require.Regexp(t, regexp.MustCompile(`[A-Z]`), m.Password)
	require.Regexp(t, regexp.MustCompile(`[a-z]`), m.Password)
	require.Regexp(t, regexp.MustCompile(`[0-9]`), m.Password)
	require.Equal(t, "2030-01-16T14:00:00-05:00", m.Start, "rendered in the meeting's zone")
	require.Equal(t, "America/Toronto", m.Timezone)
	require.Equal(t, "meetingSeries", m.MeetingType)
	require.Equal(t, "active", m.State)
	require.Equal(t, "alex.martin@example.com", m.HostEmail)
	require.Equal(t, "Alex Martin", m.HostDisplayName)
	require.Equal(t, personID(t, s, "alex.martin@example.com"), m.HostUserID)
	require.True(t, m.EnabledJoinBeforeHost)
	require.Equal(t, 15, m.JoinBeforeHostMinutes)
	require.Equal(t, m.MeetingNumber, m.Telephony.AccessCode)
	require.Contains(t, m.Telephony.CallInNumbers, webextest.CallInNumber{Label: "Canada Toll (Quebec)", CallInNumber: "+1-581-319-7414", TollType: "toll"})
	require.Contains(t, m.Telephony.CallInNumbers, webextest.CallInNumber{Label: "Canada Toll (Montreal)", CallInNumber: "+1-438-488-9118", TollType: "toll"})
	require.NotEmpty(t, m.Telephony.Links)
	require.Equal(t, "fake.webex.com", m.SiteURL)

	// GET needs hostEmail: the admin is neither host nor invitee.
	status, hh, raw := call(t, "GET", s.APIURL()+"/meetings/"+m.ID, s.MeetingsToken(), nil)
	requireError(t, http.StatusNotFound, status, hh, raw)
	var got webextest.Meeting
	callJSON(t, "GET", s.APIURL()+"/meetings/"+m.ID+"?hostEmail=alex.martin@example.com", s.MeetingsToken(), nil, &got)
	require.Equal(t, m, got)
	// The invitee sees it too.
	callJSON(t, "GET", s.APIURL()+"/meetings/"+m.ID+"?hostEmail=marie.tremblay@example.com", s.MeetingsToken(), nil, &got)
	require.Equal(t, m.HostKey, got.HostKey)

	// Invitation e-mails: the host and each invitee.
	emails := s.Emails()
	require.Len(t, emails, 2)
	require.Equal(t, "alex.martin@example.com", emails[0].To)
	require.Equal(t, "marie.tremblay@example.com", emails[1].To)
	require.Contains(t, emails[1].Body, m.WebLink)
	sims := s.Meetings()
	require.Len(t, sims, 1)
	require.Equal(t, m, sims[0].Meeting)
	require.True(t, sims[0].InvitationsSent)
	require.Equal(t, "marie.tremblay@example.com", sims[0].Invitees[0].Email)
}

func TestMeetingWithoutSendEmailRecordsNoEmail(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), with(validMeeting(), "sendEmail", false), nil)
	require.Empty(t, s.Emails())
	require.False(t, s.Meetings()[0].InvitationsSent)
}

func TestMeetingListPatchDelete(t *testing.T) {
	t.Parallel()
	s := meetingsServer(t)
	var a, b webextest.Meeting
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), with(validMeeting(), "integrationTags", []string{"relais-1"}), &a)
	require.Equal(t, []string{"relais-1"}, a.IntegrationTags)
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(),
		with(validMeeting(), "start", "2030-02-20T10:00:00-05:00", "end", "2030-02-20T11:00:00-05:00"), &b)
	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), with(validMeeting(), "hostEmail", "bob.smith@example.com", "invitees", nil), nil)

	type list struct {
		Items []webextest.Meeting `json:"items"`
	}
	var l list
	host := "?hostEmail=alex.martin@example.com"
	callJSON(t, "GET", s.APIURL()+"/meetings"+host, s.MeetingsToken(), nil, &l)
	require.Len(t, l.Items, 2)
	require.Equal(t, a.ID, l.Items[0].MeetingSeriesID)
	callJSON(t, "GET", s.APIURL()+"/meetings"+host+"&meetingType=meetingSeries&from=2030-02-01T00:00:00Z&to=2030-03-01T00:00:00Z", s.MeetingsToken(), nil, &l)
	require.Len(t, l.Items, 1)
	require.Equal(t, b.ID, l.Items[0].ID)
	callJSON(t, "GET", s.APIURL()+"/meetings"+host+"&integrationTag=relais-1", s.MeetingsToken(), nil, &l)
	require.Len(t, l.Items, 1)
	require.Equal(t, a.ID, l.Items[0].ID)
	callJSON(t, "GET", s.APIURL()+"/meetings"+host+"&meetingNumber="+b.MeetingNumber, s.MeetingsToken(), nil, &l)
	require.Len(t, l.Items, 1)
	require.Equal(t, b.ID, l.Items[0].ID)
	callJSON(t, "GET", s.APIURL()+"/meetings"+host+"&meetingType=scheduledMeeting", s.MeetingsToken(), nil, &l)
	require.Len(t, l.Items, 1, "scheduled meetings default to the coming week")
	require.Equal(t, "scheduledMeeting", l.Items[0].MeetingType)
	require.Equal(t, a.ID, l.Items[0].MeetingSeriesID)

	var p webextest.Meeting
	callJSON(t, "PATCH", s.APIURL()+"/meetings/"+a.ID+host, s.MeetingsToken(), map[string]any{"title": "Nouveau titre"}, &p)
	require.Equal(t, "Nouveau titre", p.Title)
	require.Equal(t, a.HostKey, p.HostKey)
	require.Equal(t, a.Start, p.Start)
	status, h, raw := call(t, "PATCH", s.APIURL()+"/meetings/"+a.ID+host, s.MeetingsToken(), map[string]any{"joinBeforeHostMinutes": 7})
	requireError(t, http.StatusBadRequest, status, h, raw)

	status, _, _ = call(t, "DELETE", s.APIURL()+"/meetings/"+a.ID+host, s.MeetingsToken(), nil)
	require.Equal(t, http.StatusNoContent, status)
	status, h, raw = call(t, "GET", s.APIURL()+"/meetings/"+a.ID+host, s.MeetingsToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)
	require.Len(t, s.Meetings(), 2)
}
