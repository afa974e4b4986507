package webextest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// shareObject is the part of a share activity the test reads.
type shareObject struct {
	Data struct {
		Activity struct {
			Verb   string `json:"verb"`
			Object struct {
				ID              string `json:"id"`
				ObjectType      string `json:"objectType"`
				ContentCategory string `json:"contentCategory"`
				DisplayName     string `json:"displayName"`
				Files           struct {
					Items []struct {
						ObjectType             string `json:"objectType"`
						URL                    string `json:"url"`
						MalwareQuarantineState string `json:"malwareQuarantineState"`
					} `json:"items"`
				} `json:"files"`
			} `json:"object"`
		} `json:"activity"`
	} `json:"data"`
}

func readRaw(t *testing.T, c interface{ ReadMessage() (int, []byte, error) }) []byte {
	t.Helper()
	_, raw, err := c.ReadMessage()
	require.NoError(t, err)
	return raw
}

func TestSayWithFilesArrivesAsAShare(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	c := connect(t, s, registerDevice(t, s))
	const file = "https://files.example.com/capture.png"
	var said struct {
		MessageID string `json:"messageId"`
	}
	callJSON(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com",
		"text": "programme une rencontre pour Marie", "files": []string{file}}, &said)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	raw := readRaw(t, c)
	var f wsFrame
	require.NoError(t, json.Unmarshal(raw, &f))
	var sh shareObject
	require.NoError(t, json.Unmarshal(raw, &sh))
	obj := sh.Data.Activity.Object
	require.Equal(t, "share", sh.Data.Activity.Verb)
	require.Equal(t, "content", obj.ObjectType)
	require.Equal(t, "documents", obj.ContentCategory)
	require.Len(t, obj.Files.Items, 1)
	require.Equal(t, "file", obj.Files.Items[0].ObjectType)
	require.Equal(t, "safe", obj.Files.Items[0].MalwareQuarantineState)
	require.NotContains(t, string(raw), "capture.png", "names and URLs are opaque")
	require.NotContains(t, string(raw), "Marie")

	require.Equal(t, said.MessageID, restIDOf(t, s, f), "a share resolves like a post")
	var msg webextest.Message
	callJSON(t, "GET", s.APIURL()+"/messages/"+said.MessageID, s.BotToken(), nil, &msg)
	require.Equal(t, []string{file}, msg.Files)
	require.Equal(t, "programme une rencontre pour Marie", msg.Text)

	// A file alone is a message too; a file that is not a URL is refused.
	_, err := s.Say(webextest.SayRequest{From: "alex.martin@example.com", Files: []string{file}})
	require.NoError(t, err)
	status, h, body := call(t, "POST", s.URL()+"/_sim/say", "", map[string]any{"from": "alex.martin@example.com", "text": "x", "files": []string{"capture.png"}})
	requireError(t, http.StatusBadRequest, status, h, body)
}

func TestSimDeleteMessage(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	target, ch, _ := receiver(t, func(int64) int { return http.StatusOK })
	createWebhook(t, s, map[string]any{"name": "all", "targetUrl": target, "resource": "messages", "event": "all"})
	c := connect(t, s, registerDevice(t, s))
	id, post := sayAndRead(t, s, c, "oups")
	ack(t, c, post)
	var env envelope
	require.NoError(t, json.Unmarshal(nextDelivery(t, ch).body, &env))
	require.Equal(t, "created", env.Event)

	callJSON(t, "POST", s.URL()+"/_sim/delete", "", map[string]string{"messageId": id}, nil)
	status, h, raw := call(t, "GET", s.APIURL()+"/messages/"+id, s.BotToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)
	a := post.Data.Activity
	status, h, raw = call(t, "GET", strings.Replace(a.Target.URL, "conversations/"+a.Target.ID, "messages/"+a.ID, 1), s.BotToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)

	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	var del shareObject
	require.NoError(t, json.Unmarshal(readRaw(t, c), &del))
	require.Equal(t, "delete", del.Data.Activity.Verb)
	require.Equal(t, a.ID, del.Data.Activity.Object.ID, "the object is the deleted message's activity")
	require.Equal(t, "activity", del.Data.Activity.Object.ObjectType)

	require.NoError(t, json.Unmarshal(nextDelivery(t, ch).body, &env))
	require.Equal(t, "deleted", env.Event)
	require.Equal(t, "messages", env.Resource)
	require.Equal(t, id, env.Data.ID)
	require.Equal(t, "bob.smith@example.com", env.Data.PersonEmail)

	status, h, raw = call(t, "POST", s.URL()+"/_sim/delete", "", map[string]string{"messageId": id})
	requireError(t, http.StatusNotFound, status, h, raw)

	// A message the bot never saw: deleted without telling it.
	hidden, err := s.Say(webextest.SayRequest{From: "bob.smith@example.com", Text: "entre nous", Room: "G", NoMention: true})
	require.NoError(t, err)
	require.NoError(t, s.DeleteMessage(hidden))
	next, f := sayAndRead(t, s, c, "suite")
	require.Equal(t, next, restIDOf(t, s, f))
}
