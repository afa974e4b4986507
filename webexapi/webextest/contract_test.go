package webextest_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// responseSchema returns the 200 JSON schema of method path in the spec file.
func responseSchema(t *testing.T, doc *openapi3.T, method, path string) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Value(path)
	require.NotNil(t, item, path)
	op := item.GetOperation(method)
	require.NotNil(t, op, method+" "+path)
	resp := op.Responses.Value("200")
	require.NotNil(t, resp, method+" "+path)
	for _, mt := range resp.Value.Content {
		return mt.Schema.Value
	}
	t.Fatalf("%s %s: no JSON response schema", method, path)
	return nil
}

func loadSpec(t *testing.T, name string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "testdata", "openapi", name))
	require.NoError(t, err)
	return doc
}

// requireValid checks raw against the spec's response schema of method path.
func requireValid(t *testing.T, doc *openapi3.T, method, path string, raw []byte) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	err := responseSchema(t, doc, method, path).VisitJSON(v, openapi3.MultiErrors())
	require.NoError(t, err, "%s %s: %s", method, path, raw)
}

func TestResponsesFollowTheOpenAPISubsets(t *testing.T) {
	t.Parallel()
	msgDoc := loadSpec(t, "webex-messaging.subset.json")
	meetDoc := loadSpec(t, "webex-meeting.subset.json")
	s := webextest.NewTestServer(t, webextest.Options{Clock: func() time.Time { return meetingsNow }})
	get := func(url, token string) []byte {
		status, _, raw := call(t, "GET", url, token, nil)
		require.Equal(t, 200, status, string(raw))
		return raw
	}
	post := func(url, token string, body any) []byte {
		status, _, raw := call(t, "POST", url, token, body)
		require.Equal(t, 200, status, string(raw))
		return raw
	}
	api, bot, mt := s.APIURL(), s.BotToken(), s.MeetingsToken()

	requireValid(t, msgDoc, "GET", "/people/me", get(api+"/people/me", bot))
	requireValid(t, msgDoc, "GET", "/people", get(api+"/people?displayName=Marie", bot))
	pid := personID(t, s, "marie.tremblay@example.com")
	requireValid(t, msgDoc, "GET", "/people/{personId}", get(api+"/people/"+pid, bot))

	gid, err := s.Say(webextest.SayRequest{From: "marie.tremblay@example.com", Text: "allo", Room: "R"})
	require.NoError(t, err)
	var m webextest.Message
	raw := get(api+"/messages/"+gid, bot)
	requireValid(t, msgDoc, "GET", "/messages/{messageId}", raw)
	require.NoError(t, json.Unmarshal(raw, &m))
	requireValid(t, msgDoc, "GET", "/messages", get(api+"/messages?mentionedPeople=me&roomId="+m.RoomID, bot))
	requireValid(t, msgDoc, "POST", "/messages", post(api+"/messages", bot, map[string]any{"roomId": m.RoomID, "markdown": "ok", "parentId": gid}))
	// The subset describes Message.attachments as ECM files, while Webex returns the adaptive
	// card there: a card message cannot validate, so it is only created.
	raw = post(api+"/messages", bot, map[string]any{"roomId": m.RoomID, "text": "card",
		"attachments": []map[string]any{{"contentType": "application/vnd.microsoft.card.adaptive", "content": map[string]any{"type": "AdaptiveCard"}}}})
	var card webextest.Message
	require.NoError(t, json.Unmarshal(raw, &card))
	requireValid(t, msgDoc, "GET", "/messages/direct", get(api+"/messages/direct?personEmail=marie.tremblay@example.com", bot))
	requireValid(t, msgDoc, "GET", "/rooms/{roomId}", get(api+"/rooms/"+m.RoomID, bot))
	requireValid(t, msgDoc, "GET", "/rooms", get(api+"/rooms", bot))
	requireValid(t, msgDoc, "GET", "/memberships", get(api+"/memberships?roomId="+m.RoomID, bot))
	aid, err := s.SubmitCard(webextest.CardSubmission{From: "marie.tremblay@example.com", MessageID: card.ID, Inputs: map[string]any{"a": "b"}})
	require.NoError(t, err)
	requireValid(t, msgDoc, "GET", "/attachment/actions/{id}", get(api+"/attachment/actions/"+aid, bot))

	raw = post(api+"/webhooks", bot, map[string]any{"name": "w", "targetUrl": "https://example.com/h", "resource": "messages", "event": "created", "secret": "x"})
	requireValid(t, msgDoc, "POST", "/webhooks", raw)
	var wh struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(raw, &wh))
	requireValid(t, msgDoc, "GET", "/webhooks/{webhookId}", get(api+"/webhooks/"+wh.ID, bot))
	requireValid(t, msgDoc, "GET", "/webhooks", get(api+"/webhooks", bot))

	raw = post(api+"/meetings", mt, validMeeting())
	requireValid(t, meetDoc, "POST", "/meetings", raw)
	var meeting webextest.Meeting
	require.NoError(t, json.Unmarshal(raw, &meeting))
	host := "hostEmail=alex.martin@example.com"
	requireValid(t, meetDoc, "GET", "/meetings/{meetingId}", get(api+"/meetings/"+meeting.ID+"?"+host, mt))
	requireValid(t, meetDoc, "GET", "/meetings", get(api+"/meetings?"+host, mt))
	requireValid(t, meetDoc, "GET", "/meetings", get(api+"/meetings?meetingType=scheduledMeeting&"+host, mt))
}
