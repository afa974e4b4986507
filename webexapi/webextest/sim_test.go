package webextest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

func TestSimHTTPAPI(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{Clock: func() time.Time { return meetingsNow }})
	var said struct {
		MessageID string `json:"messageId"`
	}
	callJSON(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com", "text": "aide"}, &said)
	require.NotEmpty(t, said.MessageID)

	// The bot answers in the 1:1 space and in a group space.
	var got webextest.Message
	callJSON(t, "GET", s.APIURL()+"/messages/"+said.MessageID, s.BotToken(), nil, &got)
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]any{"roomId": got.RoomID, "markdown": "**Bonjour** <@personEmail:alex.martin@example.com|Alex>", "parentId": said.MessageID}, nil)
	callJSON(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com", "text": "hello", "room": "Salle"}, &said)
	callJSON(t, "GET", s.APIURL()+"/messages/"+said.MessageID, s.BotToken(), nil, &got)
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]any{"roomId": got.RoomID, "text": "Hi"}, nil)

	var msgs []webextest.Message
	callJSON(t, "GET", s.URL()+"/_sim/messages?person=alex.martin@example.com", "", nil, &msgs)
	require.Len(t, msgs, 1)
	require.Equal(t, "**Bonjour** <@personEmail:alex.martin@example.com|Alex>", msgs[0].Markdown)
	require.Equal(t, "**Bonjour** Alex", msgs[0].Text)
	require.Contains(t, msgs[0].HTML, `<spark-mention data-object-type="person" data-object-id="`+personID(t, s, "alex.martin@example.com")+`">Alex</spark-mention>`)
	require.NotEmpty(t, msgs[0].ParentID)
	callJSON(t, "GET", s.URL()+"/_sim/messages?room=Salle", "", nil, &msgs)
	require.Len(t, msgs, 1)
	require.Equal(t, "Hi", msgs[0].Text)
	callJSON(t, "GET", s.URL()+"/_sim/messages?person=nobody@example.com", "", nil, &msgs)
	require.Empty(t, msgs)

	status, h, raw := call(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "nobody@example.com", "text": "x"})
	requireError(t, http.StatusNotFound, status, h, raw)
	status, h, raw = call(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com", "text": "x", "parentId": "bogus"})
	requireError(t, http.StatusNotFound, status, h, raw)
	status, h, raw = call(t, "POST", s.URL()+"/_sim/say", "", `{"from":`)
	requireError(t, http.StatusBadRequest, status, h, raw)
	status, h, raw = call(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com", "text": " "})
	requireError(t, http.StatusBadRequest, status, h, raw)

	callJSON(t, "POST", s.APIURL()+"/meetings", s.MeetingsToken(), validMeeting(), nil)
	var meetings []webextest.SimMeeting
	callJSON(t, "GET", s.URL()+"/_sim/meetings", "", nil, &meetings)
	require.Len(t, meetings, 1)
	require.Equal(t, "alex.martin@example.com", meetings[0].HostEmail)
	require.True(t, meetings[0].InvitationsSent)
	require.Equal(t, "marie.tremblay@example.com", meetings[0].Invitees[0].Email)
	require.Regexp(t, `^[0-9]{6}$`, meetings[0].HostKey)
	var emails []webextest.Email
	callJSON(t, "GET", s.URL()+"/_sim/emails", "", nil, &emails)
	require.Len(t, emails, 2)
	require.True(t, strings.Contains(emails[0].Body, meetings[0].HostKey), "the host's e-mail carries the host key")
	require.False(t, strings.Contains(emails[1].Body, meetings[0].HostKey), "an invitee's does not")
}

func TestMessagesRulesForTheBot(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	gid, err := s.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "@Relais aide", Room: "G"})
	require.NoError(t, err)
	hidden, err := s.Say(webextest.SayRequest{From: "jean.dupont@example.com", Text: "pas pour le bot", Room: "G", NoMention: true})
	require.NoError(t, err)
	var m webextest.Message
	callJSON(t, "GET", s.APIURL()+"/messages/"+gid, s.BotToken(), nil, &m)
	require.Equal(t, "Relais aide", m.Text, "the mention is not doubled")
	status, h, raw := call(t, "GET", s.APIURL()+"/messages/"+hidden, s.BotToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)

	status, h, raw = call(t, "GET", s.APIURL()+"/messages?roomId="+m.RoomID, s.BotToken(), nil)
	desc := requireError(t, http.StatusForbidden, status, h, raw)
	require.Contains(t, desc, "mentionedPeople")
	var list struct {
		Items []webextest.Message `json:"items"`
	}
	callJSON(t, "GET", s.APIURL()+"/messages?mentionedPeople=me&roomId="+m.RoomID, s.BotToken(), nil, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, gid, list.Items[0].ID)

	var members struct {
		Items []struct {
			PersonEmail string `json:"personEmail"`
			RoomType    string `json:"roomType"`
		} `json:"items"`
	}
	callJSON(t, "GET", s.APIURL()+"/memberships?roomId="+m.RoomID, s.BotToken(), nil, &members)
	require.Len(t, members.Items, 2)
	var room struct {
		Title string `json:"title"`
		Type  string `json:"type"`
	}
	callJSON(t, "GET", s.APIURL()+"/rooms/"+m.RoomID, s.BotToken(), nil, &room)
	require.Equal(t, "G", room.Title)
	require.Equal(t, "group", room.Type)

	// Direct messages: created by e-mail, deleted by their author only.
	var sent webextest.Message
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]any{"toPersonEmail": "jean.dupont@example.com", "text": "salut"}, &sent)
	require.Equal(t, "direct", sent.RoomType)
	require.Equal(t, "jean.dupont@example.com", sent.ToPersonEmail)
	status, h, raw = call(t, "DELETE", s.APIURL()+"/messages/"+gid, s.BotToken(), nil)
	requireError(t, http.StatusForbidden, status, h, raw)
	status, _, _ = call(t, "DELETE", s.APIURL()+"/messages/"+sent.ID, s.BotToken(), nil)
	require.Equal(t, http.StatusNoContent, status)
	require.Empty(t, s.BotMessages("jean.dupont@example.com"))

	for _, bad := range []map[string]any{
		{"text": "no target"},
		{"roomId": m.RoomID},
		{"roomId": m.RoomID, "text": strings.Repeat("x", 7440)},
		{"toPersonEmail": "relais@webex.bot", "text": "self"},
		{"roomId": m.RoomID, "text": "x", "parentId": "bogus"},
	} {
		status, h, raw := call(t, "POST", s.APIURL()+"/messages", s.BotToken(), bad)
		requireError(t, http.StatusBadRequest, status, h, raw)
	}
}
