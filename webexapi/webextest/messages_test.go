package webextest_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestMessageListNewestFirstWithPagesBeforeMessageAndThreads(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{Clock: func() time.Time { return meetingsNow }})
	var ids []string
	for _, text := range []string{"1", "2", "3", "4", "5"} {
		id, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: text})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	reply, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "r", ParentID: ids[0]})
	require.NoError(t, err)
	var first webextest.Message
	callJSON(t, "GET", s.APIURL()+"/messages/"+ids[0], s.BotToken(), nil, &first)

	type list struct {
		Items []webextest.Message `json:"items"`
	}
	var got []string
	next := s.APIURL() + "/messages?max=2&roomId=" + first.RoomID
	for next != "" {
		var l list
		h := callJSON(t, "GET", next, s.BotToken(), nil, &l)
		for _, m := range l.Items {
			got = append(got, m.ID)
		}
		next = ""
		if m := nextLinkRE.FindStringSubmatch(h.Get("Link")); m != nil {
			next = m[1]
		}
	}
	want := []string{reply}
	for _, id := range slices.Backward(ids) {
		want = append(want, id)
	}
	require.Equal(t, want, got)

	var l list
	callJSON(t, "GET", s.APIURL()+"/messages?beforeMessage="+ids[2]+"&roomId="+first.RoomID, s.BotToken(), nil, &l)
	require.Len(t, l.Items, 2)
	require.Equal(t, ids[1], l.Items[0].ID)
	callJSON(t, "GET", s.APIURL()+"/messages?parentId="+ids[0]+"&roomId="+first.RoomID, s.BotToken(), nil, &l)
	require.Len(t, l.Items, 1)
	require.Equal(t, reply, l.Items[0].ID)
}
