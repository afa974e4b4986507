package webextest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

type deviceInfo struct {
	URL          string `json:"url"`
	WebSocketURL string `json:"webSocketUrl"`
	Name         string `json:"name"`
}

type wsFrame struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		EventType string `json:"eventType"`
		Activity  struct {
			ID    string `json:"id"`
			Verb  string `json:"verb"`
			Actor struct {
				ID           string `json:"id"`
				EmailAddress string `json:"emailAddress"`
				Type         string `json:"type"`
			} `json:"actor"`
			Object struct {
				ObjectType  string `json:"objectType"`
				DisplayName string `json:"displayName"`
			} `json:"object"`
			Target struct {
				ID   string   `json:"id"`
				URL  string   `json:"url"`
				Tags []string `json:"tags"`
			} `json:"target"`
			Parent *struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"parent"`
		} `json:"activity"`
	} `json:"data"`
	SequenceNumber int64 `json:"sequenceNumber"`
}

// registerDevice finds WDM through the catalog and registers a device.
func registerDevice(t *testing.T, s *webextest.Server) deviceInfo {
	t.Helper()
	var cat struct {
		ServiceLinks map[string]string `json:"serviceLinks"`
	}
	callJSON(t, "GET", s.CatalogURL()+"?format=hostmap", s.BotToken(), nil, &cat)
	require.NotEmpty(t, cat.ServiceLinks["wdm"])
	var dev deviceInfo
	callJSON(t, "POST", cat.ServiceLinks["wdm"]+"/devices", s.BotToken(), map[string]string{
		"deviceName": "relais", "deviceType": "DESKTOP", "localizedModel": "go", "model": "go",
		"name": "relais-bot", "systemName": "relais", "systemVersion": "1"}, &dev)
	require.True(t, strings.HasPrefix(dev.WebSocketURL, "ws://"), dev.WebSocketURL)
	return dev
}

// dial connects to the device's websocket without authorizing.
func dial(t *testing.T, dev deviceInfo) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(dev.WebSocketURL+"?outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true", nil)
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, resp, err
}

// connect dials, authorizes and waits for the buffer_state readiness frame.
func connect(t *testing.T, s *webextest.Server, dev deviceInfo) *websocket.Conn {
	t.Helper()
	c, _, err := dial(t, dev)
	require.NoError(t, err)
	require.NoError(t, c.WriteJSON(map[string]any{"id": "auth-1", "type": "authorization",
		"data": map[string]string{"token": "Bearer " + s.BotToken()}}))
	f := readFrame(t, c)
	require.Equal(t, "mercury.buffer_state", f.Data.EventType)
	return c
}

func readFrame(t *testing.T, c *websocket.Conn) wsFrame {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	var f wsFrame
	require.NoError(t, c.ReadJSON(&f))
	return f
}

func ack(t *testing.T, c *websocket.Conn, f wsFrame) {
	t.Helper()
	require.NoError(t, c.WriteJSON(map[string]string{"type": "ack", "messageId": f.ID}))
}

// restIDOf resolves an activity to its REST id through the conversation URL, as Webex's
// clients do.
func restIDOf(t *testing.T, s *webextest.Server, f wsFrame) string {
	t.Helper()
	a := f.Data.Activity
	verb := "messages"
	if a.Verb == "cardAction" {
		verb = "attachment/actions"
	}
	u := strings.Replace(a.Target.URL, "conversations/"+a.Target.ID, verb+"/"+a.ID, 1)
	var out struct {
		ID string `json:"id"`
	}
	callJSON(t, "GET", u, s.BotToken(), nil, &out)
	return out.ID
}

func TestMercuryDeliversWhatTheBotSees(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := connect(t, s, registerDevice(t, s))

	// 1:1: every message.
	id, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "bonjour"})
	require.NoError(t, err)
	f := readFrame(t, c)
	ack(t, c, f)
	require.Equal(t, "conversation.activity", f.Data.EventType)
	a := f.Data.Activity
	require.Equal(t, "post", a.Verb)
	require.Equal(t, "PERSON", a.Actor.Type)
	require.Equal(t, "alex.martin@example.com", a.Actor.EmailAddress)
	require.Equal(t, []string{"ONE_ON_ONE"}, a.Target.Tags)
	require.Equal(t, "comment", a.Object.ObjectType)
	require.NotContains(t, a.Object.DisplayName, "bonjour", "content is opaque")
	require.Equal(t, id, restIDOf(t, s, f))
	var msg webextest.Message
	callJSON(t, "GET", s.APIURL()+"/messages/"+id, s.BotToken(), nil, &msg)
	require.Equal(t, "bonjour", msg.Text)
	require.Equal(t, "direct", msg.RoomType)

	// Group: only what mentions the bot.
	_, err = s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "entre nous", Room: "Équipe", NoMention: true})
	require.NoError(t, err)
	gid, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "programme une rencontre", Room: "Équipe",
		Mentions: []string{"marie.tremblay@example.com"}})
	require.NoError(t, err)
	f = readFrame(t, c)
	ack(t, c, f)
	require.Empty(t, f.Data.Activity.Target.Tags)
	require.Equal(t, gid, restIDOf(t, s, f), "the message without mention is not delivered")
	callJSON(t, "GET", s.APIURL()+"/messages/"+gid, s.BotToken(), nil, &msg)
	bot := botID(t, s)
	require.Equal(t, "group", msg.RoomType)
	require.True(t, strings.HasPrefix(msg.Text, "Relais programme une rencontre"), msg.Text)
	require.Contains(t, msg.HTML, `<spark-mention data-object-type="person" data-object-id="`+bot+`">Relais</spark-mention>`)
	require.Equal(t, []string{bot, personID(t, s, "marie.tremblay@example.com")}, msg.MentionedPeople)

	// Thread reply.
	rid, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Text: "demain", ParentID: id})
	require.NoError(t, err)
	f = readFrame(t, c)
	ack(t, c, f)
	require.NotNil(t, f.Data.Activity.Parent)
	require.Equal(t, "reply", f.Data.Activity.Parent.Type)
	require.Equal(t, rid, restIDOf(t, s, f))
	callJSON(t, "GET", s.APIURL()+"/messages/"+rid, s.BotToken(), nil, &msg)
	require.Equal(t, id, msg.ParentID)

	// The bot's own card, then its submission.
	var card webextest.Message
	callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(), map[string]any{
		"toPersonEmail": "alex.martin@example.com", "text": "Confirmer ?",
		"attachments": []map[string]any{{"contentType": "application/vnd.microsoft.card.adaptive",
			"content": map[string]any{"type": "AdaptiveCard", "version": "1.3"}}},
	}, &card)
	f = readFrame(t, c)
	ack(t, c, f)
	require.Equal(t, "BOT", f.Data.Activity.Actor.Type)
	require.Equal(t, card.ID, restIDOf(t, s, f))
	require.Equal(t, msg.RoomID, card.RoomID, "toPersonEmail reaches the existing 1:1 space")

	actionID, err := s.SubmitCard(webextest.CardSubmission{From: "alex.martin@example.com", MessageID: card.ID,
		Inputs: map[string]any{"choice": "oui"}})
	require.NoError(t, err)
	f = readFrame(t, c)
	ack(t, c, f)
	require.Equal(t, "cardAction", f.Data.Activity.Verb)
	require.Equal(t, actionID, restIDOf(t, s, f))
	var act struct {
		Type      string         `json:"type"`
		MessageID string         `json:"messageId"`
		Inputs    map[string]any `json:"inputs"`
	}
	callJSON(t, "GET", s.APIURL()+"/attachment/actions/"+actionID, s.BotToken(), nil, &act)
	require.Equal(t, "submit", act.Type)
	require.Equal(t, card.ID, act.MessageID)
	require.Equal(t, map[string]any{"choice": "oui"}, act.Inputs)

	require.Len(t, s.BotMessages("alex.martin@example.com"), 1)
}

func TestMercuryBadTokenClosesWith4401(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c, _, err := dial(t, registerDevice(t, s))
	require.NoError(t, err)
	require.NoError(t, c.WriteJSON(map[string]any{"id": "x", "type": "authorization", "data": map[string]string{"token": "Bearer wrong"}}))
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err = c.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 4401, ce.Code)
}

func TestMercuryDeletedDeviceAnswers404(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	dev := registerDevice(t, s)
	var list struct {
		Devices []deviceInfo `json:"devices"`
	}
	callJSON(t, "GET", s.URL()+"/wdm/api/v1/devices", s.BotToken(), nil, &list)
	require.Equal(t, []deviceInfo{dev}, list.Devices)
	status, _, _ := call(t, "DELETE", dev.URL, s.BotToken(), nil)
	require.Equal(t, http.StatusNoContent, status)
	_, resp, err := dial(t, dev)
	require.Error(t, err)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	callJSON(t, "GET", s.URL()+"/wdm/api/v1/devices", s.BotToken(), nil, &list)
	require.Empty(t, list.Devices)
}

func TestMercuryPingPong(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := connect(t, s, registerDevice(t, s))
	require.NoError(t, c.WriteJSON(map[string]string{"id": "ping-42", "type": "ping"}))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte("{not json")), "a bad frame is ignored")
	require.NoError(t, c.WriteJSON(map[string]string{"id": "ping-43", "type": "ping"}))
	f := readFrame(t, c)
	require.Equal(t, "pong", f.Type)
	require.Equal(t, "ping-42", f.ID)
	f = readFrame(t, c)
	require.Equal(t, "ping-43", f.ID)
}

func TestMercuryReplaysUnackedFramesOnTheNextConnection(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	dev := registerDevice(t, s)
	c := connect(t, s, dev)
	var ids []string
	for _, text := range []string{"un", "deux", "trois"} {
		id, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: text})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	var frames []wsFrame
	for range ids {
		frames = append(frames, readFrame(t, c))
	}
	ack(t, c, frames[0])
	// A ping answered proves the ack above was processed (frames are handled in order).
	require.NoError(t, c.WriteJSON(map[string]string{"id": "sync", "type": "ping"}))
	require.Equal(t, "pong", readFrame(t, c).Type)

	s.DropWebsockets()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err := c.ReadMessage()
	require.Error(t, err)

	c2 := connect(t, s, dev)
	r1, r2 := readFrame(t, c2), readFrame(t, c2)
	require.Equal(t, frames[1].ID, r1.ID)
	require.Equal(t, frames[2].ID, r2.ID)
	require.Equal(t, ids[1], restIDOf(t, s, r1))
	ack(t, c2, r1)
	ack(t, c2, r2)
	require.NoError(t, c2.WriteJSON(map[string]string{"id": "sync", "type": "ping"}))
	require.Equal(t, "pong", readFrame(t, c2).Type)

	// Through the /_sim/ API this time.
	callJSON(t, "POST", s.URL()+"/_sim/faults", "", map[string]any{"dropWebsocket": true}, nil)
	c3 := connect(t, s, dev)
	id4, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "quatre"})
	require.NoError(t, err)
	require.Equal(t, id4, restIDOf(t, s, readFrame(t, c3)), "acked frames are not replayed")
}
