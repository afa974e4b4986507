package webextest_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestActThenFailActsThenAnswers5xx(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"actThenFailRate": 1, "status5xx": 502}, nil)
	status, h, raw := call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "un"})
	requireError(t, http.StatusBadGateway, status, h, raw)
	got := s.BotMessages("bob.smith@example.com")
	require.Len(t, got, 1, "the message was posted before the failure")
	require.Equal(t, "un", got[0].Text)

	// A refused call keeps its own answer; a read is not touched.
	status, h, raw = call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"text": "à personne"})
	requireError(t, http.StatusBadRequest, status, h, raw)
	callJSON(t, "GET", s.APIURL()+"/messages/"+got[0].ID, s.BotToken(), nil, nil)

	// DELETE too: the message is gone although the answer was an error.
	status, h, raw = call(t, "DELETE", s.APIURL()+"/messages/"+got[0].ID, s.BotToken(), nil)
	requireError(t, http.StatusBadGateway, status, h, raw)
	require.Empty(t, s.BotMessages("bob.smith@example.com"))

	s.SetFaults(webextest.Faults{})
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "deux"}, nil)
}

func TestActThenFailDropClosesTheConnectionWithoutAnswer(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	s.SetFaults(webextest.Faults{ActThenFailRate: 1, ActThenFailMode: webextest.ActThenFailDrop})
	req, err := http.NewRequest("POST", s.APIURL()+"/messages",
		bytes.NewReader([]byte(`{"toPersonEmail":"bob.smith@example.com","text":"coupé"}`)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.BotToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := testClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer at all")
	require.Len(t, s.BotMessages("bob.smith@example.com"), 1, "yet the message was posted")
}

func TestActThenFailShareIsSeeded(t *testing.T) {
	t.Parallel()
	post := func(s *webextest.Server) []int {
		out := make([]int, 200)
		for i := range out {
			out[i], _, _ = call(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]string{"toPersonEmail": "bob.smith@example.com", "text": "x"})
		}
		return out
	}
	a := webextest.NewTestServer(t, webextest.Options{Seed: 7})
	b := webextest.NewTestServer(t, webextest.Options{Seed: 7})
	a.SetFaults(webextest.Faults{ActThenFailRate: 0.3})
	b.SetFaults(webextest.Faults{ActThenFailRate: 0.3})
	sa := post(a)
	require.Equal(t, sa, post(b))
	failed := 0
	for _, st := range sa {
		if st == http.StatusServiceUnavailable {
			failed++
		}
	}
	require.InDelta(t, 60, failed, 25)
	require.Len(t, a.BotMessages("bob.smith@example.com"), 200, "every call took effect")
}

// The meeting routes act before failing too: an invitee added, a PATCH, an occurrence deleted,
// each answered 502 yet done, as Webex may do. A client that believed the answer would add the
// invitee twice or cancel the wrong date.
func TestActThenFailActsOnTheMeetingRoutes(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{Clock: func() time.Time { return meetingsNow }})
	tok, host := s.MeetingsToken(), "?hostEmail=alex.martin@example.com"
	var series webextest.Meeting
	callJSON(t, "POST", s.APIURL()+"/meetings", tok, with(validMeeting(), "recurrence", "FREQ=WEEKLY;COUNT=3"), &series)
	occ := s.Occurrences(series.ID)
	require.Len(t, occ, 3)
	s.SetFaults(webextest.Faults{ActThenFailRate: 1, Status5xx: http.StatusBadGateway})

	status, h, raw := call(t, "POST", s.APIURL()+"/meetingInvitees", tok,
		map[string]any{"meetingId": series.ID, "email": "jean.dupont@example.com", "hostEmail": "alex.martin@example.com"})
	requireError(t, http.StatusBadGateway, status, h, raw)
	status, h, raw = call(t, "PATCH", s.APIURL()+"/meetings/"+series.ID+host, tok, map[string]any{"title": "Nouveau titre"})
	requireError(t, http.StatusBadGateway, status, h, raw)
	status, h, raw = call(t, "DELETE", s.APIURL()+"/meetings/"+occ[1].ID+host, tok, nil)
	requireError(t, http.StatusBadGateway, status, h, raw)

	s.SetFaults(webextest.Faults{})
	var invitees struct {
		Items []webextest.MeetingInvitee `json:"items"`
	}
	callJSON(t, "GET", s.APIURL()+"/meetingInvitees"+host+"&meetingId="+series.ID, tok, nil, &invitees)
	emails := make([]string, 0, len(invitees.Items))
	for _, i := range invitees.Items {
		emails = append(emails, i.Email)
	}
	require.Contains(t, emails, "jean.dupont@example.com", "the invitee was added before the failure")
	var got webextest.Meeting
	callJSON(t, "GET", s.APIURL()+"/meetings/"+series.ID+host, tok, nil, &got)
	require.Equal(t, "Nouveau titre", got.Title, "the PATCH took effect before the failure")
	require.Len(t, s.Occurrences(series.ID), 2, "the occurrence was deleted before the failure")
}
