package webextest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

type roomList struct {
	Items []struct {
		ID           string `json:"id"`
		Title        string `json:"title"`
		Type         string `json:"type"`
		LastActivity string `json:"lastActivity"`
	} `json:"items"`
}

// TestCatchUpQueries checks what a bot that missed events asks, as Webex documents it: its
// spaces by last activity, then each space's messages newest first before a time or a message
// (in group spaces only those mentioning it).
func TestCatchUpQueries(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	s := webextest.NewTestServer(t, webextest.Options{Clock: clock.Now})
	say := func(r webextest.SayRequest) string {
		t.Helper()
		clock.Add(time.Minute)
		id, err := s.Say(r)
		require.NoError(t, err)
		return id
	}
	say(webextest.SayRequest{From: "bob.smith@example.com", Text: "vieux"})
	g1 := say(webextest.SayRequest{From: "alex.martin@example.com", Text: "aide", Room: "Équipe"})
	say(webextest.SayRequest{From: "alex.martin@example.com", Text: "entre nous", Room: "Équipe", NoMention: true})
	a1 := say(webextest.SayRequest{From: "alex.martin@example.com", Text: "un"})
	a2 := say(webextest.SayRequest{From: "alex.martin@example.com", Text: "deux"})
	g2 := say(webextest.SayRequest{From: "alex.martin@example.com", Text: "encore", Room: "Équipe"})
	a3 := say(webextest.SayRequest{From: "alex.martin@example.com", Text: "trois"})

	var rooms roomList
	callJSON(t, "GET", s.APIURL()+"/rooms?sortBy=lastactivity&max=2", s.BotToken(), nil, &rooms)
	require.Len(t, rooms.Items, 2)
	require.Equal(t, "direct", rooms.Items[0].Type, "the 1:1 with Alex was active last")
	require.Equal(t, "Équipe", rooms.Items[1].Title)
	require.Equal(t, "2026-03-02T15:07:00.000Z", rooms.Items[0].LastActivity)
	require.Equal(t, "2026-03-02T15:06:00.000Z", rooms.Items[1].LastActivity)
	direct, group := rooms.Items[0].ID, rooms.Items[1].ID
	callJSON(t, "GET", s.APIURL()+"/rooms?sortBy=created", s.BotToken(), nil, &rooms)
	require.Len(t, rooms.Items, 3)
	require.Equal(t, []string{direct, group}, []string{rooms.Items[0].ID, rooms.Items[1].ID}, "most recent first")
	status, h, raw := call(t, "GET", s.APIURL()+"/rooms?sortBy=title", s.BotToken(), nil)
	requireError(t, http.StatusBadRequest, status, h, raw)

	ids := func(url string) []string {
		t.Helper()
		var l struct {
			Items []webextest.Message `json:"items"`
		}
		callJSON(t, "GET", url, s.BotToken(), nil, &l)
		out := []string{}
		for _, m := range l.Items {
			out = append(out, m.ID)
		}
		return out
	}
	api := s.APIURL() + "/messages?roomId="
	require.Equal(t, []string{a3, a2, a1}, ids(api+direct))
	require.Equal(t, []string{a2, a1}, ids(api+direct+"&before=2026-03-02T15:07:00.000Z"), "before is exclusive")
	require.Equal(t, []string{a2}, ids(api+direct+"&max=1&beforeMessage="+a3))
	require.Equal(t, []string{a1}, ids(api+direct+"&before=2026-03-02T15:06:30Z&beforeMessage="+a2))

	status, h, raw = call(t, "GET", api+group, s.BotToken(), nil)
	require.Contains(t, requireError(t, http.StatusForbidden, status, h, raw), "mentionedPeople")
	require.Equal(t, []string{g2, g1}, ids(api+group+"&mentionedPeople=me&max=100"))
	status, h, raw = call(t, "GET", api+group+"&mentionedPeople=me&max=101", s.BotToken(), nil)
	requireError(t, http.StatusBadRequest, status, h, raw)
}
