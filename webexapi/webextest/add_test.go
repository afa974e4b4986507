package webextest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestSimAddEmitsTheMembershipWebhook: POST /_sim/add puts the bot in a group space and delivers
// memberships/created with the bot's membership (the id GET /memberships gives) and who added
// it as actor; adding it again delivers nothing.
func TestSimAddEmitsTheMembershipWebhook(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	target, ch, _ := receiver(t, func(int64) int { return http.StatusOK })
	createWebhook(t, s, map[string]any{"name": "members", "targetUrl": target, "resource": "memberships", "event": "created"})

	var added struct {
		MembershipID string `json:"membershipId"`
	}
	callJSON(t, "POST", s.URL()+"/_sim/add", "", map[string]any{"room": "Comité", "by": "alex.martin@example.com"}, &added)
	require.NotEmpty(t, added.MembershipID)
	d := nextDelivery(t, ch)
	var env envelope
	require.NoError(t, json.Unmarshal(d.body, &env))
	require.Equal(t, "memberships", env.Resource)
	require.Equal(t, "created", env.Event)
	require.Equal(t, added.MembershipID, env.Data.ID)
	require.Equal(t, "group", env.Data.RoomType)
	require.Equal(t, botID(t, s), env.Data.PersonID)
	require.Equal(t, personID(t, s, "alex.martin@example.com"), env.ActorID)

	var list struct {
		Items []struct {
			ID     string `json:"id"`
			RoomID string `json:"roomId"`
		} `json:"items"`
	}
	callJSON(t, "GET", s.APIURL()+"/memberships", s.BotToken(), nil, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, added.MembershipID, list.Items[0].ID)
	require.Equal(t, env.Data.RoomID, list.Items[0].RoomID)

	id, err := s.AddBot(webextest.AddRequest{Room: "Comité", By: "alex.martin@example.com"})
	require.NoError(t, err)
	require.Equal(t, added.MembershipID, id)
	require.Empty(t, ch, "already a member: nothing delivered")

	status, h, raw := call(t, "POST", s.URL()+"/_sim/add", "", map[string]any{"room": "Comité", "by": "nobody@example.com"})
	requireError(t, http.StatusNotFound, status, h, raw)
	status, h, raw = call(t, "POST", s.URL()+"/_sim/add", "", map[string]any{"room": "Comité", "by": "marie.tremblay@example.com"})
	requireError(t, http.StatusBadRequest, status, h, raw)
}
